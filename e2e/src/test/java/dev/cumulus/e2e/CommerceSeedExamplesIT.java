package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.apiKey;
import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004 (Cloud Integration) through the real gateway, auth-service and commerce-service with its
 * built-in Stripe, SendGrid and Sheets sandboxes: every example of the seed with the request it
 * shows (an API key as in "Authentication", a tenant user's JWT), the Stripe webhook as Stripe
 * signs it, and two tenants that never see each other's orders or payments.
 *
 * <p>The shared stack ({@link Cumulus#get()}) has no commerce-service: this class starts one, and a
 * gateway of its own that routes to it, on the shared auth-service, and stops both at the end.
 */
class CommerceSeedExamplesIT {

  static final String WEBHOOK_SECRET = "whsec_cumulus_sandbox"; // commerce-service's default

  static final Map<String, Object> ADDRESS =
      Map.of(
          "street", "123 Main St",
          "city", "New York",
          "state", "NY",
          "zipCode", "10001",
          "country", "USA");

  /** The seed's "Create Order" request body. */
  static final Map<String, Object> SEED_ORDER =
      Map.of(
          "customerId",
          "cust_abc123",
          "customerEmail",
          "john.doe@example.com",
          "customerName",
          "John Doe",
          "items",
          List.of(
              Map.of("id", "item_1", "name", "Product A", "quantity", 2, "price", 29.99),
              Map.of("id", "item_2", "name", "Product B", "quantity", 1, "price", 49.99)),
          "totalAmount",
          109.97,
          "currency",
          "usd",
          "shippingAddress",
          ADDRESS,
          "billingAddress",
          ADDRESS);

  static Cumulus cumulus;
  static ServiceProcess commerce;
  static ServiceProcess gateway;
  static Api api;
  static String acme;
  static String globex;
  static String acmeToken;
  static String globexToken;
  static String acmeKey;

  @BeforeAll
  static void startCommerceBehindAGateway() {
    cumulus = Cumulus.get();
    Map<String, String> env = cumulus.infrastructure(cumulus.auth.baseUrl());
    env.put("CUMULUS_COMMERCE_DB", PostgresServer.uniqueDatabaseName("e2e_commerce"));
    env.put("CUMULUS_AUTH_URL", cumulus.auth.baseUrl());
    env.put("CUMULUS_INTERNAL_SECRET", cumulus.internalSecret);
    // Side by side: the gateway needs commerce-service's address, not its readiness.
    commerce =
        ServiceProcess.launch(
            "commerce-service",
            FreePorts.next(),
            env,
            List.of("--cumulus.commerce.sheets.flush-interval=500ms"));
    Map<String, String> gatewayEnv =
        cumulus.gatewayEnvironment(cumulus.auth.baseUrl(), cumulus.storage.baseUrl());
    gatewayEnv.put("CUMULUS_COMMERCE_URL", commerce.baseUrl());
    gateway =
        ServiceProcess.launch(
            "gateway",
            FreePorts.next(),
            gatewayEnv,
            // Own counters (other suites share Redis and the client address); seed 004's budget
            // is per IP, and this class makes fewer than its 100 requests per 15 minutes.
            List.of("--cumulus.gateway.rate-limits.key-prefix=e2e-commerce-" + UUID.randomUUID()));
    commerce.awaitReady();
    gateway.awaitReady();
    api = new Api(TestClients.http(gateway.port()));

    Api shared = new Api(cumulus.viaGateway());
    String platformAdmin = cumulus.adminToken(shared);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    acme = "shop-" + suffix;
    globex = "store-" + suffix;
    acmeToken = tenantAdmin(shared, platformAdmin, acme);
    globexToken = tenantAdmin(shared, platformAdmin, globex);
    acmeKey =
        shared
            .post(
                "/api/api-keys",
                bearer(acmeToken),
                Map.of("name", "shop", "scopes", List.of("read", "write")))
            .expect(201)
            .at("key");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (commerce != null) {
      commerce.close();
    }
  }

  static String tenantAdmin(Api shared, String platformAdmin, String tenant) {
    shared
        .post(
            "/api/admin/tenants",
            bearer(platformAdmin),
            Map.of("id", tenant, "domain", tenant, "name", tenant, "plan", "pro"))
        .expect(201);
    shared
        .post(
            "/api/tenants/users/",
            bearer(platformAdmin, tenant),
            Map.of(
                "username", "owner",
                "email", "owner@" + tenant + ".example",
                "password", "owner-password-1",
                "role", "admin"))
        .expect(201);
    return shared
        .post(
            "/api/tenants/auth/",
            none(),
            Map.of("username", "owner", "password", "owner-password-1", "tenant_domain", tenant))
        .expect(200)
        .at("data.token");
  }

  @Test
  void everySeedExampleThroughTheGateway() {
    // Authentication, method 1: X-API-Key. Create Order.
    Consumer<HttpHeaders> key = apiKey(acmeKey);
    Api.Answer created = api.post("/api/orders", key, SEED_ORDER).expect(201);
    assertThat(created.body())
        .containsEntry("success", true)
        .containsEntry("message", "Order created successfully");
    assertThat(created.header("X-RateLimit-Limit")).isEqualTo("100");
    String id = created.at("data.order.id");
    String pi = created.at("data.order.paymentIntentId");
    assertThat(pi).startsWith("pi_");
    assertThat(created.<String>at("data.clientSecret")).startsWith(pi + "_secret_");
    assertThat(created.<Map<String, Object>>at("data.order"))
        .containsEntry("customerId", "cust_abc123")
        .containsEntry("customerEmail", "john.doe@example.com")
        .containsEntry("totalAmount", 109.97)
        .containsEntry("currency", "usd")
        .containsEntry("status", "pending")
        .containsEntry("paymentStatus", "pending");

    // Authentication, method 2: the tenant user's JWT. Get Order.
    Consumer<HttpHeaders> jwt = bearer(acmeToken);
    Api.Answer got = api.get("/api/orders/" + id, jwt).expect(200);
    assertThat(got.<Map<String, Object>>at("data"))
        .containsEntry("id", id)
        .containsEntry("customerName", "John Doe")
        .containsEntry("paymentIntentId", pi)
        .containsKeys("items", "createdAt", "updatedAt");

    // List Orders: ?limit=10, then the page after a lastKey.
    Api.Answer second = api.post("/api/orders", key, SEED_ORDER).expect(201);
    String secondId = second.at("data.order.id");
    Api.Answer page = api.get("/api/orders?limit=1", key).expect(200);
    assertThat(page.list("data")).extracting(o -> o.get("id")).containsExactly(secondId);
    assertThat(page.<Boolean>at("pagination.hasMore")).isTrue();
    Api.Answer next =
        api.get("/api/orders?limit=10&lastKey=" + page.at("pagination.lastKey"), key).expect(200);
    // Newest first: the order created before the second one opens the next page.
    assertThat(next.list("data").get(0)).containsEntry("id", id);

    // Confirm Payment, exactly as the seed answers; Stripe's webhook then marks the order paid.
    Api.Answer confirmed =
        api.post("/api/payments/confirm", key, Map.of("paymentIntentId", pi, "orderId", id))
            .expect(200);
    assertThat(confirmed.body())
        .isEqualTo(
            Map.of(
                "success",
                true,
                "message",
                "Payment confirmed successfully",
                "data",
                Map.of("status", "succeeded")));
    Api.Answer paid = api.get("/api/orders/" + id, key).expect(200);
    assertThat(paid.<String>at("data.status")).isEqualTo("paid");
    assertThat(paid.<String>at("data.paymentStatus")).isEqualTo("completed");
    assertThat(paid.<String>at("data.paidAt")).isNotBlank();

    // Get Payment Details.
    Api.Answer payment = api.get("/api/payments/" + pi, key).expect(200);
    assertThat(payment.<Map<String, Object>>at("data"))
        .containsEntry("id", pi)
        .containsEntry("amount", 10997)
        .containsEntry("currency", "usd")
        .containsEntry("status", "succeeded")
        .containsEntry("metadata", Map.of("orderId", id))
        .containsKey("created");

    // Update Order, the seed's body.
    Api.Answer updated =
        api.patch(
                "/api/orders/" + id,
                key,
                Map.of("status", "shipped", "trackingNumber", "1Z999AA10123456789"))
            .expect(200);
    assertThat(updated.body()).containsEntry("message", "Order updated successfully");
    assertThat(updated.<Map<String, Object>>at("data"))
        .containsEntry("id", id)
        .containsEntry("status", "shipped")
        .containsEntry("trackingNumber", "1Z999AA10123456789")
        .containsKey("updatedAt");
    // No going back.
    Api.Answer back = api.patch("/api/orders/" + id, key, Map.of("status", "paid")).expect(400);
    assertThat(back.body()).containsEntry("success", false);

    // Create Refund, the seed's body: all of 109.97; nothing more after it.
    Api.Answer refund =
        api.post(
                "/api/payments/refund",
                key,
                Map.of("orderId", id, "amount", 109.97, "reason", "requested_by_customer"))
            .expect(200);
    assertThat(refund.body()).containsEntry("message", "Refund processed successfully");
    assertThat(refund.<Map<String, Object>>at("data"))
        .containsEntry("amount", 10997)
        .containsEntry("status", "succeeded")
        .containsKey("created");
    assertThat(refund.<String>at("data.id")).startsWith("re_");
    assertThat(
            api.post("/api/payments/refund", key, Map.of("orderId", id, "amount", 0.01))
                .expect(400)
                .<String>at("error.message"))
        .isNotBlank();

    // Cancel Order (the second one, unpaid): its PaymentIntent is cancelled.
    assertThat(api.delete("/api/orders/" + secondId, key).expect(200).body())
        .isEqualTo(Map.of("success", true, "message", "Order cancelled successfully"));
    assertThat(api.get("/api/orders/" + secondId, key).expect(200).<String>at("data.status"))
        .isEqualTo("cancelled");
    assertThat(
            api.get("/api/payments/" + second.at("data.order.paymentIntentId"), key)
                .expect(200)
                .<String>at("data.status"))
        .isEqualTo("canceled");

    // Monitoring: health (public: "except webhooks and health check"), metrics, integrations
    // (sandbox mode), errors.
    Api.Answer health = api.get("/api/monitoring/health", none()).expect(200);
    assertThat(health.<String>at("data.status")).isIn("healthy", "degraded");
    assertThat(health.<Map<String, Object>>at("data.services"))
        .containsKeys("stripe", "sendgrid", "googleSheets");
    Api.Answer metrics = api.get("/api/monitoring/metrics?timeRange=24h", key).expect(200);
    assertThat(metrics.<Integer>at("data.orders.total")).isGreaterThanOrEqualTo(2);
    assertThat(api.get("/api/monitoring/metrics?timeRange=forever", key).expect(400).body())
        .containsEntry("success", false);
    Api.Answer integrations = api.get("/api/monitoring/integrations", key).expect(200);
    for (String integration : List.of("stripe", "sendgrid", "googleSheets")) {
      assertThat(integrations.<String>at("data.integrations." + integration + ".mode"))
          .isEqualTo("sandbox");
    }
    api.get("/api/monitoring/metrics?timeRange=24h", none()).expect(401);
    assertThat(api.get("/api/monitoring/errors", key).expect(200).body())
        .containsEntry("success", true);

    // The customer's e-mails in SendGrid's sandbox inbox, the order's row in the tenant's sheet.
    String inbox = integrations.at("data.integrations.sendgrid.sandbox");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fetch(inbox))
                    .contains("Payment received for order " + id)
                    .contains("john.doe@example.com"));
    String sheet =
        integrations
            .<String>at("data.integrations.googleSheets.sandbox")
            .replace("<sheet id>", "orders-" + acme);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(fetch(sheet)).contains(id));
  }

  @Test
  void stripeWebhooksThroughTheGatewayAreVerifiedAndHandledOnce() {
    Api.Answer created = api.post("/api/orders", bearer(acmeToken), SEED_ORDER).expect(201);
    String pi = created.at("data.order.paymentIntentId");
    String event =
        JsonMapper.builder()
            .build()
            .writeValueAsString(
                Map.of(
                    "id",
                    "evt_" + UUID.randomUUID().toString().replace("-", ""),
                    "object",
                    "event",
                    "type",
                    "payment_intent.payment_failed",
                    "created",
                    Instant.now().getEpochSecond(),
                    "data",
                    Map.of("object", Map.of("id", pi, "object", "payment_intent"))));
    long now = Instant.now().getEpochSecond();

    // No credential at the gateway: Stripe-Signature is the authentication.
    EntityExchangeResult<String> valid = webhook(event, signature(event, now));
    assertThat(valid.getStatus().value()).isEqualTo(200);
    assertThat(valid.getResponseBody()).isEqualTo("{\"received\":true}");
    // Redelivered: acknowledged, handled once.
    assertThat(webhook(event, signature(event, now)).getStatus().value()).isEqualTo(200);

    for (String bad :
        List.of(
            signature(event.replace("payment_failed", "succeeded"), now), // tampered
            signature(event, now - 600), // older than the 300 s tolerance
            "t=" + now + ",v1=" + "0".repeat(64))) {
      EntityExchangeResult<String> refused = webhook(event, bad);
      assertThat(refused.getStatus().value()).isEqualTo(400);
      assertThat(refused.getResponseBody())
          .startsWith("{\"success\":false,\"error\":{\"message\":");
    }
    // The order follows Stripe's state of the PaymentIntent, not the event's claim.
    assertThat(
            api.get("/api/orders/" + created.at("data.order.id"), bearer(acmeToken))
                .expect(200)
                .<String>at("data.status"))
        .isEqualTo("pending");
  }

  @Test
  void tenantsNeverSeeEachOthersOrdersOrPayments() {
    Api.Answer acmeOrder = api.post("/api/orders", apiKey(acmeKey), SEED_ORDER).expect(201);
    String id = acmeOrder.at("data.order.id");
    String pi = acmeOrder.at("data.order.paymentIntentId");
    api.post("/api/payments/confirm", apiKey(acmeKey), Map.of("paymentIntentId", pi, "orderId", id))
        .expect(200);
    Consumer<HttpHeaders> other = bearer(globexToken);

    for (Api.Answer denied :
        List.of(
            api.get("/api/orders/" + id, other),
            api.patch("/api/orders/" + id, other, Map.of("status", "shipped")),
            api.delete("/api/orders/" + id, other),
            api.post("/api/payments/confirm", other, Map.of("paymentIntentId", pi, "orderId", id)),
            api.post("/api/payments/refund", other, Map.of("orderId", id, "amount", 1.00)),
            api.get("/api/payments/" + pi, other))) {
      assertThat(denied.status()).as("%s", denied.json()).isEqualTo(404);
      assertThat(denied.body()).containsEntry("success", false);
    }
    assertThat(api.get("/api/orders?limit=100", other).expect(200).list("data"))
        .extracting(o -> o.get("id"))
        .doesNotContain(id);
    Map<String, Object> otherRevenue =
        api.get("/api/monitoring/metrics?timeRange=24h", other).expect(200).at("data.revenue");
    assertThat(((Number) otherRevenue.get("total")).doubleValue()).isZero();

    // Nothing changed for the owner; without any credential, the seed's 401 envelope.
    Api.Answer mine = api.get("/api/orders/" + id, apiKey(acmeKey)).expect(200);
    assertThat(mine.<String>at("data.status")).isEqualTo("paid");
    assertThat(mine.<String>at("data.paymentStatus")).isEqualTo("completed");
    Api.Answer anonymous = api.get("/api/orders/" + id, none()).expect(401);
    assertThat(anonymous.body()).containsEntry("success", false).containsKey("error");
  }

  static EntityExchangeResult<String> webhook(String payload, String signature) {
    return TestClients.http(gateway.port())
        .post()
        .uri("/webhooks/stripe")
        .header("Stripe-Signature", signature)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(payload)
        .exchange()
        .expectBody(String.class)
        .returnResult();
  }

  /** {@code Stripe-Signature} as Stripe computes it: HMAC-SHA256 of "t.payload". */
  static String signature(String payload, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String fetch(String url) {
    return WebTestClient.bindToServer()
        .baseUrl(url)
        .build()
        .get()
        .exchange()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
