package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * Container functions from a real private registry: Debian's docker-registry with htpasswd basic
 * auth, an image pushed to it with podman, and the Docker backend (podman's Docker API) pulling it
 * with the function's stored {@code registry_credentials}. Without credentials or with a wrong
 * password the pull fails: {@code :invoke} answers seed 001's error, and the function reports
 * {@code Failed} with the reason. Skips without podman, docker-registry or busybox.
 */
@Import(PrivateRegistryIT.PrivateEngine.class)
class PrivateRegistryIT extends FunctionTestSupport {

  private static AuthenticatedRegistry registry;
  private static String image;

  /** The backend talks to the engine that trusts the test's registry. */
  @TestConfiguration
  static class PrivateEngine {
    @Bean(destroyMethod = "close")
    @Primary
    DockerClient privateRegistryEngine() {
      DefaultDockerClientConfig config =
          DefaultDockerClientConfig.createDefaultConfigBuilder()
              .withDockerHost(registry.dockerHost)
              .build();
      return DockerClientImpl.getInstance(
          config,
          new ApacheDockerHttpClient.Builder()
              .dockerHost(config.getDockerHost())
              .responseTimeout(Duration.ofSeconds(60))
              .build());
    }
  }

  @BeforeAll
  static void registryWithAnImage() throws Exception {
    registry = AuthenticatedRegistry.start();
    assertThat(registry.anonymousStatus()).as("the registry asks for credentials").isEqualTo(401);
    image = registry.pushBusybox();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      ContainerTestEngine.podman("rmi", "-f", "--ignore", image);
      registry.close();
    }
  }

  @AfterEach
  void removeFunctions() {
    db.sql(
            "UPDATE container_functions SET deleted_at = now() WHERE tenant_id = :tenant"
                + " AND deleted_at IS NULL")
        .bind("tenant", tenant)
        .then()
        .block(Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ContainerTestEngine.containersOf(tenant, false).isEmpty());
  }

  private void create(String name, String credentials) {
    call(
        "POST",
        "/v1/functions",
        "{\"name\":\""
            + name
            + "\",\"image\":\""
            + image
            + "\",\"command\":[\"/bin/busybox\",\"sleep\",\"3600\"]"
            + (credentials == null ? "" : ",\"registry_credentials\":" + credentials)
            + "}",
        201);
  }

  private JsonNode get(String name) {
    return call("GET", "/v1/functions/" + name, null, 200);
  }

  @Test
  void theBackendPullsWithTheStoredCredentialsAndNotWithoutThem() {
    String cannotPull =
        "{\"error\":\"Bad Request\",\"message\":\"image '" + image + "' cannot be pulled\"}";

    // No credentials, then a wrong password: the registry refuses, nothing runs.
    create("anonymous", null);
    assertThat(call("POST", "/v1/functions/anonymous:invoke", null, 400).toString())
        .isEqualTo(cannotPull);
    create("wrong", "{\"username\":\"robot\",\"password\":\"not-" + registry.password + "\"}");
    assertThat(call("POST", "/v1/functions/wrong:invoke", null, 400).toString())
        .isEqualTo(cannotPull);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("wrong").path("status").asString().equals("Failed"));
    assertThat(get("wrong").path("message").asString())
        .contains(image)
        .contains("cannot be pulled");
    assertThat(get("wrong").path("available_replicas").asInt()).isZero();
    assertThat(podmanHas(image)).isFalse();

    // The right ones (sealed at rest, answered as the user name only): pulled, and running.
    create(
        "private-app",
        "{\"username\":\""
            + AuthenticatedRegistry.USER
            + "\",\"password\":\""
            + registry.password
            + "\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode now = get("private-app");
              assertThat(now.path("status").asString()).as("%s", now).isEqualTo("Running");
            });
    JsonNode running = get("private-app");
    assertThat(running.path("available_replicas").asInt()).isEqualTo(1);
    assertThat(running.path("registry_credentials").toString())
        .isEqualTo("{\"username\":\"robot\"}");
    assertThat(podmanHas(image)).isTrue();
    assertThat(ContainerTestEngine.containersOf(tenant, true)).hasSize(1);
    // A job pulls again with them (credentials are checked on every start).
    assertThat(
            call("POST", "/v1/functions/private-app:invoke", null, 200).path("job_name").asString())
        .startsWith("private-app-invoke-");

    // The wrong password stays wrong although the image is now in the engine's store.
    assertThat(call("POST", "/v1/functions/wrong:invoke", null, 400).toString())
        .isEqualTo(cannotPull);
  }

  private static boolean podmanHas(String image) {
    try {
      ContainerTestEngine.podman("image", "exists", image);
      return true;
    } catch (IllegalStateException absent) {
      return false;
    }
  }
}
