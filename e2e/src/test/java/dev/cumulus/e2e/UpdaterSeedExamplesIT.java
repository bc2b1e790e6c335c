package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * updater-service's seed examples (seed 002, the Docker Auto-Update document) through the gateway,
 * against podman's Docker API and the local registry of {@code deploy/podman/start.sh}: health,
 * system info, the container lifecycle, logs and stats, images and check-updates, a health-gated
 * update, the update history and a schedule, the seed users' permissions, tenant isolation and the
 * seed's error envelopes. Skipped where podman, its socket, the registry or busybox is missing.
 */
class UpdaterSeedExamplesIT {

  static final String REGISTRY = "127.0.0.1:5000";
  static final List<String> HEALTH_CHECK =
      List.of("/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health");

  static Cumulus cumulus;
  static Api api;
  static String admin;

  @BeforeAll
  static void updaterBehindTheGateway() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "podman is not installed");
    assumeTrue(Files.exists(Path.of("/run/podman.sock")), "no podman API: deploy/podman/start.sh");
    assumeTrue(answers(5000), "no registry at " + REGISTRY + ": deploy/podman/start.sh");
    assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "apt-get install busybox-static");
    cumulus = Cumulus.get();
    cumulus.updater();
    api = new Api(cumulus.viaGateway());
    // Seed 002's login: the platform's admin user.
    admin =
        api.post(
                "/api/auth/login",
                none(),
                Map.of("email", "admin@cumulus.local", "password", cumulus.adminPassword))
            .expect(200)
            .at("data.access_token");
  }

  @Test
  void everySeed002ExampleThroughTheGateway() {
    Api.Answer health = api.get("/api/health", none()).expect(200);
    assertThat(health.<String>at("data.status")).isEqualTo("ok");
    assertThat(health.<Map<String, Object>>at("meta")).containsKeys("request_id", "timestamp");
    assertThat(
            api.get("/api/system/info", bearer(admin))
                .expect(200)
                .<String>at("data.docker_version"))
        .isNotBlank();

    String repository =
        REGISTRY + "/cumulus-e2e/web-" + UUID.randomUUID().toString().substring(0, 8);
    String v1 = pushWebImage(repository, "v1");
    int hostPort = FreePorts.next();
    Api.Answer created =
        api.post("/api/containers", bearer(admin), seedContainer(repository, hostPort));
    created.expect(201);
    assertThat(created.<String>at("message")).isEqualTo("Container created successfully");
    assertThat(created.<String>at("data.status")).isEqualTo("running");
    long id = ((Number) created.at("data.id")).longValue();
    String name = created.at("data.name");
    String path = "/api/containers/" + id;
    try {
      Api.Answer page =
          api.get("/api/containers?status=running&name=web-server&page=1&limit=20", bearer(admin))
              .expect(200);
      assertThat(page.list("data.items"))
          .anySatisfy(c -> assertThat(c).containsEntry("name", name));
      assertThat(page.<Map<String, Object>>at("data.pagination"))
          .containsKeys("page", "limit", "total", "has_next");
      Api.Answer details = api.get(path, bearer(admin)).expect(200);
      assertThat(details.<String>at("data.image_digest")).isEqualTo(v1);
      assertThat(served(hostPort)).isEqualTo("v1");

      Api.Answer changed =
          api.put(
                  path,
                  bearer(admin),
                  Map.of(
                      "config",
                      Map.of(
                          "environment",
                          Map.of("ENV", "staging", "DEBUG", "true"),
                          "memory_limit",
                          "1GB"),
                      "update_policy",
                      Map.of("schedule", "0 3 * * *")))
              .expect(200);
      assertThat(changed.<String>at("message")).isEqualTo("Container updated successfully");

      Api.Answer stopped =
          api.post(path + "/stop", bearer(admin), Map.of("force", false, "timeout", 30))
              .expect(200);
      assertThat(stopped.<String>at("message")).isEqualTo("Container stopped successfully");
      assertThat(stopped.<String>at("data.status")).isEqualTo("stopped");
      assertThat(stopped.<String>at("data.action_id")).isNotBlank();
      assertThat(
              api.post(path + "/start", bearer(admin), null).expect(200).<String>at("data.status"))
          .isEqualTo("running");
      assertThat(
              api.post(path + "/restart", bearer(admin), Map.of("timeout", 30))
                  .expect(200)
                  .<String>at("data.status"))
          .isEqualTo("running");
      await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(served(hostPort)));
      assertThat(
              api.get(path + "/logs?lines=100&timestamps=true", bearer(admin))
                  .expect(200)
                  .list("data.logs"))
          .isNotEmpty();
      assertThat(
              api.get(path + "/stats", bearer(admin))
                  .expect(200)
                  .<String>at("data.current.memory_usage"))
          .endsWith("B");

      assertThat(api.get("/api/images", bearer(admin)).expect(200).list("data.items"))
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("id", repository + ":latest")
                      .containsEntry("digest", v1));
      String v2 = pushWebImage(repository, "v2");
      Map<String, Object> check =
          api.post(
                  "/api/images/check-updates",
                  bearer(admin),
                  Map.of("images", List.of(repository + ":latest")))
              .expect(200)
              .list("data.updates")
              .getFirst();
      assertThat(check).containsEntry("update_available", true).containsEntry("latest_digest", v2);

      // "Update Container Image", the seed's request: health-gated, v2 serves afterwards.
      Api.Answer started =
          api.post(
                  path + "/update",
                  bearer(admin),
                  Map.of(
                      "strategy",
                      "rolling",
                      "schedule",
                      "immediate",
                      "force",
                      false,
                      "backup",
                      true))
              .expect(202);
      assertThat(started.<String>at("data.status")).isEqualTo("started");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> v2.equals(api.get(path, bearer(admin)).expect(200).at("data.image_digest")));
      assertThat(served(hostPort)).isEqualTo("v2");
      Api.Answer history = api.get("/api/updates?container_id=" + id, bearer(admin)).expect(200);
      assertThat(history.list("data.items"))
          .first()
          .satisfies(u -> assertThat(u).containsEntry("status", "completed"));

      String at = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
      Api.Answer scheduled =
          api.post(
                  "/api/updates/schedule",
                  bearer(admin),
                  Map.of(
                      "container_ids",
                      List.of(id),
                      "strategy",
                      "rolling",
                      "scheduled_at",
                      at,
                      "options",
                      Map.of("rollback_on_failure", true, "health_check_timeout", 300)))
              .expect(201);
      assertThat(scheduled.<Integer>at("data.scheduled_updates")).isEqualTo(1);
      assertThat(scheduled.<String>at("data.batch_id")).isNotBlank();

      // Another tenant sees none of it.
      String other = "upd-" + UUID.randomUUID().toString().substring(0, 8);
      String otherAdmin = CommerceSeedExamplesIT.tenantAdmin(api, cumulus.adminToken(api), other);
      Api.Answer hidden = api.get(path, bearer(otherAdmin, other)).expect(404);
      assertThat(hidden.<String>at("error.code")).isEqualTo("RESOURCE_NOT_FOUND");
      assertThat(api.get("/api/images", bearer(otherAdmin, other)).expect(200).list("data.items"))
          .isEmpty();
    } finally {
      api.delete(path, bearer(admin));
    }
  }

  /**
   * The seed's "Create User" operator holds container:read and container:write only: containers
   * yes, schedules and registry logins no; {@code image:write} is granted by naming it.
   */
  @Test
  void theSeedsOperatorAndItsPermissions() {
    String plain = operator(List.of("container:read", "container:write"));
    api.get("/api/containers", bearer(plain)).expect(200);
    Api.Answer refused =
        api.post("/api/updates/schedule", bearer(plain), Map.of("container_ids", List.of(1)))
            .expect(403);
    assertThat(refused.<Boolean>at("success")).isFalse();
    assertThat(refused.<String>at("error.code")).isEqualTo("INSUFFICIENT_PERMISSIONS");
    Map<String, Object> login = Map.of("username", "robot", "password", "secret");
    api.put("/api/images/registries/registry.example.com", bearer(plain), login).expect(403);

    String granted = operator(List.of("container:read", "image:read", "image:write"));
    api.put("/api/images/registries/registry.example.com", bearer(granted), login).expect(201);
    assertThat(
            api.get("/api/images/registries/registry.example.com", bearer(granted))
                .expect(200)
                .<String>at("data.username"))
        .isEqualTo("robot");
    api.delete("/api/images/registries/registry.example.com", bearer(granted)).expect(200);
  }

  @Test
  void badInputGetsTheSeedsErrorEnvelopes() {
    Api.Answer unauthenticated = api.get("/api/containers", none()).expect(401);
    assertThat(unauthenticated.<String>at("error.code")).isEqualTo("AUTHENTICATION_REQUIRED");
    Api.Answer badCron =
        api.post(
                "/api/containers",
                bearer(admin),
                Map.of(
                    "name",
                    "bad-cron",
                    "image",
                    REGISTRY + "/x/y:latest",
                    "update_policy",
                    Map.of("policy", "auto", "schedule", "every night")))
            .expect(422);
    assertThat(badCron.<String>at("error.code")).isEqualTo("VALIDATION_ERROR");
    assertThat(badCron.<Map<String, Object>>at("error.fields"))
        .containsKey("update_policy.schedule");
    assertThat(
            api.post("/api/containers", bearer(admin), "{\"name\": ")
                .expect(400)
                .<String>at("error.code"))
        .isEqualTo("INVALID_REQUEST");
    assertThat(
            api.get("/api/containers/999999999", bearer(admin))
                .expect(404)
                .<String>at("error.code"))
        .isEqualTo("RESOURCE_NOT_FOUND");
    Map<String, Object> ghost =
        seedContainer(
            REGISTRY + "/cumulus-e2e/missing-" + UUID.randomUUID().toString().substring(0, 8), 0);
    ghost.put("config", Map.of());
    Api.Answer unknown = api.post("/api/containers", bearer(admin), ghost).expect(400);
    assertThat(unknown.<String>at("error.code")).isEqualTo("DOCKER_ERROR");
    assertThat(unknown.<Map<String, Object>>at("meta")).containsKeys("request_id", "timestamp");
  }

  /** An operator of the default tenant, created and logged in with seed 002's requests. */
  String operator(List<String> permissions) {
    String email = "operator-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    api.post(
            "/api/users",
            bearer(admin),
            Map.of(
                "email", email,
                "name", "Operator",
                "password", "secure_password",
                "role", "operator",
                "permissions", permissions))
        .expect(201);
    return api.post(
            "/api/auth/login", none(), Map.of("email", email, "password", "secure_password"))
        .expect(200)
        .at("data.access_token");
  }

  /** Seed 002's "Create Container" body, for the test image and a free host port (0: none). */
  static Map<String, Object> seedContainer(String repository, int hostPort) {
    Map<String, Object> config = new java.util.HashMap<>();
    if (hostPort > 0) {
      config.put("ports", List.of(Map.of("host", hostPort, "container", 8080, "protocol", "tcp")));
    }
    config.put("environment", Map.of("ENV", "production"));
    config.put("labels", Map.of("app", "web", "version", "1.0.0"));
    config.put("restart_policy", "no");
    config.put("cpu_limit", "1.0");
    config.put("memory_limit", "64MB");
    Map<String, Object> body = new java.util.HashMap<>();
    // Unique: engine names (cumulus-<id>-<name>) are shared with other stacks on this engine.
    body.put("name", "web-server-" + UUID.randomUUID().toString().substring(0, 8));
    body.put("image", repository + ":latest");
    body.put("config", config);
    body.put(
        "update_policy",
        Map.of(
            "policy",
            "auto",
            "strategy",
            "rolling",
            "schedule",
            "0 2 * * *",
            "rollback_on_failure",
            true));
    body.put(
        "health_check",
        Map.of(
            "enabled", true, "interval", 1, "timeout", 5, "retries", 3, "command", HEALTH_CHECK));
    body.put("start_immediately", true);
    return body;
  }

  /**
   * A web image FROM scratch with Debian's static busybox ({@code httpd} serves {@code /version}
   * and {@code /health}), built by podman and pushed to the local registry as {@code :latest}.
   *
   * @return the registry's manifest digest
   */
  static String pushWebImage(String repository, String version) {
    try {
      Path context = Files.createTempDirectory("e2e-web");
      Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
      Path www = Files.createDirectories(context.resolve("www"));
      Files.writeString(www.resolve("version"), version + "\n");
      Files.writeString(www.resolve("health"), "ok\n");
      Files.writeString(
          context.resolve("Containerfile"),
          """
          FROM scratch
          COPY busybox /bin/busybox
          COPY www /www
          STOPSIGNAL SIGKILL
          CMD ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
          """);
      String local = "localhost/cumulus-e2e-build/" + UUID.randomUUID().toString().substring(0, 8);
      Path digest = context.resolve("digest");
      podman("build", "-q", "-t", local, context.toString());
      podman(
          "push",
          "-q",
          "--tls-verify=false",
          "--digestfile",
          digest.toString(),
          local,
          "docker://" + repository + ":latest");
      podman("rmi", "-f", local);
      return Files.readString(digest).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String podman(String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the container's published port serves at /version; empty while it does not answer. */
  static String served(int hostPort) {
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      return client
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + hostPort + "/version"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body()
          .trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }
}
