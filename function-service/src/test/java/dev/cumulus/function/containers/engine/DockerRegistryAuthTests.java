package dev.cumulus.function.containers.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Docker backend sends the Engine API for an image of a private registry, read on the
 * wire: a stand-in engine (the JDK's HTTP server) records each request. The pull carries the
 * credentials as {@code X-Registry-Auth}; a public image found locally is not pulled at all.
 */
class DockerRegistryAuthTests {

  private record Request(String method, String path, String registryAuth) {}

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer engine;
  private DockerBackend backend;
  private com.github.dockerjava.api.DockerClient client;

  @BeforeEach
  void startEngine() throws IOException {
    engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    engine.createContext("/", this::answer);
    engine.start();
    ContainerProperties properties =
        new ContainerProperties(
            "docker",
            "cumulus-fn-",
            "tcp://127.0.0.1:" + engine.getAddress().getPort(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            10,
            "256Mi",
            256,
            Duration.ofMinutes(10),
            65536,
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    client = new DockerConfiguration().functionDockerClient(properties);
    backend = new DockerBackend(client, properties);
  }

  @AfterEach
  void stopEngine() throws IOException {
    client.close();
    engine.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("X-Registry-Auth")));
    byte[] body =
        exchange.getRequestURI().getPath().endsWith("/images/create")
            ? "{\"status\":\"Status: Downloaded newer image for registry.example.com:5000/team/app:1\"}\n"
                .getBytes(StandardCharsets.UTF_8)
            : "{\"Id\":\"sha256:0123\"}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static ContainerFunction function(String image, RegistryCredentials credentials) {
    Instant now = Instant.now();
    return new ContainerFunction(
        UUID.randomUUID(),
        "tenant-carol",
        "carol",
        "private",
        image,
        1,
        null,
        Map.of(),
        null,
        false,
        "Pending",
        null,
        0,
        0,
        CrashLoop.NONE,
        now,
        now,
        credentials);
  }

  @Test
  void aPrivateImageIsAlwaysPulledWithTheCredentialsAsXRegistryAuth() {
    backend
        .ensureImage(
            function(
                "registry.example.com:5000/team/app:1",
                new RegistryCredentials("robot", "hunter2")))
        .block(Duration.ofSeconds(30));

    // Pulled although the engine has it (its inspect answers): the credentials are checked.
    Request pull =
        requests.stream()
            .filter(r -> r.path().endsWith("/images/create"))
            .findFirst()
            .orElseThrow();
    assertThat(pull.method()).isEqualTo("POST");
    assertThat(pull.registryAuth()).isNotNull();
    JsonNode auth =
        JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(pull.registryAuth()));
    assertThat(auth.path("username").asString()).isEqualTo("robot");
    assertThat(auth.path("password").asString()).isEqualTo("hunter2");
    assertThat(auth.path("serveraddress").asString()).isEqualTo("registry.example.com:5000");
  }

  @Test
  void aPublicImageTheEngineHasIsNotPulledAndNoCredentialsAreSent() {
    backend.ensureImage(function("nginx:alpine", null)).block(Duration.ofSeconds(30));

    assertThat(requests).noneMatch(r -> r.path().endsWith("/images/create"));
    assertThat(requests).allMatch(r -> r.registryAuth() == null);
    assertThat(requests).anyMatch(r -> r.path().endsWith("/images/nginx:alpine/json"));
  }
}
