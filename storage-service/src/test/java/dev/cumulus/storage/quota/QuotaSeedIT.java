package dev.cumulus.storage.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.storage.AuthServiceStandIn;
import dev.cumulus.storage.StorageSeedFixture;
import dev.cumulus.storage.multipart.domain.UploadedPart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Plan quotas on the seed API (issue 21 §3): buckets and stored bytes per tenant, the largest
 * object, counted exactly in the transaction of each write, refused in the DockSaaS envelope with
 * S3's codes, and shown to the tenant at {@code .../usage} and in Prometheus.
 */
class QuotaSeedIT extends StorageSeedFixture {

  @AfterEach
  void authServiceUp() {
    AuthServiceStandIn.down(false);
  }

  private JsonNode uploadExpecting(
      SeedInstance i, String bucket, byte[] bytes, String key, int status) {
    return json(
        request(HttpMethod.POST, i.base() + "/buckets/" + bucket + "/objects", i.token())
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(form(bytes, key, "application/pdf")))
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  private JsonNode createBucketExpecting(SeedInstance i, String name, int status) {
    return json(
        request(HttpMethod.POST, i.base() + "/buckets", i.token())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("name", name))
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  private static void assertError(JsonNode body, String code) {
    assertThat(body.path("error").path("code").asString()).as(body.toString()).isEqualTo(code);
    assertThat(body.path("requestId").isMissingNode()).isFalse();
  }

  private JsonNode usage(SeedInstance i) {
    return get(i.base() + "/usage", i.token(), 200);
  }

  @Test
  void bucketsStopAtTheTenantsLimitAcrossItsInstancesAndARaisedLimitMakesRoom() {
    SeedInstance first = seedInstance("quota-buckets");
    AuthServiceStandIn.setQuotas(first.tenant(), Map.of("buckets", 2L));
    // A second instance of the same tenant shares the limit.
    String secondService = newInstance(first.tenant(), "quota-buckets-2");
    SeedInstance second =
        new SeedInstance(
            first.tenant(),
            first.token(),
            secondService,
            "/api/s3storage/" + first.tenant() + "/" + secondService);

    createBucketExpecting(first, "one", 201);
    createBucketExpecting(second, "two", 201);
    assertError(createBucketExpecting(second, "three", 400), "TooManyBuckets");
    assertThat(get(second.base() + "/buckets", second.token(), 200).path("count").asInt())
        .isEqualTo(1);
    assertThat(usage(first).path("tenant").path("buckets").asLong()).isEqualTo(2);

    // Deleting one makes room; so does raising the limit (within the 1 s cache of the tests).
    delete(first.base() + "/buckets/one", first.token(), 204);
    createBucketExpecting(second, "three", 201);
    assertError(createBucketExpecting(first, "four", 400), "TooManyBuckets");
    AuthServiceStandIn.setQuotas(first.tenant(), Map.of("buckets", 3L));
    await(() -> status(first, "four") == 201, "bucket created once the raised limit is fetched");
    assertThat(usage(first).path("quotas").path("buckets").asLong()).isEqualTo(3);
  }

  private int status(SeedInstance i, String bucket) {
    return request(HttpMethod.POST, i.base() + "/buckets", i.token())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", bucket))
        .exchange()
        .returnResult(String.class)
        .getStatus()
        .value();
  }

  @Test
  void anUploadPastTheStoredBytesIsRefusedLeavingNothingAndARaisedLimitTakesIt() throws Exception {
    SeedInstance i = seedInstance("quota-bytes");
    AuthServiceStandIn.setQuotas(i.tenant(), Map.of("stored_bytes", 100_000L));
    createBucket(i.base(), i.token(), "docs");
    upload(i.base(), i.token(), "docs", randomBytes(60_000), "a.bin");

    assertError(uploadExpecting(i, "docs", randomBytes(60_000), "b.bin", 403), "QuotaExceeded");
    // Nothing half-written: no row, no blob, no temporary file of the refused upload.
    get(i.base() + "/buckets/docs/objects/b.bin", i.token(), 404);
    assertThat(blobFiles(i.service())).hasSize(1);
    assertThat(tmpFiles()).isEmpty();
    assertThat(usage(i).path("tenant").path("storedBytes").asLong()).isEqualTo(60_000);

    // Replacing an object by a smaller one, or deleting, is always allowed.
    upload(i.base(), i.token(), "docs", randomBytes(30_000), "a.bin");
    assertThat(usage(i).path("tenant").path("storedBytes").asLong()).isEqualTo(30_000);
    upload(i.base(), i.token(), "docs", randomBytes(60_000), "b.bin");

    AuthServiceStandIn.setQuotas(i.tenant(), Map.of("stored_bytes", 200_000L));
    await(
        () -> uploadStatus(i, "docs", randomBytes(60_000), "c.bin") == 201,
        "upload accepted under the raised limit");
    assertThat(usage(i).path("tenant").path("storedBytes").asLong()).isEqualTo(150_000);
  }

  /** auth-service's tenant-wide usage asks here, with the internal secret and nothing else. */
  @Test
  void theInternalUsageEndpointAnswersTheTenantsCountsBehindTheInternalSecret() {
    SeedInstance i = seedInstance("quota-internal");
    createBucket(i.base(), i.token(), "docs");
    upload(i.base(), i.token(), "docs", randomBytes(7_000), "a.bin");
    String path = "/internal/tenants/" + i.tenant() + "/usage";

    JsonNode usage =
        json(
            http.get()
                .uri(path)
                .header("X-Cumulus-Internal-Secret", AuthServiceStandIn.INTERNAL_SECRET)
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(usage.path("tenantId").asString()).isEqualTo(i.tenant());
    assertThat(usage.path("usage").path("buckets").asLong()).isEqualTo(1);
    assertThat(usage.path("usage").path("objects").asLong()).isEqualTo(1);
    assertThat(usage.path("usage").path("storedBytes").asLong()).isEqualTo(7_000);
    assertThat(usage.path("usage").path("parkedBytes").asLong()).isZero();
    http.get().uri(path).exchange().expectStatus().isUnauthorized();
    http.get()
        .uri(path)
        .header("X-Cumulus-Internal-Secret", "wrong")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    // A tenant's own token is no substitute for the secret.
    http.get()
        .uri(path)
        .header("Authorization", "Bearer " + i.token())
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  private int uploadStatus(SeedInstance i, String bucket, byte[] bytes, String key) {
    return request(HttpMethod.POST, i.base() + "/buckets/" + bucket + "/objects", i.token())
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(form(bytes, key, "application/pdf")))
        .exchange()
        .returnResult(String.class)
        .getStatus()
        .value();
  }

  @Test
  void anObjectAboveTheLargestIsEntityTooLarge() throws Exception {
    SeedInstance i = seedInstance("quota-large");
    AuthServiceStandIn.setQuotas(i.tenant(), Map.of("max_object_bytes", 50_000L));
    createBucket(i.base(), i.token(), "docs");
    // Within the form's margin: refused as the file streams.
    assertError(uploadExpecting(i, "docs", randomBytes(50_001), "a.bin", 400), "EntityTooLarge");
    // Far above: refused from Content-Length, before the form is read.
    assertError(uploadExpecting(i, "docs", randomBytes(300_000), "b.bin", 400), "EntityTooLarge");
    assertThat(blobFiles(i.service())).isEmpty();
    assertThat(tmpFiles()).isEmpty();
    upload(i.base(), i.token(), "docs", randomBytes(50_000), "c.bin");
  }

  /** Concurrent uploads are counted one after the other: exactly as many pass as fit. */
  @Test
  void concurrentUploadsCannotTogetherPassAQuotaOnlySomeFit() throws Exception {
    SeedInstance i = seedInstance("quota-race");
    AuthServiceStandIn.setQuotas(i.tenant(), Map.of("stored_bytes", 25_000L));
    createBucket(i.base(), i.token(), "docs");
    List<Integer> statuses =
        Flux.range(0, 8)
            .parallel(8)
            .runOn(Schedulers.boundedElastic())
            .map(n -> uploadStatus(i, "docs", randomBytes(10_000), "k" + n))
            .sequential()
            .collectList()
            .block(Duration.ofSeconds(60));
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(2);
    assertThat(statuses).filteredOn(s -> s == 403).hasSize(6);
    JsonNode usage = usage(i);
    assertThat(usage.path("tenant").path("storedBytes").asLong()).isEqualTo(20_000);
    assertThat(usage.path("tenant").path("objects").asLong()).isEqualTo(2);
    assertThat(blobFiles(i.service())).hasSize(2);
  }

  @Test
  void usageFollowsPutsDeletesAndMultipartUploadsExactly() throws Exception {
    SeedInstance i = seedInstance("quota-usage");
    createBucket(i.base(), i.token(), "docs");
    createBucket(i.base(), i.token(), "more");
    upload(i.base(), i.token(), "docs", randomBytes(1_000), "a");
    upload(i.base(), i.token(), "docs", randomBytes(2_000), "b");
    upload(i.base(), i.token(), "more", randomBytes(4_000), "c");
    delete(i.base() + "/buckets/docs/objects/b", i.token(), 204);

    Instance instance = instanceService.require(i.tenant(), i.service()).block();
    var upload = multipartService.create(instance, "more", "big", null, Map.of()).block();
    int partSize = 5 * 1024 * 1024;
    UploadedPart one =
        multipartService
            .uploadPart(instance, "more", "big", upload.uploadId(), 1, bytes(partSize))
            .block();
    UploadedPart two =
        multipartService
            .uploadPart(instance, "more", "big", upload.uploadId(), 2, bytes(123))
            .block();
    // Parts are not counted until the upload completes.
    assertThat(usage(i).path("tenant").path("storedBytes").asLong()).isEqualTo(5_000);
    multipartService
        .complete(
            instance,
            "more",
            "big",
            upload.uploadId(),
            List.of(
                new dev.cumulus.storage.multipart.application.MultipartService.CompletedPart(
                    1, one.etag()),
                new dev.cumulus.storage.multipart.application.MultipartService.CompletedPart(
                    2, two.etag())))
        .block();

    JsonNode usage = usage(i);
    long big = partSize + 123L;
    assertThat(usage.path("bucketCount").asLong()).isEqualTo(2);
    assertThat(usage.path("objectCount").asLong()).isEqualTo(3);
    assertThat(usage.path("totalBytes").asLong()).isEqualTo(5_000 + big);
    assertThat(usage.path("tenant").path("buckets").asLong()).isEqualTo(2);
    assertThat(usage.path("tenant").path("objects").asLong()).isEqualTo(3);
    assertThat(usage.path("tenant").path("storedBytes").asLong()).isEqualTo(5_000 + big);
    assertThat(usage.path("quotas").path("max_object_bytes").asLong()).isEqualTo(5L << 30);

    // The same numbers in Prometheus, labelled with the tenant.
    await(
        () -> gauge("cumulus_storage_stored_bytes", i.tenant()) == 5_000 + big,
        "the tenant's gauge");
    assertThat(gauge("cumulus_storage_objects", i.tenant())).isEqualTo(3);
    assertThat(gauge("cumulus_storage_buckets", i.tenant())).isEqualTo(2);

    // Deleting the instance takes everything off the tenant's count.
    delete(i.base() + "/buckets/docs/objects/a", i.token(), 204);
    publishInstanceEvent(i.tenant(), i.service(), "quota-usage", "deleted", "S3Storage");
    await(
        () ->
            db.sql(
                        "SELECT buckets, objects, stored_bytes FROM storage_tenant_usage WHERE tenant_id = :t")
                    .bind("t", i.tenant())
                    .map(
                        row ->
                            row.get(0, Long.class)
                                + row.get(1, Long.class)
                                + row.get(2, Long.class))
                    .one()
                    .block()
                == 0,
        "usage back to zero once the instance is gone");
  }

  /** The gauge's value for the tenant in the Prometheus scrape; -1 when absent. */
  private double gauge(String name, String tenant) {
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile(
                "(?m)^" + name + "\\{[^}]*tenant=\"" + tenant + "\"[^}]*\\} (\\S+)$")
            .matcher(prometheus());
    return line.find() ? Double.parseDouble(line.group(1)) : -1;
  }

  private String prometheus() {
    return http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static Flux<DataBuffer> bytes(int n) {
    return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(randomBytes(n)));
  }

  @Test
  void usageIsTheTenantsOwn() {
    SeedInstance mine = seedInstance("quota-mine");
    SeedInstance theirs = seedInstance("quota-theirs");
    createBucket(theirs.base(), theirs.token(), "secret");
    // Another tenant's token, at that tenant's path or with its own tenant in the path.
    request(HttpMethod.GET, theirs.base() + "/usage", mine.token())
        .exchange()
        .expectStatus()
        .isForbidden();
    request(
            HttpMethod.GET,
            "/api/s3storage/" + mine.tenant() + "/" + theirs.service() + "/usage",
            mine.token())
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(403, 404));
    request(HttpMethod.GET, theirs.base() + "/usage", null)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    JsonNode own = usage(mine);
    assertThat(own.path("tenantId").asString()).isEqualTo(mine.tenant());
    assertThat(own.path("tenant").path("buckets").asLong()).isZero();
    assertThat(usage(theirs).path("tenant").path("buckets").asLong()).isEqualTo(1);
  }

  /**
   * Without auth-service, a tenant whose limits were fetched before keeps them (recorded in its
   * usage row); one never seen cannot write (fail closed, 503), and reads go on.
   */
  @Test
  void withoutAuthServiceKnownLimitsHoldAndUnknownTenantsCannotWrite() throws Exception {
    SeedInstance known = seedInstance("quota-known");
    AuthServiceStandIn.setQuotas(known.tenant(), Map.of("stored_bytes", 15_000L));
    createBucket(known.base(), known.token(), "docs");
    SeedInstance unknown = seedInstance("quota-unknown");

    AuthServiceStandIn.down(true);
    Thread.sleep(
        1_100); // the known tenant's limits are due for a refresh, which auth-service fails
    upload(known.base(), known.token(), "docs", randomBytes(10_000), "a");
    assertError(uploadExpecting(known, "docs", randomBytes(10_000), "b", 403), "QuotaExceeded");
    assertError(createBucketExpecting(unknown, "docs", 503), "ServiceUnavailable");
    get(known.base() + "/buckets/docs/objects", known.token(), 200);
    AuthServiceStandIn.down(false);
    await(() -> status(unknown, "docs") == 201, "writes resume with auth-service");
  }

  /** A token of another tenant is refused before anything, whatever its quota. */
  @Test
  void anotherTenantsTokenCannotUpload() {
    SeedInstance i = seedInstance("quota-token");
    createBucket(i.base(), i.token(), "docs");
    String stranger = TestJwtIssuer.shared().token("t-stranger", "admin");
    request(HttpMethod.POST, i.base() + "/buckets/docs/objects", stranger)
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(form(randomBytes(10), "x", "text/plain")))
        .exchange()
        .expectStatus()
        .isForbidden();
  }
}
