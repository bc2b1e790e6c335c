package dev.cumulus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.integration.WebhookReceiver.Answer;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Seed 003's integration and mock endpoints with the seed's exact bodies, headers and {@code
 * {status,message,data,error}} envelope, trailing slashes included: inbound webhooks with signature
 * checks (a bad one stores nothing) turned into platform events, integration health, sync jobs that
 * really copy records (mock sandbox and an external HTTP source, with a retried page), and the
 * per-tenant mock services.
 */
class IntegrationSeedIT extends IntegrationServiceIT {

  static final WebhookReceiver external = WebhookReceiver.start();

  @AfterAll
  static void stopExternal() {
    external.close();
  }

  @Test
  void seedSendWebhookExampleIsReceivedStoredAndPublished() {
    JsonNode source = source("user-service", "http://localhost:8000/api/mock", false);
    assertThat(source.path("secret").asString()).isNotBlank();
    try (KafkaConsumer<String, byte[]> events = TestClients.kafkaConsumer("cumulus.integration")) {
      // Testing example 3, exactly (no token: the receiver is public); the domain is this tenant's
      JsonNode received =
          http.post()
              .uri("/api/integrations/webhooks/user-service/")
              .header("X-Event-Type", "user.created")
              .header("X-Tenant-Domain", tenant)
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue("{\"user_id\": \"123\", \"email\": \"test@example.com\"}")
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(JsonNode.class)
              .returnResult()
              .getResponseBody();
      assertThat(received.path("status").asString()).isEqualTo("success");
      assertThat(received.path("message").asString()).isEqualTo("Webhook received");
      String eventId = received.path("data").path("event_id").asString();
      assertThat(UUID.fromString(eventId)).isNotNull();

      JsonNode listed = call("GET", "/api/integrations/webhook-events/", null, 200);
      assertThat(listed.path("status").asString()).isEqualTo("success");
      assertThat(listed.path("message").asString()).isEqualTo("Success");
      JsonNode event = listed.path("data").path("results").get(0);
      assertThat(event.path("id").asString()).isEqualTo(eventId);
      assertThat(event.path("service").path("name").asString()).isEqualTo("user-service");
      assertThat(event.path("service").path("base_url").asString())
          .isEqualTo("http://localhost:8000/api/mock");
      assertThat(event.path("event_type").asString()).isEqualTo("user.created");
      assertThat(event.path("payload").path("email").asString()).isEqualTo("test@example.com");
      assertThat(event.path("status").asString()).isEqualTo("completed");
      assertThat(event.path("retry_count").asInt()).isZero();
      assertThat(event.path("created_at").asString()).isNotBlank();
      assertThat(event.path("processed_at").asString()).isNotBlank();

      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                events.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream()
                    .anyMatch(
                        r ->
                            "dev.cumulus.integration.inbound-webhook.received.v1".equals(header(r))
                                && new String(r.value(), StandardCharsets.UTF_8).contains(eventId));
              });
    }
  }

  @Test
  void signaturesAreCheckedBeforeAnythingIsStored() {
    JsonNode source = source("billing", "http://localhost:8000/api/mock", true);
    String secret = source.path("secret").asString();
    String body = "{\"invoice\": \"in_1\", \"amount\": 10}";

    JsonNode unsigned = inbound("billing", body, null, 401);
    assertThat(unsigned.path("status").asString()).isEqualTo("failure");
    assertThat(unsigned.path("error").asString()).isNotBlank();
    assertThat(unsigned.path("data").isNull()).isTrue();
    inbound("billing", body, "sha256=" + "0".repeat(64), 401);
    inbound("billing", body, sign("wrong-secret-wrong-secret", body), 401);
    assertThat(
            call("GET", "/api/integrations/webhook-events/", null, 200)
                .path("data")
                .path("results")
                .size())
        .isZero();

    inbound("billing", body, sign(secret, body), 200);
    // the seed marks the header "sha256_signature": a bare hex digest is accepted too
    inbound("billing", body, sign(secret, body).substring("sha256=".length()), 200);
    assertThat(
            call("GET", "/api/integrations/webhook-events/", null, 200)
                .path("data")
                .path("results")
                .size())
        .isEqualTo(2);

    inbound("no-such-service", body, null, 404);
    http.post()
        .uri("/api/integrations/webhooks/billing/")
        .header("X-Event-Type", "x")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void healthChecksEverySource() {
    external.script("/up/health/", Answer.of(200));
    external.script("/down/health/", Answer.of(503));
    source("user-service", "http://localhost:8000/api/mock", false);
    source("crm", external.url("/up"), false);
    source("erp", external.url("/down"), false);

    JsonNode health = call("GET", "/api/integrations/health/", null, 200);
    assertThat(health.path("status").asString()).isEqualTo("success");
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    health
        .path("data")
        .path("results")
        .forEach(r -> byName.put(r.path("service").path("name").asString(), r));
    assertThat(byName).containsOnlyKeys("user-service", "crm", "erp");
    assertThat(byName.get("crm").path("status").asString()).isEqualTo("healthy");
    assertThat(byName.get("crm").path("response_time").isNumber()).isTrue();
    assertThat(byName.get("crm").path("error_message").asString()).isEmpty();
    assertThat(byName.get("crm").path("last_check").asString()).isNotBlank();
    assertThat(byName.get("erp").path("status").asString()).isEqualTo("unhealthy");
    assertThat(byName.get("erp").path("error_message").asString()).contains("503");
    assertThat(byName.get("user-service").path("status").asString()).isEqualTo("healthy");
    // a source on a private address cannot be registered
    call(
        "POST",
        "/api/integrations/services/",
        Map.of("name", "meta", "base_url", "http://169.254.169.254/latest"),
        400);
  }

  @Test
  void everyMockServiceExampleWorks() {
    JsonNode user =
        call(
            "POST",
            "/api/mock/users/",
            Map.of("email", "test@example.com", "name", "Test User", "status", "active"),
            201);
    assertThat(user.path("status").asString()).isEqualTo("success");
    assertThat(user.path("message").asString()).isEqualTo("Success");
    JsonNode data = user.path("data");
    assertThat(UUID.fromString(data.path("id").asString())).isNotNull();
    assertThat(data.path("email").asString()).isEqualTo("test@example.com");
    assertThat(data.path("name").asString()).isEqualTo("Test User");
    assertThat(data.path("status").asString()).isEqualTo("active");
    assertThat(data.path("created_at").asString()).endsWith("Z");

    JsonNode subscription =
        call(
            "POST",
            "/api/mock/subscriptions/",
            Map.of("user_id", "uuid", "plan", "premium", "amount", "29.99", "status", "active"),
            201);
    assertThat(subscription.path("data").path("plan").asString()).isEqualTo("premium");
    assertThat(subscription.path("data").path("amount").asString()).isEqualTo("29.99");
    JsonNode notification =
        call(
            "POST",
            "/api/mock/notifications/",
            Map.of(
                "user_id",
                "uuid",
                "type",
                "email",
                "subject",
                "Welcome!",
                "message",
                "Welcome to our platform"),
            201);
    assertThat(notification.path("data").path("subject").asString()).isEqualTo("Welcome!");

    assertThat(call("GET", "/api/mock/users/", null, 200).path("data").path("results").size())
        .isEqualTo(1);
    assertThat(
            call("GET", "/api/mock/subscriptions", null, 200).path("data").path("results").size())
        .isEqualTo(1);
    assertThat(
            call("GET", "/api/mock/notifications/", null, 200)
                .path("data")
                .path("results")
                .get(0)
                .path("message")
                .asString())
        .isEqualTo("Welcome to our platform");

    JsonNode health = call("GET", "/api/mock/health/", null, 200);
    assertThat(health.path("message").asString()).isEqualTo("System healthy");
    assertThat(health.path("data").path("timestamp").asString()).isNotBlank();
    assertThat(health.path("data").path("services").path("user_service").asString())
        .isEqualTo("operational");
    assertThat(health.path("data").path("services").path("payment_service").asString())
        .isEqualTo("operational");
    assertThat(health.path("data").path("services").path("communication_service").asString())
        .isEqualTo("operational");

    for (String type : List.of("users", "subscriptions", "notifications")) {
      JsonNode page = call("GET", "/api/mock/api/data/" + type + "/", null, 200).path("data");
      assertThat(page.path("records").size()).as(type).isEqualTo(1);
      assertThat(page.path("total").asInt()).isEqualTo(1);
    }
    call("GET", "/api/mock/api/data/orders/", null, 404);

    JsonNode bad = call("POST", "/api/mock/users/", Map.of("name", "No Email"), 400);
    assertThat(bad.path("status").asString()).isEqualTo("failure");
    assertThat(bad.path("error").asString()).contains("email");
    call("POST", "/api/mock/users/", Map.of("email", "nope", "name", "x"), 400);
    call(
        "POST",
        "/api/mock/subscriptions/",
        Map.of("user_id", "u", "plan", "p", "amount", "ten"),
        400);
  }

  @Test
  void syncCopiesTheMockSandboxIdempotently() {
    for (int i = 0; i < 5; i++) {
      call(
          "POST",
          "/api/mock/users/",
          Map.of("email", "u" + i + "@example.com", "name", "User " + i),
          201);
    }
    String serviceId =
        source("user-service", "http://localhost:8000/api/mock", false).path("id").asString();

    JsonNode triggered =
        call(
            "POST",
            "/api/integrations/sync/trigger/",
            Map.of("service_id", serviceId, "sync_type", "users"),
            200);
    assertThat(triggered.path("status").asString()).isEqualTo("success");
    assertThat(triggered.path("message").asString()).isEqualTo("Sync triggered");
    assertThat(triggered.path("data").isNull()).isTrue();

    JsonNode job = awaitJob("completed", 1).get(0);
    assertThat(job.path("service").path("name").asString()).isEqualTo("user-service");
    assertThat(job.path("sync_type").asString()).isEqualTo("users");
    assertThat(job.path("records_synced").asInt()).isEqualTo(5);
    assertThat(job.path("progress").path("fetched").asInt()).isEqualTo(5);
    assertThat(job.path("progress").path("total").asInt()).isEqualTo(5);
    assertThat(job.path("progress").path("percent").asInt()).isEqualTo(100);

    // again: nothing changed, nothing duplicated
    call(
        "POST",
        "/api/integrations/sync/trigger/",
        Map.of("service_id", serviceId, "sync_type", "users"),
        200);
    JsonNode second = awaitJob("completed", 2).get(0);
    assertThat(second.path("records_synced").asInt()).isZero();
    assertThat(second.path("progress").path("fetched").asInt()).isEqualTo(5);

    call(
        "POST",
        "/api/integrations/sync/trigger/",
        Map.of("service_id", serviceId, "sync_type", "orders"),
        400);
    call(
        "POST",
        "/api/integrations/sync/trigger/",
        Map.of("service_id", UUID.randomUUID().toString(), "sync_type", "users"),
        404);
    call("POST", "/api/integrations/sync/trigger/", Map.of("sync_type", "users"), 400);
  }

  @Test
  void syncFromAnExternalSourceRetriesAFailedPageAndResumes() {
    String page1 =
        "{\"status\":\"success\",\"data\":{\"records\":[{\"id\":\"a\",\"n\":1},{\"id\":\"b\",\"n\":2}],\"total\":3}}";
    String page2 =
        "{\"status\":\"success\",\"data\":{\"records\":[{\"id\":\"c\",\"n\":3}],\"total\":3}}";
    String base = "/ext-" + UUID.randomUUID();
    // one path per page: offset is a query parameter, so the script answers page 1, then fails
    // once, then page 2
    external.script(
        base + "/api/data/subscriptions/",
        new Answer(200, Map.of(), page1),
        new Answer(503, Map.of(), "down"),
        new Answer(200, Map.of(), page2));
    String serviceId =
        call(
                "POST",
                "/api/integrations/services/",
                Map.of("name", "billing", "base_url", external.url(base), "api_key", "sk_test_123"),
                201)
            .path("data")
            .path("id")
            .asString();

    call(
        "POST",
        "/api/integrations/sync/trigger/",
        Map.of("service_id", serviceId, "sync_type", "subscriptions"),
        200);

    JsonNode job = awaitJob("completed", 1).get(0);
    assertThat(job.path("records_synced").asInt()).isEqualTo(3);
    List<WebhookReceiver.Received> calls = external.at(base + "/api/data/subscriptions/");
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).header("Authorization")).isEqualTo("Bearer sk_test_123");
    assertThat(calls.get(0).header("X-Tenant-Domain")).isEqualTo(tenant);
  }

  @Test
  void tenantsAreIsolated() {
    String serviceId =
        source("user-service", "http://localhost:8000/api/mock", false).path("id").asString();
    call("POST", "/api/mock/users/", Map.of("email", "mine@example.com", "name", "Mine"), 201);
    String other = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");

    assertThat(
            call(other, "GET", "/api/mock/users/", null, 200).path("data").path("results").size())
        .isZero();
    assertThat(
            call(other, "GET", "/api/integrations/health/", null, 200)
                .path("data")
                .path("results")
                .size())
        .isZero();
    call(
        other,
        "POST",
        "/api/integrations/sync/trigger/",
        Map.of("service_id", serviceId, "sync_type", "users"),
        404);
    call(other, "DELETE", "/api/integrations/services/" + serviceId + "/", null, 404);
    // naming another tenant's domain is refused
    http.get()
        .uri("/api/mock/users/")
        .header("Authorization", "Bearer " + other)
        .header("X-Tenant-Domain", tenant)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("failure");
    call(null, "GET", "/api/mock/users/", null, 401);
    call(null, "GET", "/api/integrations/webhook-events/", null, 401);
  }

  private JsonNode awaitJob(String status, int jobs) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode results =
                  call("GET", "/api/integrations/data-sync/", null, 200)
                      .path("data")
                      .path("results");
              return results.size() == jobs
                  && results.get(0).path("status").asString().equals(status);
            });
    return call("GET", "/api/integrations/data-sync/", null, 200).path("data").path("results");
  }

  private JsonNode source(String name, String baseUrl, boolean signatureRequired) {
    JsonNode created =
        call(
            "POST",
            "/api/integrations/services/",
            Map.of("name", name, "base_url", baseUrl, "signature_required", signatureRequired),
            201);
    assertThat(created.path("status").asString()).isEqualTo("success");
    return created.path("data");
  }

  private JsonNode inbound(String service, String body, String signature, int status) {
    var spec =
        http.post()
            .uri("/api/integrations/webhooks/" + service + "/")
            .header("X-Event-Type", "invoice.paid")
            .header("X-Tenant-Domain", tenant)
            .contentType(MediaType.APPLICATION_JSON);
    if (signature != null) {
      spec = spec.header("X-Signature", signature);
    }
    byte[] bytes =
        spec.bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return IntegrationTestSupport.JSON.readTree(bytes);
  }

  private static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record) {
    var header = record.headers().lastHeader(CloudEventHeaders.TYPE);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
