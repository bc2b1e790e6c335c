package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bucket CORS as browsers meet it: configuration through the AWS SDK v2, unsigned preflights
 * answered from the bucket's rules, and the rule's headers on signed requests (errors included).
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3CorsIT {

  static final String APP = "https://app.example.com";

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3c");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  // HTTP/1.1 as browsers' preflights; a timeout makes a lost response a failure, not a stall.
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  StaticCredentialsProvider credentials;
  S3Client s3;
  String bucket;

  /** An SDK client; with an origin, every request carries it as a browser's would. */
  S3Client client(String origin) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port + "/s3"))
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        // HttpURLConnection silently drops a signed Origin header: Apache's client sends it.
        .httpClient(Apache5HttpClient.create())
        .overrideConfiguration(
            o -> {
              if (origin != null) {
                o.putHeader("Origin", origin);
              }
            })
        .build();
  }

  @BeforeEach
  void instance() {
    String tenant = "t-" + UUID.randomUUID();
    String service = UUID.randomUUID().toString();
    instances.created(service, "s3storage", tenant, "s3-cors-it").block(Duration.ofSeconds(10));
    String id = "CK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    String secret = UUID.randomUUID() + "/Secret+Key";
    S3TestClients.CREDENTIALS.put(id, new String[] {secret, tenant, service});
    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    s3 = client(null);
    // Preflights find buckets by name alone: one name per test keeps them apart.
    bucket = "cors-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
  }

  void configure() {
    putRules(
        CORSRule.builder()
            .id("web")
            .allowedOrigins("https://*.example.com")
            .allowedMethods("GET", "PUT")
            .allowedHeaders("x-amz-*", "Content-Type")
            .exposeHeaders("ETag", "x-amz-request-id")
            .maxAgeSeconds(600)
            .build(),
        CORSRule.builder()
            .id("anyone-reads")
            .allowedOrigins("*")
            .allowedMethods("GET", "HEAD")
            .build());
  }

  void putRules(CORSRule... rules) {
    s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
  }

  HttpResponse<String> preflight(String path, String origin, String method, String headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/" + path))
            .timeout(Duration.ofSeconds(30))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (method != null) {
      request.header("Access-Control-Request-Method", method);
    }
    if (headers != null) {
      request.header("Access-Control-Request-Headers", headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertRefused(HttpResponse<String> response, String messageStart) {
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/xml"));
    assertThat(response.body())
        .contains("<Code>AccessForbidden</Code>")
        .contains("<Message>" + messageStart);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void configurationRoundTripsAndCanBeDeleted() {
    assertS3Error(() -> s3.getBucketCors(b -> b.bucket(bucket)), 404, "NoSuchCORSConfiguration");
    configure();
    List<CORSRule> rules = s3.getBucketCors(b -> b.bucket(bucket)).corsRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).id()).isEqualTo("web");
    assertThat(rules.get(0).allowedOrigins()).containsExactly("https://*.example.com");
    assertThat(rules.get(0).allowedMethods()).containsExactly("GET", "PUT");
    assertThat(rules.get(0).allowedHeaders()).containsExactly("x-amz-*", "Content-Type");
    assertThat(rules.get(0).exposeHeaders()).containsExactly("ETag", "x-amz-request-id");
    assertThat(rules.get(0).maxAgeSeconds()).isEqualTo(600);
    assertThat(rules.get(1).allowedOrigins()).containsExactly("*");
    assertThat(rules.get(1).allowedHeaders()).isEmpty();

    assertS3Error(
        () ->
            s3.putBucketCors(
                b ->
                    b.bucket(bucket)
                        .corsConfiguration(
                            c ->
                                c.corsRules(
                                    CORSRule.builder()
                                        .allowedOrigins("*")
                                        .allowedMethods("PATCH")
                                        .build()))),
        400,
        "InvalidRequest");
    assertS3Error(
        () ->
            s3.putBucketCors(
                b ->
                    b.bucket(bucket)
                        .corsConfiguration(
                            c ->
                                c.corsRules(
                                    CORSRule.builder()
                                        .allowedOrigins("https://*.*.example.com")
                                        .allowedMethods("GET")
                                        .build()))),
        400,
        "InvalidRequest");
    CORSRule one = CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build();
    assertS3Error(
        () ->
            s3.putBucketCors(
                b ->
                    b.bucket(bucket)
                        .corsConfiguration(
                            c -> c.corsRules(java.util.Collections.nCopies(101, one)))),
        400,
        "InvalidRequest");
    assertThat(s3.getBucketCors(b -> b.bucket(bucket)).corsRules()).hasSize(2);

    s3.deleteBucketCors(b -> b.bucket(bucket));
    assertS3Error(() -> s3.getBucketCors(b -> b.bucket(bucket)), 404, "NoSuchCORSConfiguration");
  }

  @Test
  void preflightsAreAnsweredFromTheBucketsRulesWithoutASignature() throws Exception {
    assertRefused(preflight(bucket + "/photo.jpg", APP, "PUT", null), "CORSResponse: CORS is not");
    configure();

    HttpResponse<String> allowed =
        preflight(bucket + "/photos/cat.jpg", APP, "PUT", "Content-Type, x-amz-date");
    assertThat(allowed.statusCode()).isEqualTo(200);
    Map<String, List<String>> headers = allowed.headers().map();
    assertThat(headers.get("access-control-allow-origin")).containsExactly(APP);
    assertThat(headers.get("access-control-allow-methods")).containsExactly("GET, PUT");
    assertThat(headers.get("access-control-allow-headers"))
        .containsExactly("Content-Type, x-amz-date");
    assertThat(headers.get("access-control-expose-headers"))
        .containsExactly("ETag, x-amz-request-id");
    assertThat(headers.get("access-control-max-age")).containsExactly("600");
    assertThat(headers.get("access-control-allow-credentials")).containsExactly("true");
    assertThat(headers.get("vary"))
        .containsExactly("Origin, Access-Control-Request-Headers, Access-Control-Request-Method");

    // The bucket itself (e.g. a browser's ListObjects) is covered by the same rules.
    assertThat(preflight(bucket, APP, "GET", null).statusCode()).isEqualTo(200);

    String notAllowed = "CORSResponse: This CORS request is not allowed";
    assertRefused(preflight(bucket + "/a", "https://evil.test", "PUT", null), notAllowed);
    assertRefused(preflight(bucket + "/a", "https://example.com", "PUT", null), notAllowed);
    assertRefused(preflight(bucket + "/a", APP, "DELETE", null), notAllowed);
    assertRefused(preflight(bucket + "/a", APP, "PUT", "x-amz-date, x-custom"), notAllowed);

    // The wildcard rule: any origin may GET, answered with "*" and no credentials.
    HttpResponse<String> anyone = preflight(bucket + "/a", "https://evil.test", "GET", null);
    assertThat(anyone.statusCode()).isEqualTo(200);
    assertThat(anyone.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");
    assertThat(anyone.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(anyone.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, HEAD");

    HttpResponse<String> noMethod = preflight(bucket + "/a", APP, null, null);
    assertThat(noMethod.statusCode()).isEqualTo(400);
    assertThat(noMethod.body()).contains("<Code>BadRequest</Code>");
    HttpResponse<String> noOrigin = preflight(bucket + "/a", null, "GET", null);
    assertThat(noOrigin.statusCode()).isEqualTo(400);
    assertRefused(
        preflight("no-such-bucket-" + UUID.randomUUID() + "/a", APP, "GET", null),
        "CORSResponse: CORS is not");

    s3.deleteBucketCors(b -> b.bucket(bucket));
    assertRefused(preflight(bucket + "/a", APP, "GET", null), "CORSResponse: CORS is not");
  }

  @Test
  void actualRequestsWithAnOriginGetTheMatchingRulesHeaders() throws Exception {
    configure();
    S3Client browser = client(APP);
    var put = browser.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello"));
    Map<String, List<String>> headers = put.sdkHttpResponse().headers();
    assertThat(headers.get("Access-Control-Allow-Origin")).containsExactly(APP);
    assertThat(headers.get("Access-Control-Expose-Headers"))
        .containsExactly("ETag, x-amz-request-id");
    assertThat(headers.get("Vary"))
        .containsExactly("Origin, Access-Control-Request-Headers, Access-Control-Request-Method");

    var get = browser.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
    assertThat(get.asUtf8String()).isEqualTo("hello");
    assertThat(get.response().sdkHttpResponse().headers().get("Access-Control-Allow-Origin"))
        .containsExactly(APP);

    // Errors carry them too, so the page can read S3's error.
    S3Exception missing =
        catchThrowableOfType(
            S3Exception.class, () -> browser.getObjectAsBytes(b -> b.bucket(bucket).key("nope")));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(
            missing
                .awsErrorDetails()
                .sdkHttpResponse()
                .headers()
                .get("Access-Control-Allow-Origin"))
        .containsExactly(APP);

    // DELETE is not allowed for this origin: the request works (it is signed), without CORS
    // headers.
    var delete = browser.deleteObject(b -> b.bucket(bucket).key("k")).sdkHttpResponse().headers();
    assertThat(delete).doesNotContainKey("Access-Control-Allow-Origin");

    // An unsigned request is refused, and the refusal still says which origin may read it.
    HttpResponse<String> unsigned =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/" + bucket + "/k"))
                .header("Origin", "https://evil.test")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");

    // Without an Origin, nothing CORS is added.
    var plain = s3.headBucket(b -> b.bucket(bucket)).sdkHttpResponse().headers();
    assertThat(plain).doesNotContainKey("Access-Control-Allow-Origin");
  }

  @Test
  void changedRulesApplyToTheNextSignedRequestAtOnce() {
    configure();
    S3Client browser = client(APP);
    browser.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello"));
    // Read once: the bucket's rules are now remembered for signed requests...
    assertThat(allowOrigin(browser)).containsExactly(APP);

    // ...but a change through this node is seen by the very next request.
    putRules(
        CORSRule.builder()
            .allowedOrigins("https://other.example.org")
            .allowedMethods("GET")
            .build());
    assertThat(allowOrigin(browser)).isNull();

    configure();
    assertThat(allowOrigin(browser)).containsExactly(APP);
    s3.deleteBucketCors(b -> b.bucket(bucket));
    assertThat(allowOrigin(browser)).isNull();
  }

  private List<String> allowOrigin(S3Client browser) {
    return browser
        .getObjectAsBytes(b -> b.bucket(bucket).key("k"))
        .response()
        .sdkHttpResponse()
        .headers()
        .get("Access-Control-Allow-Origin");
  }
}
