package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.S3MockServer;
import dev.cumulus.platform.testsupport.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 31: two storage-service processes on the S3 blob backend (one S3Mock bucket, one database)
 * behind a gateway given both URLs ({@code CUMULUS_STORAGE_URL=a,b}). Objects written through the
 * gateway land on both replicas and read back whichever serves; with one replica stopped, reads of
 * what both wrote and new writes still succeed. The shared stack's auth-service issues the instance
 * and its keys; the stock AWS SDK (with its own retries off, so the gateway's answer is what we
 * see) and the seed's JSON API are the clients.
 */
class StorageReplicasThroughGatewayIT {

  static final String BUCKET = "cumulus-e2e-replicas";

  static Cumulus cumulus;
  static ServiceProcess first;
  static ServiceProcess second;
  static ServiceProcess gateway;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    cumulus = Cumulus.get();
    S3MockServer s3mock = S3MockServer.shared(BUCKET);
    // One database and one bucket for both; each replica its own data directory.
    Map<String, String> env = cumulus.storageEnvironment(cumulus.auth.baseUrl());
    List<String> arguments =
        List.of(
            "--cumulus.storage.blob.backend=s3",
            "--cumulus.storage.blob.s3.endpoint=" + s3mock.endpoint(),
            "--cumulus.storage.blob.s3.bucket=" + BUCKET,
            "--cumulus.storage.blob.s3.access-key=test",
            "--cumulus.storage.blob.s3.secret-key=test",
            "--cumulus.storage.blob.s3.key-prefix=" + randomName() + "/",
            // Every object's bytes in the bucket, none inline in its row: S3 is what is shared.
            "--cumulus.storage.inline-threshold=0",
            // A consumer group of their own: the shared stack's storage-service keeps its events.
            "--spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group=storage-replicas-"
                + randomName());
    // All three side by side (replicas racing to create and migrate the database is safe).
    first = ServiceProcess.launch("storage-service", FreePorts.next(), env, arguments);
    Map<String, String> secondEnv = new HashMap<>(env);
    secondEnv.put("CUMULUS_STORAGE_DATA_DIR", Files.createTempDirectory("e2e-storage").toString());
    second = ServiceProcess.launch("storage-service", FreePorts.next(), secondEnv, arguments);
    gateway =
        ServiceProcess.launch(
            "gateway",
            FreePorts.next(),
            cumulus.gatewayEnvironment(
                cumulus.auth.baseUrl(), first.baseUrl() + "," + second.baseUrl()),
            List.of("--cumulus.gateway.rate-limits.key-prefix=e2e-" + randomName() + ":"));
    first.awaitReady();
    second.awaitReady();
    gateway.awaitReady();
    api = new Api(TestClients.http(gateway.port()));
  }

  @AfterAll
  static void stop() {
    for (ServiceProcess process : new ServiceProcess[] {gateway, second, first}) {
      if (process != null) {
        process.close();
      }
    }
  }

  @Test
  void objectsWrittenThroughEitherReplicaAreReadThroughTheOtherAndOneStoppedFailsNothing()
      throws Exception {
    Api.Answer instance = cumulus.newStorageInstance(api, "replicated");
    String serviceId = instance.at("id");
    S3Client s3 =
        sdk(instance.at("s3Credentials.accessKeyId"), instance.at("s3Credentials.secretAccessKey"));
    // The replicas learn of the instance from service.created on Kafka.
    S3ThroughGatewayIT.awaitAccepted(() -> s3.listBuckets());
    s3.createBucket(b -> b.bucket("shared"));

    long firstBefore = served(first);
    long secondBefore = served(second);
    for (int i = 0; i < 12; i++) {
      put(s3, "both/" + i);
    }
    for (int i = 0; i < 12; i++) {
      assertThat(get(s3, "both/" + i)).isEqualTo(body("both/" + i));
    }
    // Round-robin: each replica took a good share of the writes and reads.
    assertThat(served(first) - firstBefore).isGreaterThanOrEqualTo(8);
    assertThat(served(second) - secondBefore).isGreaterThanOrEqualTo(8);

    second.close();
    // Everything written while both ran (half of it through the stopped one) reads back, and new
    // writes work: the gateway skips the replica that refuses connections.
    for (int i = 0; i < 12; i++) {
      assertThat(get(s3, "both/" + i)).isEqualTo(body("both/" + i));
    }
    for (int i = 0; i < 4; i++) {
      put(s3, "one/" + i);
      assertThat(get(s3, "one/" + i)).isEqualTo(body("one/" + i));
    }
    assertThat(s3.listObjectsV2(b -> b.bucket("shared")).contents())
        .extracting(S3Object::key)
        .hasSize(16);
    // The seed's JSON API (the service's other route) is balanced the same way.
    String admin = cumulus.adminToken(api);
    for (int i = 0; i < 4; i++) {
      Api.Answer objects =
          api.get(
                  "/api/s3storage/default/" + serviceId + "/buckets/shared/objects?prefix=one/",
                  bearer(admin))
              .expect(200);
      assertThat(objects.body().toString()).contains("one/3");
    }
  }

  static String randomName() {
    return Cumulus.randomSecret(6).replaceAll("[^A-Za-z0-9]", "x");
  }

  static S3Client sdk(String accessKey, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(gateway.baseUrl() + "/s3"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .forcePathStyle(true)
        // No SDK retries: a 503 from the gateway must fail the test, not be retried away.
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static void put(S3Client s3, String key) {
    s3.putObject(b -> b.bucket("shared").key(key), RequestBody.fromString(body(key)));
  }

  static String get(S3Client s3, String key) {
    return s3.getObjectAsBytes(b -> b.bucket("shared").key(key)).asString(StandardCharsets.UTF_8);
  }

  static String body(String key) {
    return "object " + key + " ".repeat(64);
  }

  /** Requests the replica answered, other than its actuator's (from its Prometheus metrics). */
  static long served(ServiceProcess replica) throws Exception {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    long total = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("http_server_requests_seconds_count{") && !line.contains("/actuator")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
