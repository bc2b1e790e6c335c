package dev.cumulus.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002's container, image and system endpoints against real podman, a real registry, PostgreSQL
 * and Kafka: the seed's examples, tenant isolation, permissions and the seed's error codes for bad
 * input.
 */
class UpdaterSeedIT extends UpdaterIntegrationTest {

  // --- system ------------------------------------------------------------------------------------

  @Test
  void healthIsPublicAndReportsItsComponents() {
    JsonNode body = call(HttpMethod.GET, "/api/health", null, null, 200);
    assertThat(body.path("success").asBoolean()).isTrue();
    assertThat(body.path("message").asString()).isEqualTo("System is healthy");
    assertThat(body.path("data").path("status").asString()).isEqualTo("ok");
    assertThat(body.path("data").path("components").path("database").asString())
        .isEqualTo("healthy");
    assertThat(body.path("meta").path("version").asString()).isEqualTo("v1");
  }

  @Test
  void systemInfoNeedsATokenAndNamesTheEngine() {
    JsonNode refused = call(HttpMethod.GET, "/api/system/info", null, null, 401);
    assertThat(refused.path("success").asBoolean()).isFalse();
    assertThat(refused.path("error").path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");
    TestEngine.assumeAvailable();
    JsonNode info = call(HttpMethod.GET, "/api/system/info", null, token, 200);
    assertThat(info.path("data").path("docker_version").asString()).isNotBlank();
    assertThat(info.path("data").path("system").path("cpu_cores").asInt()).isPositive();
    assertThat(info.path("data").path("features").path("auto_updates").asBoolean()).isTrue();
  }

  // --- containers --------------------------------------------------------------------------------

  @Test
  void containerLifecycleAsTheSeedShows() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("web");
    String v1 = TestEngine.pushWebImage(repository, "latest", "v1", true);
    int hostPort = FreePorts.next();
    JsonNode created = create(seedContainer("web-server", repository + ":latest", hostPort), 201);
    assertThat(created.path("message").asString()).isEqualTo("Container created successfully");
    long id = created.path("data").path("id").asLong();
    assertThat(created.path("data").path("name").asString()).isEqualTo("web-server");
    assertThat(created.path("data").path("status").asString()).isEqualTo("running");

    JsonNode details = call(HttpMethod.GET, "/api/containers/" + id, null, token, 200).path("data");
    assertThat(details.path("image").asString()).isEqualTo(repository + ":latest");
    assertThat(details.path("image_digest").asString()).isEqualTo(v1);
    assertThat(details.path("docker_id").asString()).isNotBlank();
    assertThat(details.path("config").path("ports").get(0).path("host").asInt())
        .isEqualTo(hostPort);
    assertThat(details.path("config").path("environment").path("ENV").asString())
        .isEqualTo("production");
    assertThat(details.path("config").path("memory_limit").asString()).isEqualTo("64MB");
    assertThat(details.path("update_policy").path("schedule").asString()).isEqualTo("0 2 * * *");
    assertThat(details.path("update_policy").path("rollback_on_failure").asBoolean()).isTrue();
    assertThat(details.path("health").path("check_interval").asInt()).isEqualTo(1);
    assertThat(details.path("update_history")).isEmpty();
    // The engine really runs it: the published port serves the image's content.
    assertThat(httpGet(hostPort, "/version")).isEqualTo("v1");

    JsonNode page =
        call(HttpMethod.GET, "/api/containers?status=running&name=web&limit=1", null, token, 200);
    assertThat(page.path("data").path("items")).hasSize(1);
    assertThat(page.path("data").path("items").get(0).path("id").asLong()).isEqualTo(id);
    assertThat(page.path("data").path("pagination").path("total").asLong()).isEqualTo(1);
    assertThat(page.path("data").path("pagination").path("has_next").asBoolean()).isFalse();
    assertThat(
            call(HttpMethod.GET, "/api/containers?status=stopped", null, token, 200)
                .path("data")
                .path("pagination")
                .path("total")
                .asLong())
        .isZero();

    JsonNode changed =
        call(
            HttpMethod.PUT,
            "/api/containers/" + id,
            """
            {"config": {"environment": {"ENV": "staging", "DEBUG": "true"}, "memory_limit": "1GB"},
             "update_policy": {"schedule": "0 3 * * *"}}
            """,
            token,
            200);
    assertThat(changed.path("message").asString()).isEqualTo("Container updated successfully");
    JsonNode after = call(HttpMethod.GET, "/api/containers/" + id, null, token, 200).path("data");
    assertThat(after.path("config").path("environment").path("DEBUG").asString()).isEqualTo("true");
    assertThat(after.path("config").path("memory_limit").asString()).isEqualTo("1GB");
    assertThat(after.path("config").path("ports")).hasSize(1);
    assertThat(after.path("update_policy").path("schedule").asString()).isEqualTo("0 3 * * *");
    assertThat(after.path("update_policy").path("policy").asString()).isEqualTo("auto");

    JsonNode stopped =
        call(
            HttpMethod.POST,
            "/api/containers/" + id + "/stop",
            "{\"force\": false, \"timeout\": 2}",
            token,
            200);
    assertThat(stopped.path("message").asString()).isEqualTo("Container stopped successfully");
    assertThat(stopped.path("data").path("status").asString()).isEqualTo("stopped");
    assertThat(stopped.path("data").path("action_id").asString()).isNotBlank();
    assertThat(
            call(HttpMethod.GET, "/api/containers/" + id, null, token, 200)
                .path("data")
                .path("status")
                .asString())
        .isEqualTo("stopped");
    JsonNode started = call(HttpMethod.POST, "/api/containers/" + id + "/start", null, token, 200);
    assertThat(started.path("data").path("status").asString()).isEqualTo("running");
    JsonNode restarted =
        call(HttpMethod.POST, "/api/containers/" + id + "/restart", "{\"timeout\": 2}", token, 200);
    assertThat(restarted.path("data").path("status").asString()).isEqualTo("running");

    await().atMost(Duration.ofSeconds(20)).until(() -> httpGet(hostPort, "/version").equals("v1"));
    JsonNode logs =
        call(HttpMethod.GET, "/api/containers/" + id + "/logs?lines=50", null, token, 200);
    assertThat(logs.path("data").path("logs").size()).isPositive();
    JsonNode line = logs.path("data").path("logs").get(0);
    assertThat(line.path("timestamp").asString()).isNotBlank();
    assertThat(line.path("source").asString()).isIn("stdout", "stderr");
    assertThat(logs.path("data").path("meta").path("total_lines").asInt())
        .isEqualTo(logs.path("data").path("logs").size());

    JsonNode stats = call(HttpMethod.GET, "/api/containers/" + id + "/stats", null, token, 200);
    assertThat(stats.path("data").path("current").path("memory_usage").asString()).endsWith("B");
    assertThat(stats.path("data").path("current").has("cpu_usage")).isTrue();

    call(HttpMethod.DELETE, "/api/containers/" + id, null, token, 200);
    call(HttpMethod.GET, "/api/containers/" + id, null, token, 404);
    assertThat(TestEngine.podman("ps", "-aq", "--filter", "label=dev.cumulus.tenant=" + tenant))
        .isBlank();
  }

