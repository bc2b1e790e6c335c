package dev.cumulus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.integration.WebhookReceiver.Answer;
import dev.cumulus.integration.WebhookReceiver.Received;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of integration-service mid-delivery: the packaged service runs as a process of its own,
 * its receiver answers slowly so deliveries are in flight when the process is killed, and a restart
 * on the same database sends every event's webhook; a message is received twice only if it was in
 * flight at the crash (at-least-once, with the same {@code webhook-id} and a valid signature).
 */
class IntegrationCrashIT {

  private static final int EVENTS = 40;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static final WebhookReceiver receiver = WebhookReceiver.start();

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void noDeliveryIsLostAndOnlyThoseInFlightAreRepeated() throws Exception {
    String tenant = "crash-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");
    String path = "/crash/" + UUID.randomUUID();
    // 300 ms per answer: with 8 deliveries in flight per endpoint, the kill finds some mid-way.
    receiver.script(path, new Answer(0, Map.of(), "300"));
    List<String> arguments = arguments();
    int port = freePort();

    Set<String> sent = new HashSet<>();
    Instant killedAt;
    String secret;
    try (Service service = Service.start(port, arguments)) {
      JsonNode endpoint = service.register(token, receiver.url(path));
      secret = endpoint.path("secret").asString();
      for (int i = 0; i < EVENTS; i++) {
        UUID id =
            IntegrationTestSupport.publish(
                "storage", tenant, "object", "created", Map.of("key", "k" + i, "size", i));
        sent.add("msg_" + id.toString().replace("-", ""));
      }
      awaitReceived(path, 10, Duration.ofSeconds(90));
      service.kill();
      killedAt = Instant.now();
    }
    int beforeCrash = receiver.at(path).size();
    assertThat(beforeCrash).as("the crash came mid-way").isLessThan(EVENTS);

    try (Service restarted = Service.start(port, arguments)) {
      Instant deadline = Instant.now().plusSeconds(120);
      while (!distinctIds(path).containsAll(sent)) {
        assertThat(Instant.now()).as("every event delivered after the restart").isBefore(deadline);
        Thread.sleep(200);
      }
      // Leases (3 s) of anything claimed twice would have run out: nothing more may come.
      Thread.sleep(5000);
      assertThat(restarted.alive()).isTrue();
    }

    List<Received> all = receiver.at(path);
    assertThat(distinctIds(path)).isEqualTo(sent);
    Map<String, List<Received>> byId = new HashMap<>();
    all.forEach(r -> byId.computeIfAbsent(r.header("webhook-id"), k -> new ArrayList<>()).add(r));
    for (Received r : all) {
      assertThat(StandardWebhooks.verify(secret, r))
          .as("signed %s", r.header("webhook-id"))
          .isTrue();
    }
    byId.forEach(
        (id, copies) -> {
          if (copies.size() > 1) {
            // A repeat is a delivery the killed process had sent but not recorded.
            assertThat(copies).hasSize(2);
            assertThat(copies.getFirst().at()).isBefore(killedAt);
            assertThat(copies.get(1).body()).isEqualTo(copies.getFirst().body());
          }
        });
    long repeated = byId.values().stream().filter(c -> c.size() > 1).count();
    assertThat(repeated).as("at most the in-flight deliveries repeat").isLessThanOrEqualTo(8);
  }

  private static Set<String> distinctIds(String path) {
    Set<String> ids = new HashSet<>();
    receiver.at(path).forEach(r -> ids.add(r.header("webhook-id")));
    return ids;
  }

  private static void awaitReceived(String path, int count, Duration within)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (receiver.at(path).size() < count) {
      assertThat(Instant.now()).as("%d deliveries arrived", count).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  /** The service's settings: the test infrastructure, a database of its own, time compressed. */
  private static List<String> arguments() {
    PostgresServer pg = TestInfrastructure.postgres();
    Map<String, String> settings = new HashMap<>();
    settings.put("cumulus.pg.host", pg.host());
    settings.put("cumulus.pg.port", Integer.toString(pg.port()));
    settings.put("cumulus.pg.user", pg.user());
    settings.put("cumulus.pg.password", pg.password() == null ? "" : pg.password());
    settings.put("cumulus.database.name", PostgresServer.uniqueDatabaseName("integration_crash"));
    settings.put("cumulus.kafka.bootstrap-servers", TestInfrastructure.kafkaBootstrapServers());
    settings.put("spring.data.redis.host", TestInfrastructure.redis().getHost());
    settings.put("spring.data.redis.port", Integer.toString(TestInfrastructure.redis().getPort()));
    settings.put("cumulus.security.jwks-uri", TestJwtIssuer.shared().jwksUri());
    settings.put("cumulus.integration.master-key", MasterKey.generateBase64());
    settings.put("cumulus.integration.outbound.allowed-networks", WebhookReceiver.HOST + "/32");
    settings.put("cumulus.integration.webhooks.lease", "3s");
    settings.put("cumulus.integration.webhooks.poll-interval", "200ms");
    settings.put("cumulus.integration.webhooks.timeout", "2s");
    settings.put(
        "spring.cloud.stream.bindings.platformEvents-in-0.group", "crash-" + UUID.randomUUID());
    settings.put(
        "spring.cloud.stream.kafka.bindings.platformEvents-in-0.consumer.configuration"
            + ".metadata.max.age.ms",
        "1000");
    List<String> arguments = new ArrayList<>();
    settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
    return arguments;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The packaged service (this module's jar) as a separate JVM. */
  private record Service(int port, Process process, Path log) implements AutoCloseable {

    static Service start(int port, List<String> arguments) throws IOException {
      Path jar = jar();
      Path log = Files.createTempFile("integration-crash-", ".log");
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(
          List.of(
              "-Xmx256m",
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-jar",
              jar.toString(),
              "--server.port=" + port));
      command.addAll(arguments);
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("CUMULUS_LOG_FORMAT", "text");
      Service service = new Service(port, builder.start(), log);
      service.awaitReady(Duration.ofSeconds(180));
      return service;
    }

    private static Path jar() throws IOException {
      try (var files = Files.list(Path.of("target"))) {
        return files
            .filter(p -> p.getFileName().toString().matches("integration-service-.*\\.jar"))
            .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no packaged jar: run mvn verify"));
      }
    }

    JsonNode register(String token, String url) throws Exception {
      String body =
          IntegrationTestSupport.JSON.writeValueAsString(
              Map.of("url", url, "events", List.of("object.*")));
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/webhooks"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      return IntegrationTestSupport.JSON.readTree(response.body());
    }

    boolean alive() {
      return process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, nothing drained or recorded — a crash. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }

    private void awaitReady(Duration timeout) {
      Instant deadline = Instant.now().plus(timeout);
      HttpRequest probe =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(2))
              .build();
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("integration-service exited:\n" + tail());
        }
        try {
          HttpResponse<String> response = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
            return;
          }
          Thread.sleep(250);
        } catch (IOException notYet) {
          sleepQuietly();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("integration-service not ready:\n" + tail());
    }

    private static void sleepQuietly() {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
