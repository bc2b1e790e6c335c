package dev.cumulus.storage.sharelink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.s3.S3TestClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's share links and bucket lifecycle and CORS rules (what the console uses instead of
 * signing S3 requests in the browser): the same access decision as the other REST routes, S3's
 * checks in the REST envelope, one stored configuration for both protocols, and links that the S3
 * endpoint accepts from anyone until they expire, and from no one once tampered with.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RestShareLinksAndRulesIT {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "srest");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  final HttpClient anonymous =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  WebTestClient http;
  String tenant;
  String service;
  String token;
  String accessKey;
  String base;
  S3Client s3;
  String bucket;

  @BeforeEach
  void instanceWithBucket() {
    http = TestClients.http(port);
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "rest-it", UrlConnectionHttpClient.create());
    accessKey = S3TestClients.newKey(tenant, service);
    token = TestJwtIssuer.shared().token(tenant, "admin");
    base = "/api/s3storage/" + tenant + "/" + service + "/buckets/";
    bucket = "rest-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
  }

  WebTestClient.ResponseSpec call(HttpMethod method, String path, String token, Object body) {
    var request =
        http.method(method).uri(base + bucket + path).header("Authorization", "Bearer " + token);
    return body == null
        ? request.exchange()
        : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
  }

  JsonNode json(WebTestClient.ResponseSpec response, int status) {
    byte[] body =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    return JSON.readTree(body == null ? new byte[0] : body);
  }

  /** The REST family's envelope with this code. */
  void assertError(WebTestClient.ResponseSpec response, int status, String code) {
    JsonNode error = json(response, status).get("error");
    assertThat(error.get("code").asString()).isEqualTo(code);
    assertThat(error.get("message").asString()).isNotBlank();
  }

  HttpResponse<byte[]> fetch(String url) throws Exception {
    return anonymous.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  // Share links ---------------------------------------------------------------------------------

  @Test
  void aShareLinkServesTheObjectToAnyoneUntilItExpires() throws Exception {
    String key = "reports/Q3 résumé+final.txt";
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("shared bytes"));

    Instant before = Instant.now();
    JsonNode link =
        json(
            call(
                HttpMethod.POST,
                "/share-links",
                token,
                Map.of("key", key, "accessKeyId", accessKey, "expiresInSeconds", 600)),
            200);
    String url = link.get("url").asString();
    assertThat(url).startsWith("http://127.0.0.1:" + port + "/s3/" + bucket + "/reports/Q3%20");
    assertThat(url).doesNotContain(S3TestClients.secret(accessKey));
    assertThat(link.get("accessKeyId").asString()).isEqualTo(accessKey);
    assertThat(Instant.parse(link.get("expiresAt").asString()))
        .isBetween(before.plusSeconds(599), Instant.now().plusSeconds(600));

    HttpResponse<byte[]> shared = fetch(url);
    assertThat(shared.statusCode()).isEqualTo(200);
    assertThat(new String(shared.body(), StandardCharsets.UTF_8)).isEqualTo("shared bytes");

    // Another object, or another signature, is not what was signed.
    assertThat(fetch(url.replace("final.txt", "final.tx")).statusCode()).isEqualTo(403);
    String signature = url.substring(url.length() - 64);
    String other = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
    assertThat(fetch(url.substring(0, url.length() - 64) + other).statusCode()).isEqualTo(403);

    // Without expiresInSeconds: one hour.
    JsonNode hour =
        json(
            call(
                HttpMethod.POST,
                "/share-links",
                token,
                Map.of("key", key, "accessKeyId", accessKey)),
            200);
    assertThat(hour.get("url").asString()).contains("X-Amz-Expires=3600&");
  }

  @Test
  void anExpiredShareLinkIsRefused() throws Exception {
    s3.putObject(b -> b.bucket(bucket).key("brief.txt"), RequestBody.fromString("soon gone"));
    String url =
        json(
                call(
                    HttpMethod.POST,
                    "/share-links",
                    token,
                    Map.of("key", "brief.txt", "accessKeyId", accessKey, "expiresInSeconds", 1)),
                200)
            .get("url")
            .asString();
    Thread.sleep(2_100);
    HttpResponse<byte[]> expired = fetch(url);
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(new String(expired.body(), StandardCharsets.UTF_8)).contains("expired");
  }

  @Test
  void aShareLinkTakesItsOriginFromATrustedProxy() {
    s3.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
    String url =
        json(
                http.post()
                    .uri(base + bucket + "/share-links")
                    .header("Authorization", "Bearer " + token)
                    .header("X-Forwarded-Host", "cloud.example.com")
                    .header("X-Forwarded-Proto", "https")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("key", "a.txt", "accessKeyId", accessKey))
                    .exchange(),
                200)
            .get("url")
            .asString();
    assertThat(url).startsWith("https://cloud.example.com/s3/" + bucket + "/a.txt?X-Amz-");
  }

  @Test
  void shareLinksAreRefusedInTheRestEnvelope() {
    s3.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
    for (long expiry : new long[] {0, 604_801}) {
      assertError(
          call(
              HttpMethod.POST,
              "/share-links",
              token,
              Map.of("key", "a.txt", "accessKeyId", accessKey, "expiresInSeconds", expiry)),
          400,
          "InvalidArgument");
    }
    assertError(
        call(HttpMethod.POST, "/share-links", token, Map.of("key", "a.txt")),
        400,
        "InvalidArgument");
    assertError(
        call(
            HttpMethod.POST,
            "/share-links",
            token,
            Map.of("key", "missing.txt", "accessKeyId", accessKey)),
        404,
        "NoSuchKey");
    assertError(
        http.post()
            .uri(base + "no-such-bucket/share-links")
            .header("Authorization", "Bearer " + token)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("key", "a.txt", "accessKeyId", accessKey))
            .exchange(),
        404,
        "NoSuchBucket");
    // A key of another instance of the same tenant, or one nobody issued, signs nothing here.
    String otherService = UUID.randomUUID().toString();
    instances.created(otherService, "s3storage", tenant, "other").block(Duration.ofSeconds(10));
    for (String key : List.of(S3TestClients.newKey(tenant, otherService), "CKNOSUCHKEY0000000")) {
      assertError(
          call(HttpMethod.POST, "/share-links", token, Map.of("key", "a.txt", "accessKeyId", key)),
          400,
          "InvalidArgument");
    }
  }

  @Test
  void anotherTenantGetsNoLinkAndNoRules() {
    s3.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    call(
            HttpMethod.POST,
            "/share-links",
            stranger,
            Map.of("key", "a.txt", "accessKeyId", accessKey))
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.error.message")
        .isNotEmpty();
    call(HttpMethod.GET, "/lifecycle", stranger, null).expectStatus().isForbidden();
    call(HttpMethod.PUT, "/cors", stranger, corsJson()).expectStatus().isForbidden();
    call(HttpMethod.DELETE, "/cors", stranger, null).expectStatus().isForbidden();
    // A bucket of the same name in another instance is not this one.
    http.get()
        .uri(
            "/api/s3storage/"
                + tenant
                + "/"
                + UUID.randomUUID()
                + "/buckets/"
                + bucket
                + "/lifecycle")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .is4xxClientError();
  }

  // Lifecycle -----------------------------------------------------------------------------------

  static Map<String, Object> lifecycleJson() {
    return Map.of(
        "rules",
        List.of(
            Map.of(
                "id",
                "old-logs",
                "status",
                "Enabled",
                "filter",
                Map.of(
                    "prefix",
                    "logs/",
                    "tags",
                    List.of(Map.of("key", "kind", "value", "debug")),
                    "objectSizeGreaterThan",
                    10),
                "expiration",
                Map.of("days", 30)),
            Map.of(
                "id",
                "uploads",
                "status",
                "Disabled",
                "noncurrentVersionExpiration",
                Map.of("noncurrentDays", 7, "newerNoncurrentVersions", 2),
                "abortIncompleteMultipartUpload",
                Map.of("daysAfterInitiation", 3))));
  }

  @Test
  void lifecycleRulesPutAsJsonAreWhatS3Reads() {
    call(HttpMethod.GET, "/lifecycle", token, null).expectStatus().isNotFound();
    JsonNode stored = json(call(HttpMethod.PUT, "/lifecycle", token, lifecycleJson()), 200);
    assertThat(stored.at("/rules/0/filter/prefix").asString()).isEqualTo("logs/");

    List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
    assertThat(rules).hasSize(2);
    LifecycleRule logs = rules.get(0);
    assertThat(logs.id()).isEqualTo("old-logs");
    assertThat(logs.status()).isEqualTo(ExpirationStatus.ENABLED);
    assertThat(logs.expiration().days()).isEqualTo(30);
    LifecycleRuleAndOperator and = logs.filter().and();
    assertThat(and.prefix()).isEqualTo("logs/");
    assertThat(and.tags()).containsExactly(Tag.builder().key("kind").value("debug").build());
    assertThat(and.objectSizeGreaterThan()).isEqualTo(10L);
    LifecycleRule uploads = rules.get(1);
    assertThat(uploads.status()).isEqualTo(ExpirationStatus.DISABLED);
    assertThat(uploads.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(7);
    assertThat(uploads.noncurrentVersionExpiration().newerNoncurrentVersions()).isEqualTo(2);
    assertThat(uploads.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(3);

    // And back: what S3 put, REST reads.
    s3.putBucketLifecycleConfiguration(
        b ->
            b.bucket(bucket)
                .lifecycleConfiguration(
                    BucketLifecycleConfiguration.builder()
                        .rules(
                            LifecycleRule.builder()
                                .id("tmp")
                                .status(ExpirationStatus.ENABLED)
                                .filter(f -> f.prefix("tmp/"))
                                .expiration(e -> e.days(1))
                                .build())
                        .build()));
    JsonNode read = json(call(HttpMethod.GET, "/lifecycle", token, null), 200);
    assertThat(read.get("rules")).hasSize(1);
    assertThat(read.at("/rules/0/id").asString()).isEqualTo("tmp");
    assertThat(read.at("/rules/0/status").asString()).isEqualTo("Enabled");
    assertThat(read.at("/rules/0/filter/prefix").asString()).isEqualTo("tmp/");
    assertThat(read.at("/rules/0/expiration/days").asInt()).isEqualTo(1);

    call(HttpMethod.DELETE, "/lifecycle", token, null).expectStatus().isNoContent();
    S3TestClients.assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)),
        404,
        "NoSuchLifecycleConfiguration");
    assertError(
        call(HttpMethod.GET, "/lifecycle", token, null), 404, "NoSuchLifecycleConfiguration");
  }

  @Test
  void lifecycleRulesS3RefusesAreRefusedInTheRestEnvelope() {
    // S3's own checks (LifecycleConfiguration): a non-positive age, duplicate ids, no action.
    assertError(
        call(
            HttpMethod.PUT,
            "/lifecycle",
            token,
            Map.of("rules", List.of(Map.of("status", "Enabled", "expiration", Map.of("days", 0))))),
        400,
        "InvalidArgument");
    assertError(
        call(
            HttpMethod.PUT,
            "/lifecycle",
            token,
            Map.of(
                "rules",
                List.of(
                    Map.of("id", "x", "status", "Enabled", "expiration", Map.of("days", 1)),
                    Map.of("id", "x", "status", "Enabled", "expiration", Map.of("days", 2))))),
        400,
        "InvalidArgument");
    assertError(
        call(HttpMethod.PUT, "/lifecycle", token, Map.of("rules", List.of())),
        400,
        "InvalidArgument");
    // What the JSON itself must say.
    assertError(
        call(
            HttpMethod.PUT,
            "/lifecycle",
            token,
            Map.of("rules", List.of(Map.of("status", "On", "expiration", Map.of("days", 1))))),
        400,
        "InvalidRequest");
    assertError(call(HttpMethod.PUT, "/lifecycle", token, Map.of()), 400, "InvalidRequest");
    call(HttpMethod.PUT, "/lifecycle", token, "{not json")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.error.message")
        .isNotEmpty();
    // Nothing was stored.
    S3TestClients.assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)),
        404,
        "NoSuchLifecycleConfiguration");
  }

  // CORS ----------------------------------------------------------------------------------------

  static Map<String, Object> corsJson() {
    return Map.of(
        "rules",
        List.of(
            Map.of(
                "id",
                "web",
                "allowedOrigins",
                List.of("https://*.example.com"),
                "allowedMethods",
                List.of("GET", "PUT"),
                "allowedHeaders",
                List.of("Content-Type"),
                "exposeHeaders",
                List.of("ETag"),
                "maxAgeSeconds",
                600)));
  }

  @Test
  void corsRulesPutAsJsonAreWhatS3Reads() {
    json(call(HttpMethod.PUT, "/cors", token, corsJson()), 200);
    GetBucketCorsResponse read = s3.getBucketCors(b -> b.bucket(bucket));
    assertThat(read.corsRules())
        .containsExactly(
            CORSRule.builder()
                .id("web")
                .allowedOrigins("https://*.example.com")
                .allowedMethods("GET", "PUT")
                .allowedHeaders("Content-Type")
                .exposeHeaders("ETag")
                .maxAgeSeconds(600)
                .build());

    s3.putBucketCors(
        b ->
            b.bucket(bucket)
                .corsConfiguration(
                    c ->
                        c.corsRules(
                            CORSRule.builder()
                                .allowedOrigins("*")
                                .allowedMethods("GET", "HEAD")
                                .build())));
    JsonNode rules = json(call(HttpMethod.GET, "/cors", token, null), 200).get("rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.at("/0/allowedOrigins/0").asString()).isEqualTo("*");
    assertThat(rules.at("/0/allowedMethods").toString()).isEqualTo("[\"GET\",\"HEAD\"]");

    call(HttpMethod.DELETE, "/cors", token, null).expectStatus().isNoContent();
    assertError(call(HttpMethod.GET, "/cors", token, null), 404, "NoSuchCORSConfiguration");
  }

  @Test
  void corsRulesS3RefusesAreRefusedInTheRestEnvelope() {
    assertError(
        call(
            HttpMethod.PUT,
            "/cors",
            token,
            Map.of(
                "rules",
                List.of(
                    Map.of("allowedOrigins", List.of("*"), "allowedMethods", List.of("PATCH"))))),
        400,
        "InvalidRequest");
    assertError(
        call(
            HttpMethod.PUT,
            "/cors",
            token,
            Map.of("rules", List.of(Map.of("allowedOrigins", List.of("*"))))),
        400,
        "InvalidRequest");
    assertError(
        call(HttpMethod.PUT, "/cors", token, Map.of("rules", List.of())), 400, "InvalidRequest");
    S3TestClients.assertS3Error(
        () -> s3.getBucketCors(b -> b.bucket(bucket)), 404, "NoSuchCORSConfiguration");
  }
}