  @Test
  void followedLogsStreamAsServerSentEvents() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("logs");
    TestEngine.pushWebImage(repository, "latest", "v1", true);
    int hostPort = FreePorts.next();
    long id =
        create(seedContainer("streamer", repository + ":latest", hostPort), 201)
            .path("data")
            .path("id")
            .asLong();
    List<String> lines = new ArrayList<>();
    var stream =
        http.get()
            .uri("/api/containers/" + id + "/logs?follow=true&lines=5")
            .header("Authorization", "Bearer " + token)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(String.class)
            .getResponseBody()
            .doOnNext(lines::add)
            .take(Duration.ofSeconds(15))
            .filter(l -> l.contains("response:200"))
            .next()
            .subscribe();
    // Requests made after the stream opened arrive on it (busybox httpd -v logs each response).
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              httpGet(hostPort, "/version");
              return lines.stream().anyMatch(l -> l.contains("response:200"));
            });
    stream.dispose();
  }

  @Test
  void tenantsNeverSeeEachOthersContainers() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("iso");
    TestEngine.pushWebImage(repository, "latest", "v1", true);
    long id =
        create(seedContainer("private", repository + ":latest", 0), 201)
            .path("data")
            .path("id")
            .asLong();
    String other = token("t-" + UUID.randomUUID(), WRITER, "admin");
    for (String path : List.of("", "/logs", "/stats")) {
      JsonNode hidden = call(HttpMethod.GET, "/api/containers/" + id + path, null, other, 404);
      assertThat(hidden.path("error").path("code").asString()).isEqualTo("RESOURCE_NOT_FOUND");
    }
    call(HttpMethod.POST, "/api/containers/" + id + "/stop", null, other, 404);
    call(HttpMethod.POST, "/api/containers/" + id + "/update", "{}", other, 404);
    call(HttpMethod.PUT, "/api/containers/" + id, "{\"config\":{}}", other, 404);
    call(HttpMethod.DELETE, "/api/containers/" + id, null, other, 404);
    assertThat(
            call(HttpMethod.GET, "/api/containers", null, other, 200)
                .path("data")
                .path("pagination")
                .path("total")
                .asLong())
        .isZero();
    assertThat(call(HttpMethod.GET, "/api/images", null, other, 200).path("data").path("items"))
        .isEmpty();
    // Still running for its owner, and labelled with its tenant on the engine.
    assertThat(
            call(HttpMethod.GET, "/api/containers/" + id, null, token, 200)
                .path("data")
                .path("status")
                .asString())
        .isEqualTo("running");
    assertThat(TestEngine.podman("ps", "-q", "--filter", "label=dev.cumulus.tenant=" + tenant))
        .isNotBlank();
  }

  @Test
  void permissionsOfTheSeedsUsersAreEnforced() {
    String viewer = token(tenant, List.of("container:read", "image:read", "update:read"));
    JsonNode refused = create(viewer, seedContainer("nope", "busybox:latest", 0), 403);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("INSUFFICIENT_PERMISSIONS");
    call(HttpMethod.POST, "/api/updates/schedule", "{\"container_ids\":[1]}", viewer, 403);
    call(HttpMethod.GET, "/api/containers", null, viewer, 200);
    String nobody = token(tenant, List.of());
    call(HttpMethod.GET, "/api/containers", null, nobody, 403);
    // A tenant administrator holds every permission.
    call(HttpMethod.GET, "/api/updates", null, token(tenant, List.of(), "admin"), 200);
    call(HttpMethod.GET, "/api/containers", null, null, 401);
  }

  @Test
  void badInputGetsTheSeedsErrorCodes() {
    JsonNode cron =
        create(
            """
            {"name": "bad-cron", "image": "127.0.0.1:5000/x/y:latest",
             "update_policy": {"policy": "auto", "schedule": "every night"}}
            """,
            422);
    assertThat(cron.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
    assertThat(cron.path("error").path("fields").has("update_policy.schedule")).isTrue();
    JsonNode noImage = create("{\"name\": \"no-image\"}", 422);
    assertThat(noImage.path("error").path("fields").has("image")).isTrue();
    JsonNode badName = create("{\"name\": \"-bad name\", \"image\": \"busybox\"}", 422);
    assertThat(badName.path("error").path("fields").has("name")).isTrue();
    JsonNode badPort =
        create(
            "{\"name\": \"p\", \"image\": \"busybox\", \"config\": {\"ports\": [{\"container\": 0}]}}",
            422);
    assertThat(badPort.path("error").path("fields").has("config.ports")).isTrue();
    JsonNode malformed = create("{\"name\": ", 400);
    assertThat(malformed.path("error").path("code").asString()).isEqualTo("INVALID_REQUEST");
    call(HttpMethod.GET, "/api/containers?limit=500", null, token, 400);
    call(HttpMethod.GET, "/api/containers?sort_by=password", null, token, 400);
    call(HttpMethod.GET, "/api/containers/999999999", null, token, 404);

    TestEngine.assumeAvailable();
    JsonNode unknown =
        create(seedContainer("ghost", TestEngine.newRepository("missing") + ":latest", 0), 400);
    assertThat(unknown.path("error").path("code").asString()).isEqualTo("DOCKER_ERROR");
    assertThat(unknown.path("error").path("fields").has("image")).isTrue();
    // The engine's own words, not docker-java's NullPointerException on podman's progress items.
    assertThat(unknown.path("error").path("details").asString())
        .contains("unknown")
        .doesNotContain("getStatus()");
    assertThat(
            call(HttpMethod.GET, "/api/containers?name=ghost", null, token, 200)
                .path("data")
                .path("pagination")
                .path("total")
                .asLong())
        .isZero();

    String repository = TestEngine.newRepository("ports");
    TestEngine.pushWebImage(repository, "latest", "v1", true);
    int taken = FreePorts.next();
    create(seedContainer("first", repository + ":latest", taken), 201);
    JsonNode conflict = create(seedContainer("second", repository + ":latest", taken), 409);
    assertThat(conflict.path("error").path("code").asString()).isEqualTo("DOCKER_ERROR");
    assertThat(conflict.path("error").path("details").asString()).contains("port");
    JsonNode duplicate = create(seedContainer("first", repository + ":latest", 0), 409);
    assertThat(duplicate.path("message").asString()).contains("already exists");
  }

  // --- images ------------------------------------------------------------------------------------

  @Test
  void imagesAndCheckUpdatesAsTheSeedShows() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("img");
    String v1 = TestEngine.pushWebImage(repository, "latest", "v1", true);
    create(seedContainer("api-server", repository + ":latest", 0), 201);
    create(seedContainer("web-server", repository + ":latest", 0), 201);

    JsonNode images = call(HttpMethod.GET, "/api/images", null, token, 200).path("data");
    assertThat(images.path("items")).hasSize(1);
    JsonNode image = images.path("items").get(0);
    assertThat(image.path("id").asString()).isEqualTo(repository + ":latest");
    assertThat(image.path("registry").asString()).isEqualTo(TestEngine.REGISTRY);
    assertThat(image.path("tag").asString()).isEqualTo("latest");
    assertThat(image.path("digest").asString()).isEqualTo(v1);
    assertThat(image.path("used_by").toString()).contains("api-server", "web-server");
    assertThat(image.path("size").asString()).endsWith("B");

    String body =
        "{\"images\": [\""
            + repository
            + ":latest\", \""
            + TestEngine.newRepository("none")
            + ":7\"]}";
    JsonNode same = call(HttpMethod.POST, "/api/images/check-updates", body, token, 200);
    JsonNode first = same.path("data").path("updates").get(0);
    assertThat(first.path("current_digest").asString()).isEqualTo(v1);
    assertThat(first.path("latest_digest").asString()).isEqualTo(v1);
    assertThat(first.path("update_available").asBoolean()).isFalse();
    JsonNode missing = same.path("data").path("updates").get(1);
    assertThat(missing.path("update_available").asBoolean()).isFalse();
    assertThat(missing.path("error").asString()).contains("not found");

    String v2 = TestEngine.pushWebImage(repository, "latest", "v2", true);
    JsonNode newer = call(HttpMethod.POST, "/api/images/check-updates", body, token, 200);
    JsonNode update = newer.path("data").path("updates").get(0);
    assertThat(update.path("latest_digest").asString()).isEqualTo(v2);
    assertThat(update.path("update_available").asBoolean()).isTrue();
    JsonNode flagged =
        call(HttpMethod.GET, "/api/containers?has_update=true", null, token, 200).path("data");
    assertThat(flagged.path("pagination").path("total").asLong()).isEqualTo(2);
    assertThat(flagged.path("items").get(0).path("latest_version").asString()).endsWith(v2);
  }
}
