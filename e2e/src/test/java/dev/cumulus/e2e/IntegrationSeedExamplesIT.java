package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * integration-service's seed examples, each with the seed's exact request, through the gateway
 * (issue 26): seed 003's integrations and mock services (the inbound webhook receiver with no
 * token, as the seed shows), seed 002's notifications and webhook configuration, seed 001's {@code
 * POST /v1/webhooks}, and each family's error envelope.
 */
class IntegrationSeedExamplesIT {

  static Cumulus cumulus;
  static Api api;
  static String tenant;
  static String token;

  @BeforeAll
  static void aTenant() {
    cumulus = Cumulus.get();
    api = new Api(cumulus.viaGateway());
    tenant = "seed-int-" + UUID.randomUUID().toString().substring(0, 8);
    token = CommerceSeedExamplesIT.tenantAdmin(api, cumulus.adminToken(api), tenant);
  }

  @Test
  void seed003IntegrationExamples() {
    // A source the receiver knows by name (Cumulus's registration of the seed's "service").
    Api.Answer source =
        api.post(
                "/api/integrations/services/",
                bearer(token, tenant),
                Map.of(
                    "name",
                    "user-service",
                    "base_url",
                    "http://localhost:8000/api/mock",
                    "signature_required",
                    false))
            .expect(201);
    String sourceId = source.at("data.id");

    // "Send Webhook", exactly: no token, the tenant by X-Tenant-Domain.
    Api.Answer received =
        api.post(
                "/api/integrations/webhooks/user-service/",
                h -> {
                  h.set("X-Event-Type", "user.created");
                  h.set("X-Tenant-Domain", tenant);
                },
                Map.of("user_id", "123", "email", "test@example.com"))
            .expect(200);
    assertThat(received.body())
        .containsEntry("status", "success")
        .containsEntry("message", "Webhook received");
    String eventId = received.at("data.event_id");

    Api.Answer events =
        api.get("/api/integrations/webhook-events/", bearer(token, tenant)).expect(200);
    assertThat(events.body())
        .containsEntry("status", "success")
        .containsEntry("message", "Success");
    Map<String, Object> event = events.list("data.results").get(0);
    assertThat(event).containsEntry("id", eventId).containsEntry("event_type", "user.created");
    assertThat(event.get("payload"))
        .isEqualTo(Map.of("user_id", "123", "email", "test@example.com"));

    Api.Answer health = api.get("/api/integrations/health/", bearer(token, tenant)).expect(200);
    assertThat(health.list("data.results"))
        .anySatisfy(r -> assertThat(r.get("service")).isEqualTo(Map.of("name", "user-service")));

    // Data sync: the tenant's mock users, copied by a real job.
    api.post(
            "/api/mock/users/",
            bearer(token, tenant),
            Map.of("email", "test@example.com", "name", "Test User", "status", "active"))
        .expect(201);
    Api.Answer triggered =
        api.post(
                "/api/integrations/sync/trigger/",
                bearer(token, tenant),
                Map.of("service_id", sourceId, "sync_type", "users"))
            .expect(200);
    assertThat(triggered.body())
        .containsEntry("status", "success")
        .containsEntry("message", "Sync triggered")
        .containsEntry("data", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        api.get("/api/integrations/data-sync/", bearer(token, tenant))
                            .expect(200)
                            .list("data.results"))
                    .anySatisfy(job -> assertThat(job).containsEntry("status", "completed")));

