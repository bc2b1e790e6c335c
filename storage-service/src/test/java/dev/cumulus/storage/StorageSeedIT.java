package dev.cumulus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.storage.blob.application.BlobJanitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 000 "S3-like Storage Service" end to end: the instance arrives as auth-service's {@code
 * service.created} event over Kafka, then every curl example runs over HTTP with a tenant token.
 */
@SpringBootTest(
    classes = StorageApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageSeedIT {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  static Path DATA;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    DATA = StorageTestProperties.register(registry, "storage");
    // These tests look at the disk (crash safety, the janitor, instance deletion): every object a
    // file here. Small objects kept in their row: S3ProtocolIT, and the e2e tests' seed uploads.
    registry.add("cumulus.storage.inline-threshold", () -> "0");
    // concurrentWritesOfOneKeyLeaveOneFile has every writer wait in PostgreSQL for the key's lock:
    // a statement each, not queued behind two shared ones (group commit: S3GroupCommitIT).
    registry.add("cumulus.storage.commit-batch.max-in-flight", () -> "8");
    // Its own consumer group: other test contexts in this JVM consume the same topic.
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "storage-it-" + UUID.randomUUID());
  }

  @LocalServerPort int port;
  @Autowired Outbox outbox;
  @Autowired DatabaseClient db;
  @Autowired io.r2dbc.spi.ConnectionFactory connections;
  @Autowired dev.cumulus.storage.multipart.application.MultipartService multipartService;
  @Autowired BlobJanitor janitor;
  @Autowired dev.cumulus.storage.instance.application.InstanceService instanceService;
  @Autowired dev.cumulus.storage.object.application.ObjectDeleter objectService;
  @Autowired dev.cumulus.storage.object.application.ObjectVersionService versionService;

  WebTestClient http;

  @BeforeEach
  void client() {
    http =
        TestClients.http(port)
            .mutate()
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
            .build();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void everySeedStorageExampleWorks() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "my-storage");
    String base = "/api/s3storage/" + tenant + "/" + service;

    // Create Bucket (exact seed body)
    JsonNode bucket =
        json(
            http.post()
                .uri(base + "/buckets")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    """
                    {
                      "name": "my-documents",
                      "versioning": true,
                      "encryption": true,
                      "publicAccess": false
                    }
                    """)
                .exchange()
                .expectStatus()
                .isCreated());
    assertThat(bucket.path("name").asString()).isEqualTo("my-documents");
    assertThat(bucket.path("versioning").asBoolean()).isTrue();
    assertThat(bucket.path("encryption").asBoolean()).isTrue();
    assertThat(bucket.path("publicAccess").asBoolean()).isFalse();
    assertThat(bucket.path("createdAt").asString()).isNotBlank();

    // List Buckets
    JsonNode buckets = get(base + "/buckets", token, 200);
    assertThat(buckets.path("buckets").size()).isEqualTo(1);
    assertThat(buckets.path("buckets").get(0).path("name").asString()).isEqualTo("my-documents");

    // Upload Object (file, key, contentType), larger than the in-memory part threshold
    byte[] pdf = randomBytes(300_000);
    JsonNode uploaded = upload(base, token, "my-documents", pdf, "documents/important.pdf");
    assertThat(uploaded.path("key").asString()).isEqualTo("documents/important.pdf");
    assertThat(uploaded.path("size").asLong()).isEqualTo(pdf.length);
    assertThat(uploaded.path("etag").asString()).isEqualTo(md5(pdf));
    upload(base, token, "my-documents", "b".getBytes(StandardCharsets.UTF_8), "documents/b.txt");
    upload(base, token, "my-documents", "c".getBytes(StandardCharsets.UTF_8), "documents/c.txt");
    upload(base, token, "my-documents", "x".getBytes(StandardCharsets.UTF_8), "other/x.txt");

    // Get Bucket Details
    JsonNode details = get(base + "/buckets/my-documents", token, 200);
    assertThat(details.path("name").asString()).isEqualTo("my-documents");
    assertThat(details.path("objectCount").asLong()).isEqualTo(4);
    assertThat(details.path("totalBytes").asLong()).isEqualTo(pdf.length + 3);

    // List Objects in Bucket (seed query), then paging with continuation
    JsonNode listed =
        get(base + "/buckets/my-documents/objects?prefix=documents/&maxKeys=100", token, 200);
    assertThat(keys(listed))
        .containsExactly("documents/b.txt", "documents/c.txt", "documents/important.pdf");
    assertThat(listed.path("isTruncated").asBoolean()).isFalse();
    JsonNode first = listed.path("objects").get(2);
    assertThat(first.path("size").asLong()).isEqualTo(pdf.length);
    assertThat(first.path("etag").asString()).isEqualTo(md5(pdf));
    assertThat(first.path("contentType").asString()).isEqualTo("application/pdf");
    assertThat(first.path("lastModified").asString()).isNotBlank();
    JsonNode page1 =
        get(base + "/buckets/my-documents/objects?prefix=documents/&maxKeys=2", token, 200);
    assertThat(keys(page1)).containsExactly("documents/b.txt", "documents/c.txt");
    assertThat(page1.path("isTruncated").asBoolean()).isTrue();
    String next = page1.path("nextContinuationToken").asString();
    JsonNode page2 =
        get(
            base
                + "/buckets/my-documents/objects?prefix=documents/&maxKeys=2&continuationToken="
                + next,
            token,
            200);
    assertThat(keys(page2)).containsExactly("documents/important.pdf");
    assertThat(page2.path("isTruncated").asBoolean()).isFalse();

    // Download Object: byte-equal, with headers
    EntityExchangeResult<byte[]> download =
        http.get()
            .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult();
    assertThat(download.getResponseBody()).isEqualTo(pdf);
    HttpHeaders headers = download.getResponseHeaders();
    assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PDF);
    assertThat(headers.getContentLength()).isEqualTo(pdf.length);
    assertThat(headers.getETag()).isEqualTo("\"" + md5(pdf) + "\"");
    assertThat(headers.getLastModified()).isPositive();

    // HEAD: the headers without the body
    http.head()
        .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentLength(pdf.length)
        .expectHeader()
        .valueEquals("ETag", "\"" + md5(pdf) + "\"")
        .expectBody()
        .isEmpty();

    // Range
    EntityExchangeResult<byte[]> partial =
        http.get()
            .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
            .header("Authorization", "Bearer " + token)
            .header("Range", "bytes=100-199")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult();
    assertThat(partial.getResponseBody()).isEqualTo(Arrays.copyOfRange(pdf, 100, 200));
    assertThat(partial.getResponseHeaders().getFirst("Content-Range"))
        .isEqualTo("bytes 100-199/" + pdf.length);
    EntityExchangeResult<byte[]> suffix =
        http.get()
            .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
            .header("Authorization", "Bearer " + token)
            .header("Range", "bytes=-10")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult();
    assertThat(suffix.getResponseBody())
        .isEqualTo(Arrays.copyOfRange(pdf, pdf.length - 10, pdf.length));
    http.get()
        .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
        .header("Authorization", "Bearer " + token)
        .header("Range", "bytes=" + pdf.length + "-")
        .exchange()
        .expectStatus()
        .isEqualTo(416)
        .expectHeader()
        .valueEquals("Content-Range", "bytes */" + pdf.length)
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("InvalidRange");

    // Replacing a key serves the new bytes; the bucket has versioning on, so the old version
    // keeps its file
    byte[] replacement = randomBytes(1234);
    upload(base, token, "my-documents", replacement, "documents/important.pdf");
    assertThat(download(base + "/buckets/my-documents/objects/documents/important.pdf", token))
        .isEqualTo(replacement);
    assertThat(blobFiles(service)).hasSize(5);

    // Get Storage Usage
    JsonNode usage = get(base + "/usage", token, 200);
    assertThat(usage.path("bucketCount").asLong()).isEqualTo(1);
    assertThat(usage.path("objectCount").asLong()).isEqualTo(4);
    assertThat(usage.path("totalBytes").asLong()).isEqualTo(replacement.length + 3);

    // Delete Bucket refused while it holds objects
    JsonNode notEmpty = delete(base + "/buckets/my-documents", token, 409);
    assertThat(notEmpty.path("error").path("code").asString()).isEqualTo("BucketNotEmpty");

    // Delete Object
    http.delete()
        .uri(base + "/buckets/my-documents/objects/documents/important.pdf")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isNoContent();
    JsonNode gone = get(base + "/buckets/my-documents/objects/documents/important.pdf", token, 404);
    assertThat(gone.path("error").path("code").asString()).isEqualTo("NoSuchKey");
    assertThat(gone.path("requestId").asString()).isNotBlank();
    for (String key : List.of("documents/b.txt", "documents/c.txt", "other/x.txt")) {
      http.delete()
          .uri(base + "/buckets/my-documents/objects/" + key)
          .header("Authorization", "Bearer " + token)
          .exchange()
          .expectStatus()
          .isNoContent();
    }
    // Versioning on: deletes wrote delete markers and every version keeps its file, so the
    // bucket is not empty until they are removed (by version id, which the seed API lacks).
    assertThat(get(base + "/usage", token, 200).path("objectCount").asLong()).isZero();
    assertThat(blobFiles(service)).hasSize(5);
    delete(base + "/buckets/my-documents", token, 409);
    purgeVersions(tenant, service, "my-documents");
    assertThat(blobFiles(service)).isEmpty();

    // Delete Bucket, now empty
    http.delete()
        .uri(base + "/buckets/my-documents")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isNoContent();
    get(base + "/buckets/my-documents", token, 404);
    assertThat(get(base + "/usage", token, 200).path("bucketCount").asLong()).isZero();

    // Events on Kafka, each with tenant and instance
    // 1 bucket created, 5 objects created, 4 delete markers, 9 versions purged, 1 bucket deleted
    List<ReceivedEvent> events = storageEvents(service, 20);
    List<String> types = events.stream().map(ReceivedEvent::type).toList();
    assertThat(types)
        .contains(
            "dev.cumulus.storage.bucket.created.v1",
            "dev.cumulus.storage.object.created.v1",
            "dev.cumulus.storage.object.deleted.v1",
            "dev.cumulus.storage.bucket.deleted.v1");
    assertThat(types.stream().filter("dev.cumulus.storage.object.created.v1"::equals)).hasSize(5);
    ReceivedEvent created =
        events.stream()
            .filter(e -> e.type().equals("dev.cumulus.storage.object.created.v1"))
            .findFirst()
            .orElseThrow();
    JsonNode data = JSON.readTree(created.data());
    assertThat(created.tenantId()).isEqualTo(tenant);
    assertThat(data.path("tenantId").asString()).isEqualTo(tenant);
    assertThat(data.path("serviceId").asString()).isEqualTo(service);
    assertThat(data.path("bucket").asString()).isEqualTo("my-documents");
  }

  @Test
  void aPutIntoABucketDeletedThroughAnotherNodeIsNoSuchBucketAndLeavesNoFile() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "my-storage");
    String base = "/api/s3storage/" + tenant + "/" + service;
    createBucket(base, token, "short-lived");
    // This node now remembers the bucket for object requests (bucket-read-cache-ttl)...
    upload(base, token, "short-lived", "one".getBytes(StandardCharsets.UTF_8), "a.txt");
    assertThat(blobFiles(service)).hasSize(1);
    // ...when another node deletes it (its rows go; that node removes the files).
    db.sql("DELETE FROM storage_buckets WHERE service_id = :s AND name = 'short-lived'")
        .bind("s", service)
        .fetch()
        .rowsUpdated()
        .block(Duration.ofSeconds(10));

    JsonNode refused =
        json(
            http.post()
                .uri(base + "/buckets/short-lived/objects")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(new byte[1000], "b.txt", "text/plain")))
                .exchange()
                .expectStatus()
                .isNotFound());
    assertThat(refused.path("error").path("code").asString()).isEqualTo("NoSuchBucket");
    assertThat(blobFiles(service)).hasSize(1); // the new bytes were removed again
  }

  @Test
  void objectsOfAPublicBucketCanBeReadWithoutAToken() {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "my-site");
    String base = "/api/s3storage/" + tenant + "/" + service;
    createBucket(base, token, "site", true);
    createBucket(base, token, "private", false);
    byte[] page = "<h1>hello</h1>".getBytes(StandardCharsets.UTF_8);
    upload(base, token, "site", page, "index.html");
    upload(base, token, "private", page, "index.html");
    String object = base + "/buckets/site/objects/index.html";

    // Anyone may read the public bucket's object: whole, a range, its headers.
    assertThat(
            http.get()
                .uri(object)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody())
        .isEqualTo(page);
    http.get()
        .uri(object)
        .header("Range", "bytes=4-8")
        .exchange()
        .expectStatus()
        .isEqualTo(206)
        .expectBody(String.class)
        .isEqualTo("hello");
    http.head().uri(object).exchange().expectStatus().isOk().expectHeader().contentLength(14);

    // Nothing else without a token: the private bucket, a missing key's bucket or instance,
    // listing, writing, deleting. The same 401 whether the thing exists or not.
    for (String hidden :
        List.of(
            base + "/buckets/private/objects/index.html",
            base + "/buckets/nope/objects/index.html",
            "/api/s3storage/"
                + tenant
                + "/"
                + UUID.randomUUID()
                + "/buckets/site/objects/index.html",
            "/api/s3storage/t-other/" + service + "/buckets/site/objects/index.html",
            base + "/buckets/site/objects",
            base + "/buckets/site")) {
      JsonNode refused = json(http.get().uri(hidden).exchange().expectStatus().isUnauthorized());
      assertThat(refused.path("error").path("message").asString()).isNotBlank();
    }
    http.delete().uri(object).exchange().expectStatus().isUnauthorized();
    http.post()
        .uri(base + "/buckets/site/objects")
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(form(page, "evil.html", "text/html")))
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(download(object, token)).isEqualTo(page);
    get(base + "/buckets/site/objects/evil.html", token, 404);

    // A token is checked as anywhere: another tenant's is refused even for a public object.
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    get(object, stranger, 403);
  }

  /** The seed's curl commands, run with curl itself (its multipart encoding, its headers). */
  @Test
  void theSeedsCurlCommandsWorkAsWritten() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "curl-storage");
    String base = "http://127.0.0.1:" + port + "/api/s3storage/" + tenant + "/" + service;
    Path dir = Files.createTempDirectory("storage-curl");
    byte[] pdf = randomBytes(70_000);
    Files.write(dir.resolve("document.pdf"), pdf);

    assertThat(
            curl(
                dir,
                token,
                "-X",
                "POST",
                base + "/buckets",
                "-H",
                "Content-Type: application/json",
                "-d",
                """
                {
                    "name": "my-documents",
                    "versioning": true,
                    "encryption": true,
                    "publicAccess": false
                  }\
                """))
        .startsWith("201");
    assertThat(curl(dir, token, "-X", "GET", base + "/buckets")).startsWith("200");
    assertThat(curl(dir, token, "-X", "GET", base + "/buckets/my-documents")).startsWith("200");
    String uploaded =
        curl(
            dir,
            token,
            "-X",
            "POST",
            base + "/buckets/my-documents/objects",
            "-F",
            "file=@document.pdf",
            "-F",
            "key=documents/important.pdf",
            "-F",
            "contentType=application/pdf");
    assertThat(uploaded).startsWith("201");
    assertThat(JSON.readTree(uploaded.substring(3)).path("etag").asString()).isEqualTo(md5(pdf));
    String listed =
        curl(
            dir,
            token,
            "-X",
            "GET",
            base + "/buckets/my-documents/objects?prefix=documents/&maxKeys=100");
    assertThat(keys(JSON.readTree(listed.substring(3)))).containsExactly("documents/important.pdf");
    assertThat(
            curl(
                dir,
                token,
                "-X",
                "GET",
                base + "/buckets/my-documents/objects/documents/important.pdf",
                "-o",
                "downloaded_file.pdf"))
        .startsWith("200");
    assertThat(Files.readAllBytes(dir.resolve("downloaded_file.pdf"))).isEqualTo(pdf);
    assertThat(
            curl(
                dir,
                token,
                "-X",
                "DELETE",
                base + "/buckets/my-documents/objects/documents/important.pdf"))
        .startsWith("204");
    String usage = curl(dir, token, "-X", "GET", base + "/usage");
    assertThat(usage).startsWith("200");
    assertThat(JSON.readTree(usage.substring(3)).path("objectCount").asLong()).isZero();
  }

  /** Runs curl in {@code dir} with the seed's two headers; returns "status body". */
  static String curl(Path dir, String token, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "%{http_code}"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("-H", "Authorization: Bearer " + token, "-H", "X-API-Key: ck_seed_example"));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    // -w appends the status: move it to the front.
    return output.substring(output.length() - 3) + " " + output.substring(0, output.length() - 3);
  }

  @Test
  void anEncryptedBucketServesThePlaintextAndKeepsOnlyCiphertextOnDisk() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "sealed");
    String base = "/api/s3storage/" + tenant + "/" + service;
    http.post()
        .uri(base + "/buckets")
        .header("Authorization", "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "name", "sealed", "versioning", false, "encryption", true, "publicAccess", false))
        .exchange()
        .expectStatus()
        .isCreated();
    String marker = "SEED-SECRET-" + UUID.randomUUID();
    byte[] bytes =
        java.util.Arrays.copyOf(
            (marker + " is a line of plaintext\n").repeat(8000).getBytes(StandardCharsets.UTF_8),
            300_000);

    JsonNode uploaded = upload(base, token, "sealed", bytes, "docs/secret.txt");
    assertThat(uploaded.path("size").asLong()).isEqualTo(bytes.length);
    assertThat(uploaded.path("etag").asString()).isEqualTo(md5(bytes));
    assertThat(download(base + "/buckets/sealed/objects/docs/secret.txt", token)).isEqualTo(bytes);
    byte[] range =
        http.get()
            .uri(base + "/buckets/sealed/objects/docs/secret.txt")
            .header("Authorization", "Bearer " + token)
            .header("Range", "bytes=65000-140000")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(bytes, 65_000, 140_001));
    assertThat(get(base + "/buckets/sealed", token, 200).path("encryption").asBoolean()).isTrue();

    assertThat(blobFiles(service)).hasSize(1);
    assertThat(
            new String(Files.readAllBytes(blobFiles(service).get(0)), StandardCharsets.ISO_8859_1))
        .doesNotContain(marker);
  }

  /**
   * Concurrent writers of one new key, all queued at their commit behind the key's lock: the last
   * commit wins, one row and one file remain, and every write has its created event.
   */
  @Test
  void concurrentWritesOfOneKeyLeaveOneFile() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "race");
    String base = "/api/s3storage/" + tenant + "/" + service;
    createBucket(base, token, "race");
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(randomBytes(20_000 + i));
    }
    String key = "same/key.bin";
    java.util.concurrent.CompletableFuture<List<Integer>> writes;
    try (KeyLock lock = keyLock(service, "race", key)) {
      writes =
          reactor.core.publisher.Flux.range(0, bodies.size())
              .flatMap(
                  i ->
                      reactor.core.publisher.Mono.fromCallable(
                              () ->
                                  http.post()
                                      .uri(base + "/buckets/race/objects")
                                      .header("Authorization", "Bearer " + token)
                                      .header("X-Request-Id", "race-" + i)
                                      .contentType(MediaType.MULTIPART_FORM_DATA)
                                      .body(
                                          BodyInserters.fromMultipartData(
                                              form(bodies.get(i), key, "application/pdf")))
                                      .exchange()
                                      .returnResult(byte[].class)
                                      .getStatus()
                                      .value())
                          .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()),
                  bodies.size())
              .collectList()
              .toFuture();
      await(() -> lock.waiters() == bodies.size(), "every writer waiting for the key's lock");
    }
    assertThat(writes.get(60, java.util.concurrent.TimeUnit.SECONDS)).containsOnly(201);

    assertThat(blobFiles(service)).hasSize(1);
    byte[] stored = download(base + "/buckets/race/objects/same/key.bin", token);
    assertThat(bodies).anySatisfy(b -> assertThat(b).isEqualTo(stored));
    assertThat(Files.readAllBytes(blobFiles(service).get(0))).isEqualTo(stored);
    assertThat(
            db.sql(
                    """
                    SELECT count(*) AS n FROM storage_objects o
                    JOIN storage_buckets b ON b.id = o.bucket_id
                    WHERE b.service_id = :s AND b.name = 'race' AND o.object_key = :k
                    """)
                .bind("s", service)
                .bind("k", key)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isEqualTo(1L);
    List<Map<String, Object>> events =
        db.sql(
                """
                SELECT event_type, source, tenant_id, request_id, payload::text AS payload
                FROM cumulus_outbox WHERE event_key = :k ORDER BY seq
                """)
            .bind("k", service + "/race/" + key)
            .fetch()
            .all()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(events).hasSize(bodies.size());
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.get("event_type")).isEqualTo("dev.cumulus.storage.object.created.v1");
              assertThat(e.get("source")).isEqualTo("/storage");
              assertThat(e.get("tenant_id")).isEqualTo(tenant);
            });
    assertThat(events)
        .extracting(e -> e.get("request_id"))
        .containsExactlyInAnyOrder("race-0", "race-1", "race-2", "race-3", "race-4", "race-5");
    // The event as before: the payload of the write that made it.
    Map<String, Object> first = events.get(0);
    byte[] body = bodies.get(Integer.parseInt(((String) first.get("request_id")).substring(5)));
    assertThat(JSON.readTree((String) first.get("payload")))
        .isEqualTo(
            JSON.valueToTree(
                Map.of(
                    "tenantId",
                    tenant,
                    "serviceId",
                    service,
                    "bucket",
                    "race",
                    "key",
                    key,
                    "size",
                    body.length,
                    "etag",
                    md5(body),
                    "contentType",
                    "application/pdf")));
  }

  /**
   * A part still arriving when its upload is aborted: its row cannot refer to the upload any more
   * (foreign key), so the part is refused as NoSuchUpload and the bytes it wrote are deleted.
   */
  @Test
  void aPartArrivingWhileItsUploadIsAbortedIsRefusedAndItsBytesDeleted() throws Exception {
    var instance = instanceWithBucket("aborted", "parts");
    String service = instance.serviceId();
    String uploadId =
        multipartService
            .create(instance, "parts", "late.bin", "application/x-test", Map.of())
            .block(Duration.ofSeconds(10))
            .uploadId();
    var factory = org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance;
    var bodyStarted = new java.util.concurrent.CountDownLatch(1);
    reactor.core.publisher.Sinks.Empty<Void> rest = reactor.core.publisher.Sinks.empty();
    java.util.concurrent.CompletableFuture<String> part =
        multipartService
            .uploadPart(
                instance,
                "parts",
                "late.bin",
                uploadId,
                1,
                reactor.core.publisher.Flux.<org.springframework.core.io.buffer.DataBuffer>concat(
                        reactor.core.publisher.Flux.just(factory.wrap(randomBytes(20_000))),
                        rest.asMono()
                            .thenMany(
                                reactor.core.publisher.Flux.just(
                                    factory.wrap(randomBytes(20_000)))))
                    .doOnSubscribe(s -> bodyStarted.countDown()))
            .map(uploaded -> "stored")
            .onErrorResume(
                dev.cumulus.platform.error.ApiException.class,
                e -> reactor.core.publisher.Mono.just(e.code()))
            .toFuture();
    assertThat(bodyStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    multipartService.abort(instance, "parts", "late.bin", uploadId).block(Duration.ofSeconds(10));
    rest.tryEmitEmpty();

    assertThat(part.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("NoSuchUpload");
    assertThat(blobFiles(service)).isEmpty();
    assertThat(
            db.sql("SELECT count(*) AS n FROM storage_multipart_parts WHERE upload_id = :u")
                .bind("u", uploadId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isZero();
  }

  /**
   * Two Completes of one multipart upload, both queued at their commit: the first makes the object
   * and removes the upload in one transaction; the second finds the upload gone in its own, so its
   * object row and event roll back with it (NoSuchUpload) and its bytes are deleted.
   */
  @Test
  void racingCompletesOfOneUploadCommitOnce() throws Exception {
    var instance = instanceWithBucket("parts", "parts");
    String service = instance.serviceId();
    String key = "assembled.bin";
    String uploadId =
        multipartService
            .create(instance, "parts", key, "application/x-test", Map.of("m", "1"))
            .block(Duration.ofSeconds(10))
            .uploadId();
    byte[] bytes = randomBytes(30_000);
    var part =
        multipartService
            .uploadPart(
                instance,
                "parts",
                key,
                uploadId,
                1,
                reactor.core.publisher.Flux.just(
                    org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(
                        bytes)))
            .block(Duration.ofSeconds(10));
    reactor.core.publisher.Mono<String> complete =
        multipartService
            .complete(
                instance,
                "parts",
                key,
                uploadId,
                List.of(
                    new dev.cumulus.storage.multipart.application.MultipartService.CompletedPart(
                        1, part.etag())))
            .map(object -> "completed")
            .onErrorResume(
                dev.cumulus.platform.error.ApiException.class,
                e -> reactor.core.publisher.Mono.just(e.code()));
    java.util.concurrent.CompletableFuture<List<String>> results;
    try (KeyLock lock = keyLock(service, "parts", key)) {
      results = reactor.core.publisher.Flux.merge(complete, complete).collectList().toFuture();
      await(() -> lock.waiters() == 2, "both Completes waiting for the key's lock");
    }
    assertThat(results.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .containsExactlyInAnyOrder("completed", "NoSuchUpload");

    assertThat(
            db.sql(
                    """
                    SELECT (SELECT count(*) FROM storage_objects WHERE object_key = :k)
                      + (SELECT count(*) FROM storage_multipart_uploads WHERE upload_id = :u)
                      + (SELECT count(*) FROM storage_multipart_parts WHERE upload_id = :u) AS n
                    """)
                .bind("k", key)
                .bind("u", uploadId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .as("one object row, no upload or part row")
        .isEqualTo(1L);
    assertThat(
            db.sql("SELECT count(*) AS n FROM cumulus_outbox WHERE event_key = :k")
                .bind("k", service + "/parts/" + key)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isEqualTo(1L);
    assertThat(blobFiles(service)).hasSize(1);
    assertThat(Files.readAllBytes(blobFiles(service).get(0))).isEqualTo(bytes);
  }

  @Test
  void onlyTheInstancesOwnTenantReachesIt() {
    String tenantA = "ta-" + UUID.randomUUID();
    String tenantB = "tb-" + UUID.randomUUID();
    String serviceA = newInstance(tenantA, "a-storage");
    String tokenA = TestJwtIssuer.shared().token(tenantA, "admin");
    String tokenB = TestJwtIssuer.shared().token(tenantB, "admin");
    createBucket("/api/s3storage/" + tenantA + "/" + serviceA, tokenA, "secret-bucket");

    // B's token on A's path: refused
    JsonNode forbidden =
        get("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets", tokenB, 403);
    assertThat(forbidden.path("error").path("code").asString()).isNotBlank();
    get("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets/secret-bucket", tokenB, 403);
    // B's own tenant in the path, A's instance: it does not exist for B
    JsonNode missing = get("/api/s3storage/" + tenantB + "/" + serviceA + "/buckets", tokenB, 404);
    assertThat(missing.path("error").path("code").asString()).isEqualTo("NoSuchService");
    // Unknown instance
    get("/api/s3storage/" + tenantA + "/" + UUID.randomUUID() + "/buckets", tokenA, 404);
    // An API key bound to another instance of the same tenant
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenantA, "admin");
    claims.put(CumulusClaims.API_KEY_ID, "k1");
    claims.put(CumulusClaims.SERVICE_ID, UUID.randomUUID().toString());
    get(
        "/api/s3storage/" + tenantA + "/" + serviceA + "/buckets",
        TestJwtIssuer.shared().token(claims),
        403);
    // No token at all
    http.get()
        .uri("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    // The instance-bound key of this very instance works
    claims.put(CumulusClaims.SERVICE_ID, serviceA);
    assertThat(
            get(
                    "/api/s3storage/" + tenantA + "/" + serviceA + "/buckets",
                    TestJwtIssuer.shared().token(claims),
                    200)
                .path("buckets")
                .size())
        .isEqualTo(1);
  }

  @Test
  void badInputIsRefusedAndLeavesNothingBehind() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "bad-input");
    String base = "/api/s3storage/" + tenant + "/" + service;

    for (String name :
        List.of("ab", "My_Bucket", "-dash", "a..b", "192.168.1.10", "x".repeat(64))) {
      JsonNode error =
          json(
              http.post()
                  .uri(base + "/buckets")
                  .header("Authorization", "Bearer " + token)
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("name", name))
                  .exchange()
                  .expectStatus()
                  .isBadRequest());
      assertThat(error.path("error").path("code").asString())
          .as(name)
          .isEqualTo("InvalidBucketName");
    }
    createBucket(base, token, "inputs");
    JsonNode duplicate =
        json(
            http.post()
                .uri(base + "/buckets")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "inputs"))
                .exchange()
                .expectStatus()
                .isEqualTo(409));
    assertThat(duplicate.path("error").path("code").asString()).isEqualTo("BucketAlreadyExists");

    // Key over 1,024 bytes (multi-byte characters count as bytes)
    String longKey = "é".repeat(513);
    JsonNode tooLong =
        json(
            http.post()
                .uri(base + "/buckets/inputs/objects")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(
                    BodyInserters.fromMultipartData(form(randomBytes(5000), longKey, "text/plain")))
                .exchange()
                .expectStatus()
                .isBadRequest());
    assertThat(tooLong.path("error").path("code").asString()).isEqualTo("KeyTooLongError");
    // Exactly 1,024 bytes is fine
    upload(base, token, "inputs", randomBytes(10), "k".repeat(1024));

    // Missing file
    MultipartBodyBuilder noFile = new MultipartBodyBuilder();
    noFile.part("key", "documents/missing.pdf");
    noFile.part("contentType", "application/pdf");
    JsonNode missingFile =
        json(
            http.post()
                .uri(base + "/buckets/inputs/objects")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(noFile.build()))
                .exchange()
                .expectStatus()
                .isBadRequest());
    assertThat(missingFile.path("error").path("code").asString()).isEqualTo("InvalidRequest");
    assertThat(missingFile.path("error").path("details").asString())
        .isEqualTo("Missing required parameter: file");

    // Upload into a missing bucket
    JsonNode noBucket =
        json(
            http.post()
                .uri(base + "/buckets/nope-bucket/objects")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(randomBytes(10), "a.txt", "text/plain")))
                .exchange()
                .expectStatus()
                .isNotFound());
    assertThat(noBucket.path("error").path("code").asString()).isEqualTo("NoSuchBucket");

    // Bad maxKeys
    get(base + "/buckets/inputs/objects?maxKeys=5000", token, 400);

    // Nothing half-written: one object, one file, no temporary files
    JsonNode listed = get(base + "/buckets/inputs/objects", token, 200);
    assertThat(keys(listed)).containsExactly("k".repeat(1024));
    assertThat(blobFiles(service)).hasSize(1);
    assertThat(tmpFiles()).isEmpty();

    JsonNode notEmpty = delete(base + "/buckets/inputs", token, 409);
    assertThat(notEmpty.path("error").path("code").asString()).isEqualTo("BucketNotEmpty");
    assertThat(get(base + "/buckets/inputs", token, 200).path("objectCount").asLong()).isEqualTo(1);
  }

  @Test
  void serviceDeletedRemovesBucketsObjectsAndFiles() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "doomed");
    String base = "/api/s3storage/" + tenant + "/" + service;
    createBucket(base, token, "doomed-bucket");
    upload(base, token, "doomed-bucket", randomBytes(2048), "a/b/c.bin");
    assertThat(blobFiles(service)).hasSize(1);

    publishInstanceEvent(tenant, service, "doomed", "deleted", "S3Storage");
    await(() -> status(base + "/buckets", token) == 404, "instance removed");
    await(() -> !Files.exists(DATA.resolve("blobs").resolve(service)), "files removed");
    Long buckets =
        db.sql("SELECT count(*) FROM storage_buckets WHERE service_id = :s")
            .bind("s", service)
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(buckets).isZero();

    // Instances of other types are not storage instances
    String queue = UUID.randomUUID().toString();
    publishInstanceEvent(tenant, queue, "q", "created", "Queue");
    String marker = newInstance(tenant, "marker");
    assertThat(marker).isNotNull();
    assertThat(status("/api/s3storage/" + tenant + "/" + queue + "/buckets", token)).isEqualTo(404);
  }

  @Test
  void janitorRemovesOrphansButKeepsLiveFiles() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String service = newInstance(tenant, "janitor");
    String base = "/api/s3storage/" + tenant + "/" + service;
    createBucket(base, token, "kept");
    byte[] bytes = randomBytes(4096);
    upload(base, token, "kept", bytes, "live.bin");
    List<Path> live = blobFiles(service);
    assertThat(live).hasSize(1);

    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Path tmp = Files.createDirectories(DATA.resolve("tmp"));
    Path oldTemp = Files.writeString(tmp.resolve(UUID.randomUUID() + ".part"), "crashed upload");
    Files.setLastModifiedTime(oldTemp, old);
    Path freshTemp = Files.writeString(tmp.resolve(UUID.randomUUID() + ".part"), "in flight");
    Path orphan =
        Files.writeString(
            DATA.resolve("blobs").resolve(service).resolve(UUID.randomUUID().toString()),
            "moved, never committed");
    Files.setLastModifiedTime(orphan, old);
    Files.setLastModifiedTime(live.get(0), old);

    Long removed = janitor.sweep().block(Duration.ofSeconds(30));

    assertThat(removed).isGreaterThanOrEqualTo(2);
    assertThat(oldTemp).doesNotExist();
    assertThat(orphan).doesNotExist();
    assertThat(freshTemp).exists();
    assertThat(live.get(0)).exists();
    assertThat(download(base + "/buckets/kept/objects/live.bin", token)).isEqualTo(bytes);
    Files.delete(freshTemp);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A new instance of a new tenant with one bucket, for tests that call the services directly. */
  dev.cumulus.storage.instance.domain.StorageInstance instanceWithBucket(
      String name, String bucket) {
    String tenant = "t-" + UUID.randomUUID();
    String service = newInstance(tenant, name);
    createBucket(
        "/api/s3storage/" + tenant + "/" + service,
        TestJwtIssuer.shared().token(tenant, "admin"),
        bucket);
    return instanceService.require(tenant, service).block(Duration.ofSeconds(10));
  }

  /** Announces an S3Storage instance the way auth-service does and waits until it is usable. */
  String newInstance(String tenant, String name) {
    String service = UUID.randomUUID().toString();
    publishInstanceEvent(tenant, service, name, "created", "S3Storage");
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    await(
        () -> status("/api/s3storage/" + tenant + "/" + service + "/buckets", token) == 200,
        "instance " + service + " known");
    return service;
  }

  /** Seed 000 "Webhooks" payload on cumulus.service-instances, via the transactional outbox. */
  void publishInstanceEvent(String tenant, String service, String name, String verb, String type) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", name);
    data.put("serviceType", type);
    data.put("status", "created".equals(verb) ? "running" : "deleted");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service." + verb);
    payload.put("timestamp", Instant.now().toString());
    payload.put("tenantId", tenant);
    payload.put("serviceId", service);
    payload.put("data", data);
    outbox
        .appendForTenant(tenant, "cumulus.service-instances", service, "service", verb, payload)
        .block(Duration.ofSeconds(10));
  }

  void createBucket(String base, String token, String name) {
    createBucket(base, token, name, false);
  }

  void createBucket(String base, String token, String name, boolean publicAccess) {
    http.post()
        .uri(base + "/buckets")
        .header("Authorization", "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "name",
                name,
                "versioning",
                false,
                "encryption",
                false,
                "publicAccess",
                publicAccess))
        .exchange()
        .expectStatus()
        .isCreated();
  }

  static org.springframework.util.MultiValueMap<String, org.springframework.http.HttpEntity<?>>
      form(byte[] bytes, String key, String contentType) {
    MultipartBodyBuilder form = new MultipartBodyBuilder();
    form.part(
            "file",
            new ByteArrayResource(bytes) {
              @Override
              public String getFilename() {
                return "document.pdf";
              }
            })
        .contentType(MediaType.APPLICATION_OCTET_STREAM);
    form.part("key", key);
    form.part("contentType", contentType);
    return form.build();
  }

  JsonNode upload(String base, String token, String bucket, byte[] bytes, String key) {
    return json(
        http.post()
            .uri(base + "/buckets/" + bucket + "/objects")
            .header("Authorization", "Bearer " + token)
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(form(bytes, key, "application/pdf")))
            .exchange()
            .expectStatus()
            .isCreated());
  }

  byte[] download(String uri, String token) {
    return http.get()
        .uri(uri)
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(byte[].class)
        .returnResult()
        .getResponseBody();
  }

  JsonNode get(String uri, String token, int status) {
    return json(
        http.get()
            .uri(uri)
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  JsonNode delete(String uri, String token, int status) {
    return json(
        http.delete()
            .uri(uri)
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  int status(String uri, String token) {
    return http.get()
        .uri(uri)
        .header("Authorization", "Bearer " + token)
        .exchange()
        .returnResult(byte[].class)
        .getStatus()
        .value();
  }

  static JsonNode json(WebTestClient.ResponseSpec response) {
    byte[] body = response.expectBody(byte[].class).returnResult().getResponseBody();
    return body == null ? JSON.missingNode() : JSON.readTree(body);
  }

  static List<String> keys(JsonNode listing) {
    List<String> keys = new ArrayList<>();
    listing.path("objects").forEach(o -> keys.add(o.path("key").asString()));
    return keys;
  }

  static List<Path> blobFiles(String service) throws IOException {
    return BlobFiles.of(DATA, service);
  }

  static List<Path> tmpFiles() throws IOException {
    Path dir = DATA.resolve("tmp");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  static void await(java.util.function.BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Timed out waiting for: " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Holds a key's writer lock (the advisory lock ObjectRepository.lock and the commit function
   * take) on a connection of its own until closed, so that writers started meanwhile queue at their
   * commit.
   */
  KeyLock keyLock(String service, String bucket, String key) {
    UUID bucketId =
        db.sql("SELECT id FROM storage_buckets WHERE service_id = :s AND name = :n")
            .bind("s", service)
            .bind("n", bucket)
            .map(row -> row.get("id", UUID.class))
            .one()
            .block(Duration.ofSeconds(10));
    io.r2dbc.spi.Connection connection =
        reactor.core.publisher.Mono.from(connections.create()).block(Duration.ofSeconds(10));
    KeyLock lock = new KeyLock(connection, bucketId + "/" + key);
    lock.run("SELECT pg_advisory_lock(hashtextextended($1, 0))");
    return lock;
  }

  record KeyLock(io.r2dbc.spi.Connection connection, String lock) implements AutoCloseable {

    /** Sessions waiting for the lock (the lock key is split into classid and objid). */
    long waiters() {
      return reactor.core.publisher.Flux.from(
              connection
                  .createStatement(
                      """
                      SELECT count(*) AS n FROM pg_locks
                      WHERE locktype = 'advisory' AND NOT granted
                        AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)
                      """)
                  .bind("$1", lock)
                  .execute())
          .flatMap(result -> result.map((row, meta) -> row.get("n", Long.class)))
          .blockLast(Duration.ofSeconds(10));
    }

    void run(String sql) {
      reactor.core.publisher.Flux.from(connection.createStatement(sql).bind("$1", lock).execute())
          .flatMap(result -> result.map((row, meta) -> true))
          .blockLast(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
      try {
        run("SELECT pg_advisory_unlock(hashtextextended($1, 0))");
      } finally {
        reactor.core.publisher.Mono.from(connection.close()).block(Duration.ofSeconds(10));
      }
    }
  }

  /** This instance's storage events, read from the topic's beginning. */
  /** Removes every version and delete marker of a bucket through the domain layer. */
  void purgeVersions(String tenant, String service, String bucket) {
    var instance = instanceService.require(tenant, service).block(Duration.ofSeconds(10));
    var page =
        versionService
            .list(
                instance,
                bucket,
                new dev.cumulus.storage.object.domain.VersionQuery(null, null, null, null, 1000))
            .block(Duration.ofSeconds(10));
    for (var version : page.versions()) {
      objectService
          .delete(instance, bucket, version.key(), version.versionId())
          .block(Duration.ofSeconds(10));
    }
  }

  static List<ReceivedEvent> storageEvents(String service, int expected) {
    List<ReceivedEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer("cumulus.storage")) {
      Instant deadline = Instant.now().plusSeconds(30);
      while (found.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && record.key().startsWith(service + "/")) {
            found.add(CloudEventHeaders.read(record.headers(), record.value()));
          }
        }
      }
    }
    return found;
  }
}
