package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 wire protocol as a user meets it: auth-service issues the access key pair with the storage
 * instance, storage-service learns of the instance from Kafka, and the stock AWS SDK talks to the
 * gateway's {@code /s3} endpoint. Both APIs see the same buckets; a revoked key stops working.
 */
class S3ThroughGatewayIT {

  static Cumulus cumulus;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    cumulus = Cumulus.get();
    api = new Api(cumulus.viaGateway());
    admin = cumulus.adminToken(api);
  }

  URI endpoint() {
    return URI.create(cumulus.gateway.baseUrl() + "/s3");
  }

  S3Client client(String accessKey, String secret, boolean chunked) {
    return S3Clients.of(endpoint(), accessKey, secret, chunked);
  }

  @Test
  void anInstancesAccessKeyDrivesTheStockSdkThroughTheGateway() throws Exception {
    Api.Answer instance = cumulus.newStorageInstance(api, "sdk-docs");
    String serviceId = instance.at("id");
    String accessKey = instance.at("s3Credentials.accessKeyId");
    String secret = instance.at("s3Credentials.secretAccessKey");
    S3Client s3 = client(accessKey, secret, false);

    // storage-service learns of the instance from service.created on Kafka.
    awaitAccepted(() -> s3.listBuckets());
    s3.createBucket(b -> b.bucket("reports"));

    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(3).nextBytes(data);
    for (boolean chunked : List.of(false, true)) {
      S3Client client = client(accessKey, secret, chunked);
      String key = "q3/data-" + chunked + ".bin";
      client.putObject(
          b -> b.bucket("reports").key(key),
          RequestBody.fromInputStream(new ByteArrayInputStream(data), data.length));
      byte[] back = client.getObjectAsBytes(b -> b.bucket("reports").key(key)).asByteArray();
      assertThat(md5(back)).isEqualTo(md5(data));
    }
    assertThat(s3.listObjectsV2(b -> b.bucket("reports").prefix("q3/")).contents())
        .extracting(S3Object::key)
        .containsExactly("q3/data-false.bin", "q3/data-true.bin");

    // The seed's JSON API sees what the S3 API wrote: one domain layer under both.
    String base = "/api/s3storage/default/" + serviceId;
    Api.Answer objects =
        api.get(base + "/buckets/reports/objects?prefix=q3/", bearer(admin)).expect(200);
    assertThat(objects.body().toString()).contains("q3/data-true.bin");

    // A presigned URL works through the gateway without any other credential.
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      URI url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(1))
                          .getObjectRequest(g -> g.bucket("reports").key("q3/data-false.bin")))
              .url()
              .toURI();
      HttpResponse<byte[]> got =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(md5(got.body())).isEqualTo(md5(data));
    }

    // Revoked in auth-service: refused by storage once its short key cache has expired.
    api.delete("/api/services/" + serviceId + "/s3-credentials/" + accessKey, bearer(admin))
        .expect(204);
    Instant deadline = Instant.now().plusSeconds(15);
    while (true) {
      try {
        s3.listBuckets();
      } catch (S3Exception e) {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
        break;
      }
      assertThat(Instant.now()).as("revoked key still accepted").isBefore(deadline);
      Thread.sleep(250);
    }
  }

  @Test
  void aPublicBucketsObjectsAreReadWithoutAnyCredentialThroughTheGateway() throws Exception {
    Api.Answer instance = cumulus.newStorageInstance(api, "public-site");
    String serviceId = instance.at("id");
    S3Client s3 =
        client(
            instance.at("s3Credentials.accessKeyId"),
            instance.at("s3Credentials.secretAccessKey"),
            false);
    awaitAccepted(() -> s3.listBuckets());
    String base = "/api/s3storage/default/" + serviceId;
    api.post(base + "/buckets", bearer(admin), Map.of("name", "site", "publicAccess", true))
        .expect(201);
    s3.createBucket(b -> b.bucket("private"));
    for (String bucket : List.of("site", "private")) {
      s3.putObject(
          b -> b.bucket(bucket).key("index.html").contentType("text/html"),
          RequestBody.fromString("<h1>hello</h1>"));
    }

    HttpResponse<String> page = anonymousGet(base + "/buckets/site/objects/index.html");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("<h1>hello</h1>");
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html");

    HttpResponse<String> hidden = anonymousGet(base + "/buckets/private/objects/index.html");
    assertThat(hidden.statusCode()).isEqualTo(401);
    assertThat(hidden.body()).contains("\"error\"");
  }

  /** A GET through the gateway with no credential of any kind. */
  static HttpResponse<String> anonymousGet(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(cumulus.gateway.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aWrongSecretIsRefusedWithS3sError() {
    Api.Answer instance = cumulus.newStorageInstance(api, "sdk-wrong");
    S3Client wrong = client(instance.at("s3Credentials.accessKeyId"), "not-the-secret", false);
    assertThatThrownBy(wrong::listBuckets)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
  }

  /** Retries while storage-service does not know the instance yet (AccessDenied), up to 30 s. */
  static void awaitAccepted(Runnable call) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try {
        call.run();
        return;
      } catch (S3Exception e) {
        if (!"AccessDenied".equals(e.awsErrorDetails().errorCode())
            || Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
