package dev.cumulus.updater;

import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of the updater integration tests (real podman, registry, PostgreSQL and
 * Kafka), a fresh tenant per test, and the calls they make.
 */
@SpringBootTest(
    classes = UpdaterApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class UpdaterIntegrationTest {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final List<String> WRITER =
      List.of(
          "container:read",
          "container:write",
          "image:read",
          "image:write",
          "update:read",
          "update:write");

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    UpdaterTestProperties.register(registry);
  }

  @LocalServerPort protected int port;
  @Autowired protected DatabaseClient db;

  WebTestClient http;
  String tenant;
  String token;

  @BeforeEach
  void setUp() {
    http = TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(60)).build();
    tenant = "t-" + UUID.randomUUID();
    token = token(tenant, WRITER);
  }

  @AfterEach
  void cleanUp() {
    if (TestEngineState.available()) {
      TestEngine.removeContainersOf(tenant);
    }
  }

  static String token(String tenant, List<String> permissions, String... roles) {
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, roles);
    claims.put("permissions", permissions);
    return TestJwtIssuer.shared().token(claims);
  }

  // --- helpers -----------------------------------------------------------------------------------

  static String seedContainer(String name, String image, int hostPort) {
    return """
        {
          "name": "%s",
          "image": "%s",
          "config": {
            "ports": [{"host": %d, "container": 8080, "protocol": "tcp"}],
            "environment": {"ENV": "production"},
            "labels": {"app": "web", "version": "1.0.0"},
            "restart_policy": "no",
            "cpu_limit": "1.0",
            "memory_limit": "64MB"
          },
          "update_policy": {
            "policy": "auto",
            "strategy": "rolling",
            "schedule": "0 2 * * *",
            "rollback_on_failure": true
          },
          "health_check": {
            "enabled": true,
            "interval": 1,
            "timeout": 5,
            "retries": 3,
            "command": %s
          },
          "start_immediately": true
        }
        """
        .formatted(name, image, hostPort, JSON.writeValueAsString(TestEngine.HEALTH_COMMAND));
  }

  JsonNode create(String body, int status) {
    return create(token, body, status);
  }

  JsonNode create(String as, String body, int status) {
    return call(HttpMethod.POST, "/api/containers", body, as, status);
  }

  JsonNode call(HttpMethod method, String path, String body, String as, int status) {
    var request = http.method(method).uri(path);
    if (as != null) {
      request = request.header("Authorization", "Bearer " + as);
    }
    var spec =
        body == null
            ? request.exchange()
            : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    byte[] bytes =
        spec.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    return bytes == null ? JSON.createObjectNode() : JSON.readTree(bytes);
  }

  long createManaged(String name, String repository, String policy, String strategy, int port) {
    String body =
        seedContainer(name, repository + ":latest", port)
            .replace("\"policy\": \"auto\"", "\"policy\": \"" + policy + "\"")
            .replace("\"strategy\": \"rolling\"", "\"strategy\": \"" + strategy + "\"")
            .replace("\"schedule\": \"0 2 * * *\",", "");
    if (port == 0) {
      body =
          body.replace(
              "\"ports\": [{\"host\": 0, \"container\": 8080, \"protocol\": \"tcp\"}],", "");
    }
    return create(body, 201).path("data").path("id").asLong();
  }

  void schedule(long id, String cron) {
    call(
        HttpMethod.PUT,
        "/api/containers/" + id,
        "{\"update_policy\": {\"schedule\": \"" + cron + "\"}}",
        token,
        200);
  }

  String digest(long id) {
    return call(HttpMethod.GET, "/api/containers/" + id, null, token, 200)
        .path("data")
        .path("image_digest")
        .asString();
  }

  List<JsonNode> history(long id) {
    List<JsonNode> items = new ArrayList<>();
    call(HttpMethod.GET, "/api/updates?container_id=" + id + "&limit=100", null, token, 200)
        .path("data")
        .path("items")
        .forEach(items::add);
    return items;
  }

  JsonNode latestUpdate(long id) {
    List<JsonNode> items = history(id);
    return items.isEmpty() ? JSON.createObjectNode() : items.getFirst();
  }

  /** What the container's httpd serves, fetched inside it (it publishes no port). */
  String served(long id) {
    String dockerId =
        call(HttpMethod.GET, "/api/containers/" + id, null, token, 200)
            .path("data")
            .path("docker_id")
            .asString();
    return TestEngine.podman(
            "exec",
            dockerId,
            "/bin/busybox",
            "wget",
            "-q",
            "-O",
            "-",
            "http://127.0.0.1:8080/version")
        .trim();
  }

  /** GETs a path from a container's published port; empty when it does not answer (yet). */
  static String httpGet(int hostPort, String path) {
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      var response =
          client.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + hostPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body().trim() : "";
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