    // The seed's error format.
    Api.Answer unknown =
        api.post(
                "/api/integrations/sync/trigger/",
                bearer(token, tenant),
                Map.of("service_id", sourceId, "sync_type", "orders"))
            .expect(400);
    assertThat(unknown.body()).containsEntry("status", "failure").containsEntry("data", null);
    assertThat(unknown.body().get("error")).isInstanceOf(String.class);
  }

  @Test
  void seed003MockServiceExamples() {
    Api.Answer user =
        api.post(
                "/api/mock/users/",
                bearer(token, tenant),
                Map.of("email", "mock@example.com", "name", "Test User", "status", "active"))
            .expect(201);
    assertThat(user.body()).containsEntry("status", "success");
    assertThat((Map<String, Object>) user.at("data"))
        .containsEntry("email", "mock@example.com")
        .containsEntry("name", "Test User")
        .containsEntry("status", "active")
        .containsKeys("id", "created_at");
    String userId = user.at("data.id");
    api.post(
            "/api/mock/subscriptions/",
            bearer(token, tenant),
            Map.of("user_id", userId, "plan", "premium", "amount", "29.99", "status", "active"))
        .expect(201);
    api.post(
            "/api/mock/notifications/",
            bearer(token, tenant),
            Map.of(
                "user_id",
                userId,
                "type",
                "email",
                "subject",
                "Welcome!",
                "message",
                "Welcome to our platform"))
        .expect(201);
    for (String type : List.of("users", "subscriptions", "notifications")) {
      assertThat(api.get("/api/mock/" + type + "/", bearer(token, tenant)).expect(200).body())
          .containsEntry("status", "success");
      Api.Answer data =
          api.get("/api/mock/api/data/" + type + "/", bearer(token, tenant)).expect(200);
      assertThat(data.list("data.records")).isNotEmpty();
      assertThat((Integer) data.at("data.total")).isPositive();
    }
    Api.Answer health = api.get("/api/mock/health/", bearer(token, tenant)).expect(200);
    assertThat(health.body()).containsEntry("message", "System healthy");
    assertThat((Map<String, Object>) health.at("data.services"))
        .containsEntry("user_service", "operational")
        .containsEntry("payment_service", "operational")
        .containsEntry("communication_service", "operational");

    Api.Answer noEmail =
        api.post("/api/mock/users/", bearer(token, tenant), Map.of("name", "No Email")).expect(400);
    assertThat(noEmail.body()).containsEntry("status", "failure");
    api.get("/api/mock/users/", none()).expect(401);
  }

  @Test
  void seed002NotificationsAndWebhookConfiguration() {
    // Seed 002's webhook configuration, exactly, but for a receiver that resolves here (URLs are
    // resolved and checked against the SSRF rules when registered; loopback is allowed in e2e).
    Api.Answer hook =
        api.post(
                "/api/webhooks",
                bearer(token),
                Map.of(
                    "webhook_url",
                    "http://127.0.0.1:9/webhook",
                    "events",
                    List.of(
                        "container_created",
                        "container_updated",
                        "container_started",
                        "container_stopped",
                        "update_completed",
                        "update_failed"),
                    "secret",
                    "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]),
                    "headers",
                    Map.of("X-Custom-Header", "value")))
            .expect(201);
    assertThat((Map<String, Object>) hook.at("headers")).containsEntry("X-Custom-Header", "value");

    // A notification to list and mark read: an instance becoming ready makes one.
    api.post(
            "/api/services",
            bearer(token),
            Map.of("serviceName", "notified", "serviceType", "s3storage"))
        .expect(201);
    Map<String, Object> notification =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.get("/api/notifications", bearer(token)).expect(200).list("data.items"),
                items -> !items.isEmpty())
            .get(0);
    assertThat(notification)
        .containsKeys("id", "type", "title", "message", "level", "created_at", "data")
        .containsEntry("read", false);
    Api.Answer read =
        api.put("/api/notifications/" + notification.get("id") + "/read", bearer(token), null)
            .expect(200);
    assertThat(read.body()).containsEntry("success", true);
    assertThat(api.get("/api/notifications", bearer(token)).expect(200).list("data.items"))
        .anySatisfy(
            n -> {
              assertThat(n.get("id")).isEqualTo(notification.get("id"));
              assertThat(n).containsEntry("read", true);
            });
    Api.Answer missing =
        api.put("/api/notifications/999999999/read", bearer(token), null).expect(404);
    assertThat(missing.body()).containsEntry("success", false);
  }

  @Test
  void seed001WebhooksForFunctionEvents() {
    Api.Answer created =
        api.post(
                "/v1/webhooks",
                bearer(token),
                Map.of(
                    "url",
                    "http://127.0.0.1:9/eventflow",
                    "events",
                    List.of(
                        "function.created",
                        "function.updated",
                        "function.deleted",
                        "function.invoked")))
            .expect(201);
    assertThat((String) created.at("secret")).startsWith("whsec_");
    assertThat(api.get("/v1/webhooks/" + created.at("id"), bearer(token)).expect(200).body())
        .containsEntry("url", "http://127.0.0.1:9/eventflow");
    // Seed 001's error format, not DockSaaS's.
    Api.Answer bad = api.post("/v1/webhooks", bearer(token), Map.of("url", "ftp://x")).expect(400);
    assertThat(bad.body()).containsKey("error");
  }
}
