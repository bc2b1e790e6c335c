package dev.cumulus.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The issue's story on real podman and a real registry: v1 runs through the API, v2 is pushed,
 * check-updates sees it, a scheduled rolling update moves to v2, a broken v3 fails its health check
 * and is rolled back to v2, with events on Kafka that a WebSocket subscriber receives; then a
 * one-click rollback to v1. Also recreate with approve-before-update, seed 002's batch schedule
 * with hooks, and the lease that runs each update on one instance only.
 */
class UpdateFlowIT extends UpdaterIntegrationTest {

  @Autowired UpdateRepository updates;

  @Test
  void healthGatedRollingUpdatesAndRollbackLiveOnTheWebSocket() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("flow");
    String v1 = TestEngine.pushWebImage(repository, "latest", "v1", true);
    long id = createManaged("web-server", repository, "auto", "rolling", 0);
    assertThat(digest(id)).isEqualTo(v1);

    Queue<JsonNode> live = new ConcurrentLinkedQueue<>();
    Disposable socket = subscribe(token, live, id);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> live.stream().anyMatch(m -> type(m).equals("subscribed")));

      // v2 pushed: check-updates sees it, then the schedule (every second) rolls it out.
      String v2 = TestEngine.pushWebImage(repository, "latest", "v2", true);
      JsonNode check =
          call(
              HttpMethod.POST,
              "/api/images/check-updates",
              "{\"images\": [\"" + repository + ":latest\"]}",
              token,
              200);
      assertThat(check.path("data").path("updates").get(0).path("update_available").asBoolean())
          .isTrue();
      Instant scheduled = Instant.now();
      schedule(id, "* * * * * *");
      await().atMost(Duration.ofSeconds(60)).until(() -> v2.equals(digest(id)));
      Duration rollout = Duration.between(scheduled, Instant.now());
      assertThat(served(id)).isEqualTo("v2");
      JsonNode done = latestUpdate(id);
      assertThat(done.path("status").asString()).isEqualTo("completed");
      assertThat(done.path("strategy").asString()).isEqualTo("rolling");
      assertThat(done.path("from_digest").asString()).isEqualTo(v1);
      assertThat(done.path("to_digest").asString()).isEqualTo(v2);
      assertThat(done.path("success").asBoolean()).isTrue();
      System.out.printf(
          "rolling update v1 -> v2 took %d ms after the schedule was set%n", rollout.toMillis());

      // Broken v3: fails its health check, the v2 container keeps serving.
      String v3 = TestEngine.pushWebImage(repository, "latest", "v3-broken", false);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> latestUpdate(id).path("status").asString().equals("rolled_back"));
      JsonNode rolled = latestUpdate(id);
      assertThat(rolled.path("to_digest").asString()).isEqualTo(v3);
      assertThat(rolled.path("rollback").asBoolean()).isTrue();
      assertThat(rolled.path("logs").toString()).contains("Health check failed");
      assertThat(digest(id)).isEqualTo(v2);
      assertThat(served(id)).isEqualTo("v2");
      JsonNode container = call(HttpMethod.GET, "/api/containers/" + id, null, token, 200);
      assertThat(container.path("data").path("status").asString()).isEqualTo("running");
      assertThat(container.path("data").path("update_history").size()).isGreaterThanOrEqualTo(2);

      // Events: in the outbox (for notifications and webhooks) and live on the WebSocket.
      assertThat(eventTypes(id))
          .contains(
              "dev.cumulus.updater.update.started.v1",
              "dev.cumulus.updater.update.succeeded.v1",
              "dev.cumulus.updater.update.failed.v1",
              "dev.cumulus.updater.update.rolled-back.v1",
              "dev.cumulus.updater.container.state.v1");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> live.stream().anyMatch(m -> type(m).equals("container_update_rolled_back")));
      List<String> seen = live.stream().map(UpdateFlowIT::type).toList();
      assertThat(seen)
          .contains(
              "container_update_started", "container_update_completed", "container_status_changed");
      assertThat(
              live.stream()
                  .filter(m -> type(m).equals("container_update_completed"))
                  .map(m -> m.path("data").path("success").asBoolean())
                  .toList())
          .contains(true, false);
      JsonNode started =
          live.stream()
              .filter(m -> type(m).equals("container_update_started"))
              .findFirst()
              .orElseThrow();
      assertThat(started.path("data").path("container_id").asLong()).isEqualTo(id);
      assertThat(started.path("data").path("strategy").asString()).isEqualTo("rolling");
      assertThat(started.path("timestamp").asString()).isNotBlank();

      // The known-bad digest is not tried again while the schedule keeps running.
      int before = history(id).size();
      schedule(id, "");
      assertThat(history(id)).hasSize(before);

      // One click: back to v1, the digest the first update replaced.
      JsonNode back =
          call(
              HttpMethod.POST,
              "/api/updates/" + done.path("id").asString() + "/rollback",
              null,
              token,
              202);
      assertThat(back.path("data").path("to_image").asString()).isEqualTo(repository + "@" + v1);
      await().atMost(Duration.ofSeconds(60)).until(() -> v1.equals(digest(id)));
      assertThat(served(id)).isEqualTo("v1");
      assertThat(
              call(HttpMethod.GET, "/api/containers/" + id, null, token, 200)
                  .path("data")
                  .path("image")
                  .asString())
          .isEqualTo(repository + ":latest");
    } finally {
      socket.dispose();
    }
  }

  @Test
  void webSocketNeedsAValidTokenAndSeesOnlyItsTenant() {
    var client = new ReactorNettyWebSocketClient();
    URI noToken = URI.create("ws://127.0.0.1:" + port + "/api/ws");
    URI badToken = URI.create("ws://127.0.0.1:" + port + "/api/ws?token=not-a-jwt");
    for (URI uri : List.of(noToken, badToken)) {
      Throwable refused =
          client
              .execute(uri, session -> session.receive().then())
              .timeout(Duration.ofSeconds(10))
              .map(v -> (Throwable) null)
              .onErrorResume(e -> Mono.just(e))
              .block();
      assertThat(refused).isNotNull();
      assertThat(refused.getMessage()).contains("401");
    }
    // The seed's HTTP answer to the same handshake: 401 in the envelope.
    JsonNode body = call(HttpMethod.GET, "/api/ws?token=not-a-jwt", null, null, 401);
    assertThat(body.path("error").path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");

    Queue<JsonNode> mine = new ConcurrentLinkedQueue<>();
    Queue<JsonNode> theirs = new ConcurrentLinkedQueue<>();
    String otherTenant = "t-" + UUID.randomUUID();
    Disposable a = subscribe(token, mine, null);
    Disposable b = subscribe(token(otherTenant, WRITER), theirs, null);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  mine.stream().anyMatch(m -> type(m).equals("subscribed"))
                      && theirs.stream().anyMatch(m -> type(m).equals("subscribed")));
      // A status change of this tenant (a rejected create leaves none, so use the DB-free path:
      // a stop of a container that exists).
      TestEngine.assumeAvailable();
      String repository = TestEngine.newRepository("ws");
      TestEngine.pushWebImage(repository, "latest", "v1", true);
      long id = createManaged("quiet", repository, "manual", "rolling", 0);
      call(HttpMethod.POST, "/api/containers/" + id + "/stop", "{\"timeout\": 1}", token, 200);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  mine.stream()
                      .anyMatch(
                          m ->
                              type(m).equals("container_status_changed")
                                  && m.path("data").path("status").asString().equals("stopped")));
      assertThat(theirs.stream().map(UpdateFlowIT::type))
          .doesNotContain("container_status_changed");
    } finally {
      a.dispose();
      b.dispose();
    }
  }

  @Test
  void recreateWithApprovalAndAManualUpdateThatRollsBack() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("recreate");
    TestEngine.pushWebImage(repository, "latest", "v1", true);
    int hostPort = FreePorts.next();
    long id = createManaged("approved", repository, "approve", "recreate", hostPort);
    assertThat(httpGet(hostPort, "/version")).isEqualTo("v1");

    String v2 = TestEngine.pushWebImage(repository, "latest", "v2", true);
    schedule(id, "* * * * * *");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> latestUpdate(id).path("status").asString().equals("awaiting_approval"));
    schedule(id, "");
    assertThat(httpGet(hostPort, "/version")).isEqualTo("v1");
    String waiting = latestUpdate(id).path("id").asString();
    call(HttpMethod.POST, "/api/updates/" + waiting + "/approve", null, token, 200);
    await().atMost(Duration.ofSeconds(60)).until(() -> v2.equals(digest(id)));
    assertThat(httpGet(hostPort, "/version")).isEqualTo("v2");
    assertThat(latestUpdate(id).path("strategy").asString()).isEqualTo("recreate");

    TestEngine.pushWebImage(repository, "latest", "v3-broken", false);
    Instant asked = Instant.now();
    JsonNode now =
        call(
            HttpMethod.POST,
            "/api/containers/" + id + "/update",
            "{\"strategy\": \"recreate\", \"schedule\": \"immediate\", \"force\": false,"
                + " \"backup\": true, \"options\": {\"health_check_timeout\": 20}}",
            token,
            202);
    assertThat(now.path("message").asString()).isEqualTo("Container update started");
    assertThat(now.path("data").path("status").asString()).isEqualTo("started");
    String updateId = now.path("data").path("update_id").asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                call(HttpMethod.GET, "/api/updates/" + updateId, null, token, 200)
                    .path("data")
                    .path("status")
                    .asString()
                    .equals("rolled_back"));
    System.out.printf(
        "recreate update with a failing health check (3 x 1 s) rolled back in %d ms%n",
        Duration.between(asked, Instant.now()).toMillis());
    assertThat(digest(id)).isEqualTo(v2);
    await().atMost(Duration.ofSeconds(20)).until(() -> httpGet(hostPort, "/version").equals("v2"));
    // A second request while one is open is refused.
    assertThat(
            call(HttpMethod.POST, "/api/updates/" + updateId + "/approve", null, token, 409)
                .path("success")
                .asBoolean())
        .isFalse();
  }

  @Test
  void scheduleUpdatesAsTheSeedShowsWithHooks() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("batch");
    TestEngine.pushWebImage(repository, "latest", "v1", true);
    long a = createManaged("batch-a", repository, "manual", "rolling", 0);
    long b = createManaged("batch-b", repository, "manual", "rolling", 0);
    String v2 = TestEngine.pushWebImage(repository, "latest", "v2", true);
    String at =
        Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    JsonNode scheduled =
        call(
            HttpMethod.POST,
            "/api/updates/schedule",
            """
            {
              "container_ids": [%d, %d],
              "strategy": "rolling",
              "scheduled_at": "%s",
              "options": {
                "rollback_on_failure": true,
                "health_check_timeout": 30,
                "pre_update_script": "echo pre > /www/pre",
                "post_update_script": "test -f /www/version"
              }
            }
            """
                .formatted(a, b, at),
            token,
            201);
    assertThat(scheduled.path("message").asString()).isEqualTo("Updates scheduled successfully");
    assertThat(scheduled.path("data").path("scheduled_updates").asInt()).isEqualTo(2);
    assertThat(scheduled.path("data").path("batch_id").asString()).isNotBlank();
    assertThat(scheduled.path("data").path("scheduled_at").asString()).isEqualTo(at);
    JsonNode pending = call(HttpMethod.GET, "/api/updates?status=pending", null, token, 200);
    assertThat(pending.path("data").path("pagination").path("total").asLong()).isEqualTo(2);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> v2.equals(digest(a)) && v2.equals(digest(b)));
    JsonNode history =
        call(HttpMethod.GET, "/api/updates?status=completed&container_id=" + a, null, token, 200);
    JsonNode item = history.path("data").path("items").get(0);
    assertThat(item.path("container_name").asString()).isEqualTo("batch-a");
    assertThat(item.path("duration").asString()).endsWith("s");
    assertThat(item.path("logs").toString())
        .contains("Running pre-update script", "Running post-update script");

    JsonNode bad =
        call(
            HttpMethod.POST,
            "/api/updates/schedule",
            "{\"container_ids\": [999999999], \"scheduled_at\": \"tomorrow\"}",
            token,
            422);
    assertThat(bad.path("error").path("fields").has("scheduled_at")).isTrue();
    call(HttpMethod.POST, "/api/updates/schedule", "{\"container_ids\": [999999999]}", token, 404);
    call(HttpMethod.POST, "/api/updates/schedule", "{\"strategy\": \"blue-green\"}", token, 422);
  }

  @Test
  void eachDueUpdateIsClaimedByExactlyOneInstance() {
    // Rows due tomorrow: this context's own worker (which claims what is due now) leaves them.
    Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Long container =
          db.sql(
                  "INSERT INTO containers (tenant_id, name, image, status, config, update_policy)"
                      + " VALUES (:t, :n, 'x:1', 'running', '{}', '{}') RETURNING id")
              .bind("t", tenant)
              .bind("n", "lease-" + i)
              .map(row -> row.get("id", Long.class))
              .one()
              .block();
      UUID id = UUID.randomUUID();
      db.sql(
              "INSERT INTO updates (id, tenant_id, container_id, container_name, trigger, strategy,"
                  + " status, to_image, options, scheduled_at) VALUES (:id, :t, :c, 'n', 'manual',"
                  + " 'rolling', 'pending', 'x:2', '{}', :at)")
          .bind("id", id)
          .bind("t", tenant)
          .bind("c", container)
          .bind("at", tomorrow)
          .fetch()
          .rowsUpdated()
          .block();
      ids.add(id);
    }
    Instant later = tomorrow.plusSeconds(60);
    var first = updates.claimDue("instance-a", later, Duration.ofMinutes(1), 100).collectList();
    var second = updates.claimDue("instance-b", later, Duration.ofMinutes(1), 100).collectList();
    var both =
        Mono.zip(
                first.subscribeOn(reactor.core.scheduler.Schedulers.parallel()),
                second.subscribeOn(reactor.core.scheduler.Schedulers.parallel()))
            .block();
    Set<UUID> a = new HashSet<>();
    both.getT1().forEach(u -> a.add(u.update().id()));
    Set<UUID> b = new HashSet<>();
    both.getT2().forEach(u -> b.add(u.update().id()));
    Set<UUID> twice = new HashSet<>(a);
    twice.retainAll(b);
    assertThat(twice).isEmpty();
    Set<UUID> all = new HashSet<>(a);
    all.addAll(b);
    assertThat(all).containsAll(ids);
    // A lease that ran out (its instance died) is taken over by another instance.
    Instant expired = later.plus(Duration.ofHours(1));
    var takenOver =
        updates
            .claimDue("instance-c", expired, Duration.ofMinutes(1), 100)
            .map(u -> u.update().id())
            .collectList()
            .block();
    assertThat(takenOver).containsAll(ids);
    db.sql("DELETE FROM containers WHERE tenant_id = :t")
        .bind("t", tenant)
        .fetch()
        .rowsUpdated()
        .block();
  }

  // --- helpers -----------------------------------------------------------------------------------

  List<String> eventTypes(long containerId) {
    return db.sql(
            "SELECT event_type FROM cumulus_outbox WHERE tenant_id = :t AND event_key = :k"
                + " ORDER BY seq")
        .bind("t", tenant)
        .bind("k", Long.toString(containerId))
        .map(row -> row.get("event_type", String.class))
        .all()
        .collectList()
        .block();
  }

  /** A WebSocket client subscribed to every event type (of one container when given). */
  Disposable subscribe(String as, Queue<JsonNode> received, Long containerId) {
    String filter =
        containerId == null ? "" : ", \"filters\": {\"container_ids\": [" + containerId + "]}";
    String subscribe =
        "{\"type\": \"subscribe\", \"data\": {\"events\": [\"container_status_changed\","
            + " \"container_update_started\", \"container_update_completed\","
            + " \"container_update_rolled_back\"]"
            + filter
            + "}}";
    return new ReactorNettyWebSocketClient()
        .execute(
            URI.create("ws://127.0.0.1:" + port + "/api/ws?token=" + as),
            session ->
                session
                    .send(Mono.just(session.textMessage(subscribe)))
                    .thenMany(
                        session
                            .receive()
                            .map(WebSocketMessage::getPayloadAsText)
                            .map(JSON::readTree)
                            .doOnNext(received::add))
                    .then())
        .subscribe(
            done -> {},
            failure ->
                received.add(
                    JSON.createObjectNode()
                        .put("type", "client_error")
                        .put("error", String.valueOf(failure))));
  }

  static String type(JsonNode message) {
    return message.path("type").asString();
  }
}
