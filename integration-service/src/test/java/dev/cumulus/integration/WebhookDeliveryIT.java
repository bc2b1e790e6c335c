package dev.cumulus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.integration.WebhookReceiver.Answer;
import dev.cumulus.integration.WebhookReceiver.Received;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Outbound webhooks end to end on real Kafka and PostgreSQL, against a local receiver that fails on
 * purpose: platform events published as the other services publish them arrive signed (verified
 * with the Standard Webhooks algorithm and seed 000's snippet), failures are retried on the
 * (compressed) schedule with the same webhook-id, 410 and persistent failure disable the endpoint,
 * and the SSRF guard refuses private targets at registration and on redirects.
 */
class WebhookDeliveryIT extends IntegrationServiceIT {

  static final WebhookReceiver receiver = WebhookReceiver.start();

  @Autowired DatabaseClient db;

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void aStorageUploadArrivesSignedWithItsAttemptLogged() {
    String path = "/hooks/" + UUID.randomUUID();
    JsonNode endpoint = register(path, List.of("object.*"));
    String secret = endpoint.path("secret").asString();
    assertThat(secret).startsWith("whsec_");

    // Not matching the filter: never delivered. Then the upload, as storage-service reports it.
    IntegrationTestSupport.publish("storage", tenant, "bucket", "created", Map.of("bucket", "b"));
    IntegrationTestSupport.publish(
        "storage", tenant, "object", "created", upload("photos/cat.jpg"));

    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 1);
    Received delivery = receiver.at(path).getFirst();
    assertThat(StandardWebhooks.verify(secret, delivery)).isTrue();
    assertThat(StandardWebhooks.verifySeed(secret, delivery)).isTrue();
    assertThat(StandardWebhooks.verify(WebhookSignatureFixtures.otherSecret(), delivery)).isFalse();
    assertThat(delivery.header("webhook-id")).startsWith("msg_");
    JsonNode body = IntegrationTestSupport.JSON.readTree(delivery.body());
    assertThat(body.path("event").asString()).isEqualTo("object.created");
    assertThat(body.path("eventType").asString()).isEqualTo("object.created");
    assertThat(body.path("tenantId").asString()).isEqualTo(tenant);
    assertThat(body.path("timestamp").asString()).endsWith("Z");
    assertThat(body.path("data").path("key").asString()).isEqualTo("photos/cat.jpg");

    JsonNode attempts = attempts(endpoint);
    assertThat(attempts.size()).isEqualTo(1);
    assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(200);
    assertThat(attempts.get(0).path("messageId").asString())
        .isEqualTo(delivery.header("webhook-id"));
    assertThat(attempts.get(0).path("eventType").asString()).isEqualTo("object.created");
    assertThat(attempts.get(0).path("responseExcerpt").asString()).isEqualTo("answer 200");
    assertThat(receiver.at(path)).hasSize(1);
  }

  /**
   * The database away for longer than the Kafka container's default ten immediate attempts: the
   * poll is tried again with back-off until the database is back, and its event is delivered (it
   * used to be skipped).
   */
  @Test
  void anEventWaitsOutADatabaseOutageInsteadOfBeingSkipped() {
    String path = "/hooks/" + UUID.randomUUID();
    register(path, List.of("object.*"));
    db.sql("ALTER TABLE webhook_messages RENAME TO webhook_messages_away").then().block();
    try {
      IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("outage.txt"));
      // 100 ms growing to 400 ms between attempts: well over ten attempts in these 4 s
      await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
      assertThat(receiver.at(path)).isEmpty();
    } finally {
      db.sql("ALTER TABLE webhook_messages_away RENAME TO webhook_messages").then().block();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at(path).size() == 1);
    assertThat(receiver.at(path).getFirst().body()).contains("outage.txt");
  }

  @Test
  void failuresAreRetriedWithBackOffAndTheSameWebhookId() {
    String path = "/hooks/" + UUID.randomUUID();
    receiver.script(path, Answer.of(500), Answer.of(500), Answer.of(200));
    JsonNode endpoint = register(path, List.of("*"));

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("a.txt"));

    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 3);
    List<Received> tries = receiver.at(path);
    assertThat(tries)
        .extracting(r -> r.header("webhook-id"))
        .containsOnly(tries.getFirst().header("webhook-id"));
    for (int i = 1; i < tries.size(); i++) {
      // 200 ms back-off, jitter at most 20 %
      assertThat(Duration.between(tries.get(i - 1).at(), tries.get(i).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts(endpoint).size() == 3);
    JsonNode attempts = attempts(endpoint);
    assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(200);
    assertThat(attempts.get(0).path("attempt").asInt()).isEqualTo(3);
    assertThat(attempts.get(2).path("statusCode").asInt()).isEqualTo(500);
    assertThat(attempts.get(2).path("attempt").asInt()).isEqualTo(1);
    assertThat(get(endpoint).path("enabled").asBoolean()).isTrue();
  }

  @Test
  void retryAfterIsHonoured() {
    String path = "/hooks/" + UUID.randomUUID();
    receiver.script(path, new Answer(503, Map.of("Retry-After", "2"), "busy"), Answer.of(204));
    register(path, List.of("object.created"));

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("b.txt"));

    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 2);
    List<Received> tries = receiver.at(path);
    assertThat(Duration.between(tries.get(0).at(), tries.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void goneDisablesTheEndpoint() {
    String path = "/hooks/" + UUID.randomUUID();
    receiver.script(path, Answer.of(410));
    JsonNode endpoint = register(path, List.of("*"));

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("c.txt"));

    await().atMost(Duration.ofSeconds(60)).until(() -> !get(endpoint).path("enabled").asBoolean());
    assertThat(get(endpoint).path("disabledReason").asString()).contains("410");
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("d.txt"));
    String other = "/hooks/" + UUID.randomUUID();
    register(other, List.of("*"));
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("e.txt"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> receiver.at(other).stream().anyMatch(r -> r.body().contains("e.txt")));
    assertThat(receiver.at(path)).hasSize(1);
  }

  @Test
  void anEndpointFailingForLongerThanTheLimitIsDisabledAndAnnounced() {
    String path = "/hooks/" + UUID.randomUUID();
    receiver.script(path, Answer.of(500));
    try (KafkaConsumer<String, byte[]> events = TestClients.kafkaConsumer("cumulus.integration")) {
      JsonNode endpoint = register(path, List.of("*"));
      IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("f.txt"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !get(endpoint).path("enabled").asBoolean());
      assertThat(get(endpoint).path("disabledReason").asString())
          .startsWith("Every delivery failed since");
      assertThat(receiver.at(path).size()).isGreaterThan(1);
      // ... and the tenant is told, in-app
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  call("GET", "/api/notifications?type=webhook_disabled", null, 200)
                          .path("data")
                          .path("items")
                          .size()
                      == 1);
      JsonNode notice =
          call("GET", "/api/notifications?type=webhook_disabled", null, 200)
              .path("data")
              .path("items")
              .get(0);
      assertThat(notice.path("level").asString()).isEqualTo("warning");
      assertThat(notice.path("message").asString()).contains(receiver.url(path));

      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                events.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream()
                    .anyMatch(
                        r ->
                            header(r, CloudEventHeaders.TYPE)
                                    .equals("dev.cumulus.integration.webhook-endpoint.disabled.v1")
                                && r.key().equals(endpoint.path("id").asString())
                                && tenant.equals(header(r, CloudEventHeaders.TENANT_ID)));
              });
    }
  }

  @Test
  void replaysOneMessageOrATimeRangeWithTheOriginalIds() {
    String path = "/hooks/" + UUID.randomUUID();
    JsonNode endpoint = register(path, List.of("*"));
    Instant start = Instant.now().minusSeconds(1);
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("g1"));
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("g2"));
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 2);
    String first = receiver.at(path).getFirst().header("webhook-id");

    JsonNode one =
        call(
            "POST",
            "/api/webhooks/" + endpoint.path("id").asString() + "/replay",
            Map.of("messageId", first),
            202);
    assertThat(one.path("replayed").asInt()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at(path).size() == 3);
    assertThat(receiver.at(path).get(2).header("webhook-id")).isEqualTo(first);

    JsonNode range =
        call(
            "POST",
            "/api/webhooks/" + endpoint.path("id").asString() + "/replay",
            Map.of("since", start.toString(), "until", Instant.now().plusSeconds(1).toString()),
            202);
    assertThat(range.path("replayed").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at(path).size() == 5);

    call(
        "POST",
        "/api/webhooks/" + endpoint.path("id").asString() + "/replay",
        Map.of("messageId", "msg_unknown"),
        404);
  }

  /**
   * What a node killed with {@code kill -9} mid-delivery leaves behind: the delivery claimed (in
   * flight, attempt 1, its lease running). Nobody sends it during the lease; afterwards another
   * worker does, once, with the same webhook-id.
   */
  @Test
  void aDeliveryClaimedByACrashedNodeGoesOutAfterItsLeaseWithTheSameId() {
    String path = "/hooks/" + UUID.randomUUID();
    JsonNode endpoint = register(path, List.of("*"));
    String messageId = "msg_crash" + UUID.randomUUID().toString().replace("-", "");
    db.sql(
            "INSERT INTO webhook_messages (id, tenant_id, event_id, event_type, payload)"
                + " VALUES (:id, :t, :e, 'object.created', '{\"event\":\"object.created\"}')")
        .bind("id", messageId)
        .bind("t", tenant)
        .bind("e", UUID.randomUUID().toString())
        .then()
        .block();
    Instant claimed = Instant.now();
    db.sql(
            "INSERT INTO webhook_deliveries (id, message_id, endpoint_id, attempts, in_flight,"
                + " next_attempt_at) VALUES (:id, :m, :e, 1, true, now() + interval '3 seconds')")
        .bind("id", UUID.randomUUID())
        .bind("m", messageId)
        .bind("e", UUID.fromString(endpoint.path("id").asString()))
        .then()
        .block();

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at(path).size() == 1);
    Received delivery = receiver.at(path).getFirst();
    assertThat(Duration.between(claimed, delivery.at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    assertThat(delivery.header("webhook-id")).isEqualTo(messageId);
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts(endpoint).size() == 1);
    assertThat(attempts(endpoint).get(0).path("attempt").asInt()).isEqualTo(2);
    assertThat(receiver.at(path)).hasSize(1);
  }

  @Test
  void privateLoopbackAndMetadataTargetsAreRefused() {
    for (String url :
        List.of(
            "http://127.0.0.1:8080/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:8080/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://10.0.0.5/hook",
            "http://localhost:8080/hook",
            "http://loopback.ssrf.test/hook",
            "http://private.ssrf.test/hook",
            "http://metadata.ssrf.test/hook",
            "http://mixed.ssrf.test/hook",
            "ftp://example.com/hook",
            "file:///etc/passwd")) {
      JsonNode refused =
          call("POST", "/api/webhooks", Map.of("url", url, "events", List.of("*")), 400);
      assertThat(refused.path("error").path("message").asString()).as(url).isNotBlank();
    }
    assertThat(call("GET", "/api/webhooks", null, 200).path("count").asInt()).isZero();
  }

  @Test
  void redirectsToPrivateAddressesAreRefusedAndAllowedNamesResolve() {
    String redirecting = "/hooks/" + UUID.randomUUID();
    receiver.script(
        redirecting,
        new Answer(307, Map.of("Location", "http://metadata.ssrf.test/latest/meta-data/"), ""));
    JsonNode endpoint = register(redirecting, List.of("*"));
    String named = "/hooks/" + UUID.randomUUID();
    JsonNode byName =
        call(
            "POST",
            "/api/webhooks",
            Map.of(
                "url",
                "http://receiver.ssrf.test:" + receiver.port() + named,
                "events",
                List.of("*")),
            201);

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("h.txt"));

    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(named).size() == 1);
    assertThat(
            StandardWebhooks.verify(
                byName.path("secret").asString(), receiver.at(named).getFirst()))
        .isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> !attempts(endpoint).isEmpty());
    JsonNode attempt = attempts(endpoint).get(0);
    assertThat(attempt.path("error").asString()).contains("refused").contains("169.254.169.254");
  }

  /**
   * Nine endpoints answering in 2.5 s, each with a backlog: more than the old shared 64 slots could
   * hold at 8 per endpoint. The fast endpoint gets every event within 2 s of its publication, so
   * none of its deliveries waited for a slow endpoint's slot or connection, and no slow endpoint
   * had more than its 8 deliveries in flight at once.
   */
  @Test
  void slowEndpointsDoNotDelayTheOthers() throws Exception {
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      slow.add("/hooks/slow-" + UUID.randomUUID());
      receiver.script(slow.getLast(), new Answer(0, Map.of(), "2500"));
      register(slow.getLast(), List.of("object.*"));
    }
    String fast = "/hooks/fast-" + UUID.randomUUID();
    register(fast, List.of("object.*"));

    Map<String, Instant> published = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      published.put("s" + i, Instant.now());
      IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("s" + i));
      Thread.sleep(100);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(fast).size() == 20);
    for (Received delivery : receiver.at(fast)) {
      String key =
          IntegrationTestSupport.JSON.readTree(delivery.body()).path("data").path("key").asString();
      assertThat(Duration.between(published.get(key), delivery.at()))
          .as("delivery of %s to the fast endpoint", key)
          .isLessThan(Duration.ofSeconds(2));
    }
    for (String path : slow) {
      assertThat(receiver.mostConcurrent(path)).as("in flight at %s", path).isBetween(2, 8);
    }
  }

  @Test
  void orderedEndpointsGetOneMessageAtATimeInOrder() {
    String path = "/hooks/" + UUID.randomUUID();
    receiver.script(path, Answer.of(500), Answer.of(200));
    call(
        "POST",
        "/api/webhooks",
        Map.of("url", receiver.url(path), "events", List.of("*"), "ordered", true),
        201);
    for (int i = 0; i < 3; i++) {
      IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("o" + i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 4);
    List<String> keys =
        receiver.at(path).stream()
            .map(
                r ->
                    IntegrationTestSupport.JSON
                        .readTree(r.body())
                        .path("data")
                        .path("key")
                        .asString())
            .toList();
    assertThat(keys).containsExactly("o0", "o0", "o1", "o2");
  }

  @Test
  void rotationSignsWithBothSecretsDuringTheOverlap() {
    String path = "/hooks/" + UUID.randomUUID();
    JsonNode endpoint = register(path, List.of("*"));
    String old = endpoint.path("secret").asString();
    JsonNode rotated =
        call(
            "POST",
            "/api/webhooks/" + endpoint.path("id").asString() + "/rotate-secret",
            Map.of("overlapSeconds", 3600),
            200);
    String fresh = rotated.path("secret").asString();
    assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("r.txt"));
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 1);
    Received delivery = receiver.at(path).getFirst();
    assertThat(delivery.header("webhook-signature").split(" ")).hasSize(2);
    assertThat(StandardWebhooks.verify(fresh, delivery)).isTrue();
    assertThat(StandardWebhooks.verify(old, delivery)).isTrue();
    assertThat(StandardWebhooks.verifySeed(fresh, delivery)).isTrue();
  }

  @Test
  void tenantsNeverSeeEachOthersEndpointsOrEvents() {
    String path = "/hooks/" + UUID.randomUUID();
    JsonNode mine = register(path, List.of("*"));
    String otherToken = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    String id = mine.path("id").asString();

    for (String method : List.of("GET", "DELETE")) {
      http.method(org.springframework.http.HttpMethod.valueOf(method))
          .uri("/api/webhooks/" + id)
          .header("Authorization", "Bearer " + otherToken)
          .exchange()
          .expectStatus()
          .isNotFound();
    }
    http.get()
        .uri("/api/webhooks/" + id + "/attempts")
        .header("Authorization", "Bearer " + otherToken)
        .exchange()
        .expectStatus()
        .isNotFound();
    http.get()
        .uri("/api/webhooks")
        .header("Authorization", "Bearer " + otherToken)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.count")
        .isEqualTo(0);
    http.get().uri("/api/webhooks").exchange().expectStatus().isUnauthorized();

    // Another tenant's event never reaches this tenant's endpoint.
    IntegrationTestSupport.publish(
        "storage", "t-" + UUID.randomUUID(), "object", "created", upload("x"));
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("mine"));
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 1);
    assertThat(receiver.at(path).getFirst().body()).contains("\"mine\"");
  }

  @Test
  void customHeadersGoWithEveryDeliveryAndUnsafeOnesAreRefused() {
    String path = "/custom/" + UUID.randomUUID();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", receiver.url(path));
    body.put("events", List.of("object.*"));
    body.put("headers", Map.of("Authorization", "Bearer receiver-token", "X-Team", "billing"));
    JsonNode endpoint = call("POST", "/api/webhooks", body, 201);
    assertThat(endpoint.path("headers").path("X-Team").asString()).isEqualTo("billing");
    String secret = endpoint.path("secret").asString();

    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("h1.txt"));
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 1);
    Received first = receiver.at(path).getFirst();
    assertThat(first.header("Authorization")).isEqualTo("Bearer receiver-token");
    assertThat(first.header("X-Team")).isEqualTo("billing");
    assertThat(StandardWebhooks.verify(secret, first)).isTrue();

    // Changed headers apply to the next delivery.
    String id = endpoint.path("id").asString();
    JsonNode changed =
        call("PATCH", "/api/webhooks/" + id, Map.of("headers", Map.of("X-Team", "ops")), 200);
    assertThat(changed.path("headers").has("Authorization")).isFalse();
    IntegrationTestSupport.publish("storage", tenant, "object", "created", upload("h2.txt"));
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 2);
    Received second = receiver.at(path).get(1);
    assertThat(second.header("X-Team")).isEqualTo("ops");
    assertThat(second.header("Authorization")).isNull();

    // Hop-by-hop, the signature headers and header injection are refused, in the envelope.
    for (Map<String, String> refused :
        List.of(
            Map.of("Connection", "close"),
            Map.of("Transfer-Encoding", "chunked"),
            Map.of("webhook-signature", "v1,forged"),
            Map.of("X-Signature", "sha256=00"),
            Map.of("X-Evil", "a\r\nX-Injected: 1"))) {
      Map<String, Object> bad = new LinkedHashMap<>();
      bad.put("url", receiver.url(path));
      bad.put("headers", refused);
      JsonNode error = call("POST", "/api/webhooks", bad, 400);
      assertThat(error.path("error").path("message").asString()).startsWith("headers:");
      call("PATCH", "/api/webhooks/" + id, Map.of("headers", refused), 400);
    }
    assertThat(get(endpoint).path("headers").path("X-Team").asString()).isEqualTo("ops");
  }

  @Test
  void badInputAnswersInTheEnvelope() {
    call("POST", "/api/webhooks", Map.of("events", List.of("*")), 400);
    call(
        "POST",
        "/api/webhooks",
        Map.of("url", receiver.url("/x"), "events", List.of("Bad Pattern!")),
        400);
    call("POST", "/api/webhooks", Map.of("url", receiver.url("/x"), "secret", "plain"), 400);
    call("GET", "/api/webhooks/not-a-uuid", null, 404);
    JsonNode endpoint = register("/x", List.of("*"));
    call("GET", "/api/webhooks/" + endpoint.path("id").asString() + "/attempts?limit=0", null, 400);
    // seed 001's path serves the same endpoints
    JsonNode v1 =
        call(
            "POST",
            "/v1/webhooks",
            Map.of("url", receiver.url("/v1"), "events", List.of("function.created")),
            201);
    assertThat(v1.path("events").get(0).asString()).isEqualTo("function.created");
  }

  private JsonNode register(String path, List<String> events) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", receiver.url(path));
    body.put("events", events);
    body.put("description", "test receiver");
    JsonNode created = call("POST", "/api/webhooks", body, 201);
    assertThat(created.path("id").asString()).isNotBlank();
    assertThat(created.path("enabled").asBoolean()).isTrue();
    return created;
  }

  private JsonNode get(JsonNode endpoint) {
    return call("GET", "/api/webhooks/" + endpoint.path("id").asString(), null, 200);
  }

  private JsonNode attempts(JsonNode endpoint) {
    return call("GET", "/api/webhooks/" + endpoint.path("id").asString() + "/attempts", null, 200)
        .path("attempts");
  }

  private Map<String, Object> upload(String key) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenant);
    data.put("serviceId", "svc-1");
    data.put("bucket", "photos");
    data.put("key", key);
    data.put("size", 12);
    data.put("etag", "\"9a0364b9e99bb480dd25e1f0284c8555\"");
    data.put("contentType", "image/jpeg");
    return data;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
