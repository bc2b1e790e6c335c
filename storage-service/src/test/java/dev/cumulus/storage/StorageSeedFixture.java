package dev.cumulus.storage;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.storage.blob.application.BlobJanitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the seed API's integration tests share: one application context (so one start-up for all of
 * them), an HTTP client, and helpers that create instances, buckets and objects the way clients do.
 */
@SpringBootTest(
    classes = StorageApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class StorageSeedFixture {

  protected static final ObjectMapper JSON = JsonMapper.builder().build();
  protected static Path DATA;

  @DynamicPropertySource
  protected static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    DATA = StorageTestProperties.register(registry, "storage");
    // These tests look at the disk (crash safety, the janitor, instance deletion): every object a
    // file here. Small objects kept in their row: S3ProtocolIT, and the e2e tests' seed uploads.
    registry.add("cumulus.storage.inline-threshold", () -> "0");
    // concurrentWritesOfOneKeyLeaveOneFile has every writer wait in PostgreSQL for the key's lock:
    // a statement each, not queued behind two shared ones (group commit: S3GroupCommitIT).
    registry.add("cumulus.storage.commit-batch.max-in-flight", () -> "8");
    // Those six writers hold six pooled connections while they wait; the leased background passes
    // (blob janitor and lifecycle: a lease connection plus their queries) must still find some, or
    // a writer waits for the pool instead of the lock and the test never sees all six queued.
    registry.add("spring.r2dbc.pool.max-size", () -> "16");
    // Its own consumer group: other test contexts in this JVM consume the same topic.
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "storage-it-" + UUID.randomUUID());
  }

  @LocalServerPort protected int port;
  @Autowired protected Outbox outbox;
  @Autowired protected DatabaseClient db;
  @Autowired protected io.r2dbc.spi.ConnectionFactory connections;
  @Autowired protected dev.cumulus.storage.multipart.application.MultipartService multipartService;
  @Autowired protected BlobJanitor janitor;
  @Autowired protected dev.cumulus.platform.instance.InstanceRegistry instanceService;
  @Autowired protected dev.cumulus.storage.object.application.ObjectDeleter objectService;
  @Autowired protected dev.cumulus.storage.object.application.ObjectVersionService versionService;

  protected WebTestClient http;

  @BeforeEach
  protected void client() {
    http =
        TestClients.http(port)
            .mutate()
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
            .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A new instance of a new tenant with one bucket, for tests that call the services directly. */
  protected dev.cumulus.platform.instance.Instance instanceWithBucket(String name, String bucket) {
    String tenant = "t-" + UUID.randomUUID();
    String service = newInstance(tenant, name);
    createBucket(
        "/api/s3storage/" + tenant + "/" + service,
        TestJwtIssuer.shared().token(tenant, "admin"),
        bucket);
    return instanceService.require(tenant, service).block(Duration.ofSeconds(10));
  }

  /**
   * An instance of a new tenant, as a seed client sees it.
   *
   * @param token an admin token of the tenant
   * @param base the instance's seed API path ({@code /api/s3storage/<tenant>/<service>})
   */
  public record SeedInstance(String tenant, String token, String service, String base) {}

  /** A new tenant with a new instance called {@code name}, usable through the seed API. */
  protected SeedInstance seedInstance(String name) {
    String tenant = "t-" + UUID.randomUUID();
    String service = newInstance(tenant, name);
    return new SeedInstance(
        tenant,
        TestJwtIssuer.shared().token(tenant, "admin"),
        service,
        "/api/s3storage/" + tenant + "/" + service);
  }

  /** Announces an S3Storage instance the way auth-service does and waits until it is usable. */
  protected String newInstance(String tenant, String name) {
    String service = UUID.randomUUID().toString();
    publishInstanceEvent(tenant, service, name, "created", "S3Storage");
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    await(
        () -> status("/api/s3storage/" + tenant + "/" + service + "/buckets", token) == 200,
        "instance " + service + " known");
    return service;
  }

  /** Seed 000 "Webhooks" payload on cumulus.service-instances, via the transactional outbox. */
  protected void publishInstanceEvent(
      String tenant, String service, String name, String verb, String type) {
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

  /** A request of the tenant whose token this is. */
  protected WebTestClient.RequestBodySpec request(HttpMethod method, String uri, String token) {
    return http.method(method).uri(uri).header("Authorization", "Bearer " + token);
  }

  protected void createBucket(String base, String token, String name) {
    createBucket(base, token, name, false);
  }

  protected void createBucket(String base, String token, String name, boolean publicAccess) {
    request(HttpMethod.POST, base + "/buckets", token)
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

  protected static org.springframework.util.MultiValueMap<
          String, org.springframework.http.HttpEntity<?>>
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

  protected JsonNode upload(String base, String token, String bucket, byte[] bytes, String key) {
    return json(
        request(HttpMethod.POST, base + "/buckets/" + bucket + "/objects", token)
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(form(bytes, key, "application/pdf")))
            .exchange()
            .expectStatus()
            .isCreated());
  }

  protected byte[] download(String uri, String token) {
    return request(HttpMethod.GET, uri, token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(byte[].class)
        .returnResult()
        .getResponseBody();
  }

  protected JsonNode get(String uri, String token, int status) {
    return json(request(HttpMethod.GET, uri, token).exchange().expectStatus().isEqualTo(status));
  }

  protected JsonNode delete(String uri, String token, int status) {
    return json(request(HttpMethod.DELETE, uri, token).exchange().expectStatus().isEqualTo(status));
  }

  protected int status(String uri, String token) {
    return request(HttpMethod.GET, uri, token)
        .exchange()
        .returnResult(byte[].class)
        .getStatus()
        .value();
  }

  protected static JsonNode json(WebTestClient.ResponseSpec response) {
    byte[] body = response.expectBody(byte[].class).returnResult().getResponseBody();
    return body == null ? JSON.missingNode() : JSON.readTree(body);
  }

  protected static List<String> keys(JsonNode listing) {
    List<String> keys = new ArrayList<>();
    listing.path("objects").forEach(o -> keys.add(o.path("key").asString()));
    return keys;
  }

  protected static List<Path> blobFiles(String service) throws IOException {
    return BlobFiles.of(DATA, service);
  }

  protected static List<Path> tmpFiles() throws IOException {
    Path dir = DATA.resolve("tmp");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  protected static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  protected static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  /** Polls until the condition holds; fails naming {@code what} after 60 s. */
  protected static void await(java.util.function.BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  /**
   * Holds a key's writer lock (the advisory lock ObjectRepository.lock and the commit function
   * take) on a connection of its own until closed, so that writers started meanwhile queue at their
   * commit.
   */
  protected KeyLock keyLock(String service, String bucket, String key) {
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

  protected record KeyLock(io.r2dbc.spi.Connection connection, String lock)
      implements AutoCloseable {

    /** Sessions waiting for the lock (the lock key is split into classid and objid). */
    public long waiters() {
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

  /** Removes every version and delete marker of a bucket through the domain layer. */
  protected void purgeVersions(String tenant, String service, String bucket) {
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

  /** This instance's storage events, read from the topic's beginning. */
  protected static List<ReceivedEvent> storageEvents(String service, int expected) {
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
