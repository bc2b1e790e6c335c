package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What function-service's integration tests share: one Spring context on the real test
 * infrastructure (PostgreSQL, Kafka), a ready function instance per test, zips of handler code, and
 * HTTP helpers that call the service as the seed's curl examples do.
 */
@SpringBootTest(
    classes = {FunctionApplication.class, FunctionTestSupport.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FunctionTestSupport {

  /** Access key id to {secret, tenant, service}, as auth-service would answer. */
  protected static final Map<String, String[]> CREDENTIALS = new ConcurrentHashMap<>();

  /** Access keys resolve through known secrets (auth-service's part is tested there). */
  @TestConfiguration
  static class Keys {
    @Bean
    @Primary
    SigningKeys testSigningKeys() {
      return (accessKeyId, date, region, service) -> {
        String[] c = CREDENTIALS.get(accessKeyId);
        if (c == null) {
          return Mono.error(
              new ApiException(
                  ErrorKind.FORBIDDEN,
                  "The AWS Access Key Id you provided does not exist in our records.",
                  "InvalidAccessKeyId",
                  null,
                  Map.of(),
                  null));
        }
        return Mono.just(
            new SigningKeys.Grant(
                accessKeyId, c[1], c[2], SigV4.signingKey(c[0], date, region, service)));
      };
    }
  }

  /** A new access key pair of an instance: {id, secret}. */
  protected static String[] keysFor(String tenantId, String serviceId) {
    String key =
        "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    String secret = UUID.randomUUID().toString();
    CREDENTIALS.put(key, new String[] {secret, tenantId, serviceId});
    return new String[] {key, secret};
  }

  protected static final ObjectMapper JSON = JsonMapper.builder().build();
  protected static final Path WORK_DIR = workDir();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "function_it");
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "function-it-" + UUID.randomUUID());
    registry.add("cumulus.function.work-dir", WORK_DIR::toString);
    registry.add("cumulus.function.events.poll-interval", () -> "200ms");
    registry.add("cumulus.function.events.retry-delay", () -> "200ms");
    // Queue event sources poll queue-service's internal endpoint: here its stand-in.
    registry.add("cumulus.internal.secret", () -> QueueServiceStandIn.SECRET);
    registry.add("CUMULUS_QUEUE_URL", QueueServiceStandIn.SHARED::url);
    registry.add("cumulus.function.containers.reconcile-interval", () -> "300ms");
    registry.add("cumulus.function.containers.crash-backoff", () -> "1s");
    registry.add("cumulus.function.containers.crash-backoff-max", () -> "4s");
    registry.add("cumulus.function.containers.crash-backoff-reset", () -> "5s");
    registry.add("cumulus.function.containers.docker-host", ContainerTestEngine::dockerHost);
  }

  @LocalServerPort protected int port;
  @Autowired protected Outbox outbox;
  @Autowired protected DatabaseClient db;
  @Autowired protected InstanceRegistry registry;
  @Autowired protected TransactionalOperator tx;

  protected WebTestClient http;
  protected String tenant;
  protected String token;
  protected String service;
  protected String base;

  @BeforeEach
  void instance() {
    http = TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(60)).build();
    tenant = "t-" + UUID.randomUUID();
    token = TestJwtIssuer.shared().token(tenant, "admin");
    service = UUID.randomUUID().toString();
    registry
        .created(service, "function", tenant, "functions-" + service)
        .as(tx::transactional)
        .block(Duration.ofSeconds(10));
    base = "/api/function/" + tenant + "/" + service;
  }

  /** auth-service's {@code service.<verb>} for a function instance, through the outbox to Kafka. */
  protected void announce(String tenantId, String serviceId, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", "my-functions");
    data.put("serviceType", "Function");
    data.put("status", "created".equals(verb) ? "running" : "deleted");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service." + verb);
    payload.put("timestamp", Instant.now().toString());
    payload.put("tenantId", tenantId);
    payload.put("serviceId", serviceId);
    payload.put("data", data);
    outbox
        .appendForTenant(tenantId, InstanceRegistry.TOPIC, serviceId, "service", verb, payload)
        .block(Duration.ofSeconds(10));
  }

  /** A zip of the given files (name to content), base64 as the API takes it. */
  protected static String zip(Map<String, String> files) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return zipBinary(bytes);
  }

  /** A zip of binary files (e.g. compiled classes), base64. */
  protected static String zipBinary(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** Creates a function from one source file and answers its configuration. */
  protected JsonNode createFunction(
      String name, String runtime, String handler, String file, String source, String extra) {
    String body =
        "{\"functionName\":\""
            + name
            + "\",\"runtime\":\""
            + runtime
            + "\",\"handler\":\""
            + handler
            + "\",\"code\":\""
            + zip(Map.of(file, source))
            + "\""
            + (extra == null ? "" : "," + extra)
            + "}";
    return call("POST", base + "/functions", body, 201);
  }

  /** Invokes synchronously with {@code {"payload": payload}}. */
  protected JsonNode invoke(String name, String payload) {
    return call(
        "POST",
        base + "/functions/" + name + "/invoke?invocationType=RequestResponse",
        "{\"payload\":" + payload + "}",
        200);
  }

  protected JsonNode call(String method, String uri, String body, int expected) {
    return call(method, uri, token, body, expected);
  }

  protected JsonNode call(String method, String uri, String bearer, String body, int expected) {
    WebTestClient.RequestBodySpec spec = http.method(HttpMethod.valueOf(method)).uri(uri);
    if (bearer != null) {
      spec = spec.header("Authorization", "Bearer " + bearer);
    }
    WebTestClient.ResponseSpec response =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    var result = response.expectBody(byte[].class).returnResult();
    byte[] bytes = result.getResponseBody();
    assertThat(result.getStatus().value())
        .as(
            "%s %s answered %s",
            method, uri, bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(expected);
    return bytes == null ? JSON.missingNode() : JSON.readTree(bytes);
  }

  protected int status(String method, String uri, String bearer, String body) {
    WebTestClient.RequestBodySpec spec = http.method(HttpMethod.valueOf(method)).uri(uri);
    if (bearer != null) {
      spec = spec.header("Authorization", "Bearer " + bearer);
    }
    WebTestClient.ResponseSpec response =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    return response.returnResult(byte[].class).getStatus().value();
  }

  protected long outboxEvents(String type, String key) {
    return db.sql(
            "SELECT count(*) FROM cumulus_outbox WHERE event_type = :type AND event_key = :key")
        .bind("type", type)
        .bind("key", key)
        .map(r -> r.get(0, Long.class))
        .one()
        .block();
  }

  protected static void assertError(JsonNode error, String code) {
    assertThat(error.path("error").path("message").asString()).isNotBlank();
    assertThat(error.has("requestId")).isTrue();
    if (code != null) {
      assertThat(error.path("error").path("code").asString()).isEqualTo(code);
    }
  }

  private static Path workDir() {
    try {
      return Files.createTempDirectory("cumulus-functions-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
