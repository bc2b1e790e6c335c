package dev.cumulus.commerce.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.commerce.CommerceApplication;
import dev.cumulus.commerce.mail.config.MailConfiguration;
import dev.cumulus.commerce.order.application.OrderSaga;
import dev.cumulus.commerce.order.application.PaymentSteps;
import dev.cumulus.commerce.sheets.config.SheetsConfiguration;
import dev.cumulus.commerce.stripe.config.StripeConfiguration;
import dev.cumulus.commerce.stripe.sandbox.StripeSandbox;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004 end to end against the built-in Stripe sandbox (stripe-java over HTTP, signed webhooks
 * back to the service), real PostgreSQL and Kafka.
 */
@SpringBootTest(
    classes = CommerceApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CommerceSeedIT {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  static final String SEED_ORDER =
      """
      {
        "customerId": "cust_abc123",
        "customerEmail": "john.doe@example.com",
        "customerName": "John Doe",
        "items": [
          {"id": "item_1", "name": "Product A", "quantity": 2, "price": 29.99},
          {"id": "item_2", "name": "Product B", "quantity": 1, "price": 49.99}
        ],
        "totalAmount": 109.97,
        "currency": "usd",
        "shippingAddress": {"street": "123 Main St", "city": "New York", "state": "NY",
          "zipCode": "10001", "country": "USA"},
        "billingAddress": {"street": "123 Main St", "city": "New York", "state": "NY",
          "zipCode": "10001", "country": "USA"}
      }
      """;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "commerce");
    // The saga runs when a test says so (OrderSaga.resumeDue), on every owed step.
    registry.add("cumulus.commerce.stripe.saga-interval", () -> "1h");
    registry.add("cumulus.commerce.stripe.saga-grace", () -> "0s");
    registry.add("cumulus.commerce.stripe.call-timeout", () -> "3s");
    // Its own consumer group: other test contexts in this JVM consume the same topic.
    registry.add(
        "spring.cloud.stream.bindings.orderMailEvents-in-0.group",
        () -> "commerce-it-" + UUID.randomUUID());
    registry.add(
        "spring.cloud.stream.bindings.orderSheetEvents-in-0.group",
        () -> "commerce-it-sheets-" + UUID.randomUUID());
    registry.add("cumulus.commerce.sheets.flush-interval", () -> "500ms");
  }

  @LocalServerPort int port;
  @Autowired StripeConfiguration.StripeSandboxHolder sandboxHolder;
  @Autowired MailConfiguration.SendGridSandboxHolder mailHolder;
  @Autowired SheetsConfiguration.SheetsSandboxHolder sheetsHolder;
  @Autowired OrderSaga saga;
  @Autowired PaymentSteps steps;
  @Autowired DatabaseClient db;

  WebTestClient http;
  StripeSandbox stripe;
  String tenant;
  String token;

  @BeforeEach
  void setUp() {
    http = TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(30)).build();
    stripe = sandboxHolder.get();
    stripe.deliverWebhooks(true);
    stripe.failNext(0);
    tenant = "t-" + UUID.randomUUID();
    token = TestJwtIssuer.shared().token(tenant);
  }

  // ---------------------------------------------------------------------------------------------
  // Seed examples

  @Test
  void createOrderAsTheSeedShows() {
    JsonNode body = exchange(HttpMethod.POST, "/api/orders", SEED_ORDER, 201);
    assertThat(body.path("success").asBoolean()).isTrue();
    assertThat(body.path("message").asString()).isEqualTo("Order created successfully");
    JsonNode order = body.path("data").path("order");
    assertThat(order.path("customerId").asString()).isEqualTo("cust_abc123");
    assertThat(order.path("customerEmail").asString()).isEqualTo("john.doe@example.com");
    assertThat(order.path("customerName").asString()).isEqualTo("John Doe");
    assertThat(order.path("items")).hasSize(2);
    assertThat(order.path("items").get(0).path("price").decimalValue())
        .isEqualByComparingTo("29.99");
    assertThat(order.path("totalAmount").decimalValue()).isEqualByComparingTo("109.97");
    assertThat(order.path("currency").asString()).isEqualTo("usd");
    assertThat(order.path("status").asString()).isEqualTo("pending");
    assertThat(order.path("paymentStatus").asString()).isEqualTo("pending");
    assertThat(order.path("paymentIntentId").asString()).startsWith("pi_");
    assertThat(order.path("createdAt").asString()).isNotBlank();
    assertThat(order.path("shippingAddress").path("zipCode").asString()).isEqualTo("10001");
    assertThat(body.path("data").path("clientSecret").asString())
        .startsWith(order.path("paymentIntentId").asString() + "_secret_");
    UUID.fromString(order.path("id").asString());
  }

  @Test
  void invalidOrdersAreRefusedInTheSeedsErrorEnvelope() {
    String bad = SEED_ORDER.replace("john.doe@example.com", "not-an-email");
    JsonNode body = exchange(HttpMethod.POST, "/api/orders", bad, 400);
    assertThat(body.toString())
        .isEqualTo(
            "{\"success\":false,\"error\":{\"message\":\"Validation error: customerEmail must be a"
                + " valid email\"}}");
    JsonNode sum =
        exchange(HttpMethod.POST, "/api/orders", SEED_ORDER.replace("109.97", "100.00"), 400);
    assertThat(sum.path("error").path("message").asString()).contains("totalAmount");
    JsonNode decimals =
        exchange(HttpMethod.POST, "/api/orders", SEED_ORDER.replace("29.99", "29.999"), 400);
    assertThat(decimals.path("error").path("message").asString()).contains("price");
    http.post()
        .uri("/api/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(SEED_ORDER)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false);
  }

  @Test
  void payThroughConfirmAndWebhookThenRefundPartlyAndInFull() {
    JsonNode created = exchange(HttpMethod.POST, "/api/orders", SEED_ORDER, 201).path("data");
    String id = created.path("order").path("id").asString();
    String pi = created.path("order").path("paymentIntentId").asString();

    JsonNode confirmed =
        exchange(
            HttpMethod.POST,
            "/api/payments/confirm",
            "{\"paymentIntentId\":\"" + pi + "\",\"orderId\":\"" + id + "\"}",
            200);
    assertThat(confirmed.toString())
        .isEqualTo(
            "{\"success\":true,\"data\":{\"status\":\"succeeded\"},\"message\":\"Payment confirmed"
                + " successfully\"}");
    JsonNode order = exchange(HttpMethod.GET, "/api/orders/" + id, null, 200).path("data");
    assertThat(order.path("status").asString()).isEqualTo("paid");
    assertThat(order.path("paymentStatus").asString()).isEqualTo("completed");
    assertThat(order.path("paidAt").asString()).isNotBlank();

    JsonNode payment = exchange(HttpMethod.GET, "/api/payments/" + pi, null, 200).path("data");
    assertThat(payment.path("id").asString()).isEqualTo(pi);
    assertThat(payment.path("amount").asLong()).isEqualTo(10997);
    assertThat(payment.path("currency").asString()).isEqualTo("usd");
    assertThat(payment.path("status").asString()).isEqualTo("succeeded");
    assertThat(payment.path("created").asLong()).isPositive();
    assertThat(payment.path("metadata").path("orderId").asString()).isEqualTo(id);

    JsonNode partial =
        exchange(
            HttpMethod.POST,
            "/api/payments/refund",
            "{\"orderId\":\"" + id + "\",\"amount\":10.00,\"reason\":\"requested_by_customer\"}",
            200);
    assertThat(partial.path("message").asString()).isEqualTo("Refund processed successfully");
    assertThat(partial.path("data").path("id").asString()).startsWith("re_");
    assertThat(partial.path("data").path("amount").asLong()).isEqualTo(1000);
    assertThat(partial.path("data").path("status").asString()).isEqualTo("succeeded");
    assertThat(
            exchange(HttpMethod.GET, "/api/orders/" + id, null, 200)
                .path("data")
                .path("paymentStatus")
                .asString())
        .isEqualTo("partially_refunded");

    JsonNode tooMuch =
        exchange(
            HttpMethod.POST,
            "/api/payments/refund",
            "{\"orderId\":\"" + id + "\",\"amount\":100.00}",
            400);
    assertThat(tooMuch.path("error").path("message").asString()).contains("exceeds");

    JsonNode rest =
        exchange(HttpMethod.POST, "/api/payments/refund", "{\"orderId\":\"" + id + "\"}", 200);
    assertThat(rest.path("data").path("amount").asLong()).isEqualTo(9997);
    order = exchange(HttpMethod.GET, "/api/orders/" + id, null, 200).path("data");
    assertThat(order.path("status").asString()).isEqualTo("refunded");
    assertThat(order.path("paymentStatus").asString()).isEqualTo("refunded");

    // No going back from refunded.
    JsonNode back =
        exchange(HttpMethod.PATCH, "/api/orders/" + id, "{\"status\":\"shipped\"}", 400);
    assertThat(back.path("error").path("message").asString()).contains("Invalid status transition");
    exchange(
        HttpMethod.POST,
        "/api/payments/refund",
        "{\"orderId\":\"" + id + "\",\"amount\":0.01}",
        400);
  }

  @Test
  void concurrentRefundsNeverExceedWhatWasCaptured() {
    String[] order = paidOrder();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () ->
                  request(HttpMethod.POST, "/api/payments/refund")
                      .bodyValue("{\"orderId\":\"" + order[0] + "\",\"amount\":40.00}")
                      .exchange()
                      .returnResult(String.class)
                      .getStatus()
                      .value()));
    }
    long ok = calls.stream().map(CompletableFuture::join).filter(s -> s == 200).count();
    assertThat(ok).isEqualTo(2); // 2 x 40.00 of 109.97
    Long refunded =
        db.sql("SELECT refunded_minor FROM orders WHERE id = :id")
            .bind("id", UUID.fromString(order[0]))
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(refunded).isEqualTo(8000);
  }

  @Test
  void theCustomerGetsEMailsThroughSendGrid() {
    String[] order = paidOrder();
    String subject = "Payment received for order " + order[0];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(mailHolder.get().inbox())
                    .anySatisfy(
                        mail -> {
                          assertThat(mail.path("subject").asString()).isEqualTo(subject);
                          assertThat(
                                  mail.path("personalizations")
                                      .get(0)
                                      .path("to")
                                      .get(0)
                                      .path("email")
                                      .asString())
                              .isEqualTo("john.doe@example.com");
                        }));
    assertThat(mailHolder.get().inbox())
        .anySatisfy(
            mail ->
                assertThat(mail.path("subject").asString())
                    .isEqualTo("Order received: " + order[0]));
  }

  @Test
  void everyOrderGetsARowInTheTenantsSheetDespiteTheQuota() {
    // Sheets' per-minute write quota is used up: appends answer 429, rows wait, nothing is lost.
    sheetsHolder.get().exhaustQuota();
    String[] first = createdOrder();
    String[] second = createdOrder();
    String sheet = "orders-" + tenant;
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        exchange(HttpMethod.GET, "/api/monitoring/errors", null, 200)
                            .path("data")
                            .path("errors")
                            .findValuesAsString("error"))
                    .contains("Rate limit exceeded"));
    assertThat(status(first[0])).isEqualTo("pending");
    assertThat(sheetsHolder.get().rows(sheet)).isEmpty();
  }

  @Test
  void anOrderRowReachesTheTenantsSheet() {
    String[] order = createdOrder();
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(sheetsHolder.get().rows("orders-" + tenant))
                    .anySatisfy(row -> assertThat(row.get(0).asString()).isEqualTo(order[0])));
  }

  @Test
  void aSendGridFailureNeverBlocksTheOrderAndIsReported() {
    String customer = "down-" + UUID.randomUUID() + "@example.com";
    mailHolder.get().failFor(customer);
    JsonNode order =
        exchange(
                HttpMethod.POST,
                "/api/orders",
                SEED_ORDER.replace("john.doe@example.com", customer),
                201)
            .path("data")
            .path("order");
    assertThat(order.path("status").asString()).isEqualTo("pending");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        exchange(HttpMethod.GET, "/api/monitoring/errors", null, 200)
                            .path("data")
                            .path("errors")
                            .findValuesAsString("service"))
                    .contains("sendgrid"));
  }

  @Test
  void webhookMarksTheOrderPaidWithoutConfirmAnswer() {
    String[] order = createdOrder();
    // Stripe confirmed (e.g. by Stripe.js in the browser): only the webhook tells the service.
    confirmAtStripe(order[1]);
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200)
                            .path("data")
                            .path("status")
                            .asString())
                    .isEqualTo("paid"));
  }

  @Test
  void updateOrderAsTheSeedShows() {
    String[] order = paidOrder();
    JsonNode body =
        exchange(
            HttpMethod.PATCH,
            "/api/orders/" + order[0],
            "{\"status\":\"shipped\",\"trackingNumber\":\"1Z999AA10123456789\"}",
            200);
    assertThat(body.path("message").asString()).isEqualTo("Order updated successfully");
    assertThat(body.path("data").path("id").asString()).isEqualTo(order[0]);
    assertThat(body.path("data").path("status").asString()).isEqualTo("shipped");
    assertThat(body.path("data").path("trackingNumber").asString()).isEqualTo("1Z999AA10123456789");
    assertThat(body.path("data").path("updatedAt").asString()).isNotBlank();
    exchange(HttpMethod.PATCH, "/api/orders/" + order[0], "{\"status\":\"paid\"}", 400);
    exchange(HttpMethod.PATCH, "/api/orders/" + order[0], "{\"status\":\"teleported\"}", 400);
  }

  @Test
  void cancelUnpaidOrderCancelsTheIntent() {
    String[] order = createdOrder();
    JsonNode body = exchange(HttpMethod.DELETE, "/api/orders/" + order[0], null, 200);
    assertThat(body.toString())
        .isEqualTo("{\"success\":true,\"message\":\"Order cancelled successfully\"}");
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200).path("data");
    assertThat(got.path("status").asString()).isEqualTo("cancelled");
    assertThat(got.path("paymentStatus").asString()).isEqualTo("cancelled");
    assertThat(
            exchange(HttpMethod.GET, "/api/payments/" + order[1], null, 200)
                .path("data")
                .path("status")
                .asString())
        .isEqualTo("canceled");
  }

  @Test
  void cancelPaidOrderRefundsWhatWasPaid() {
    String[] order = paidOrder();
    exchange(HttpMethod.DELETE, "/api/orders/" + order[0], null, 200);
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200).path("data");
    assertThat(got.path("status").asString()).isEqualTo("cancelled");
    assertThat(got.path("paymentStatus").asString()).isEqualTo("refunded");
    assertThat(got.path("refundedAmount").decimalValue()).isEqualByComparingTo("109.97");
    // Cancelling again changes nothing and refunds nothing more.
    exchange(HttpMethod.DELETE, "/api/orders/" + order[0], null, 200);
  }

  @Test
  void aCancelRacingThePaymentEndsCancelledWithEveryCentBack() {
    List<String[]> orders = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      String[] order = createdOrder();
      orders.add(order);
      // The customer pays (browser and Stripe.js, then the webhook) while the client cancels, and
      // further webhook deliveries reconcile the same order at the same time.
      List<CompletableFuture<?>> racers = new ArrayList<>();
      racers.add(CompletableFuture.runAsync(() -> tryConfirmAtStripe(order[1])));
      racers.add(CompletableFuture.runAsync(() -> cancelUntilAccepted(order[0])));
      for (int i = 0; i < 3; i++) {
        racers.add(
            CompletableFuture.runAsync(
                () -> steps.reconcile(order[1]).onErrorResume(e -> Mono.empty()).block()));
      }
      racers.forEach(CompletableFuture::join);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              saga.resumeDue().block();
              for (String[] order : orders) {
                assertCancelledWithEveryCentBack(order);
              }
            });
    for (String[] order : orders) {
      assertThat(
              db.sql(
                      "SELECT count(*) FROM cumulus_outbox WHERE event_key = :key AND event_type ="
                          + " 'dev.cumulus.commerce.order.cancelled.v1'")
                  .bind("key", order[0])
                  .map(r -> r.get(0, Long.class))
                  .one()
                  .block())
          .as("cancelled events of order %s", order[0])
          .isEqualTo(1);
    }
  }

  /** The order is cancelled, and what Stripe captured (if anything) was refunded in full. */
  void assertCancelledWithEveryCentBack(String[] order) {
    var row =
        db.sql(
                "SELECT status, saga_step, captured_minor, refunded_minor FROM orders WHERE id = :id")
            .bind("id", UUID.fromString(order[0]))
            .map(
                r ->
                    List.of(
                        r.get("status", String.class),
                        r.get("saga_step", String.class),
                        r.get("captured_minor", Long.class),
                        r.get("refunded_minor", Long.class)))
            .one()
            .block();
    JsonNode intent = stripeGet("/v1/payment_intents/" + order[1]);
    long received = intent.path("amount_received").asLong();
    long refunded = 0;
    for (JsonNode refund : stripeGet("/v1/refunds?payment_intent=" + order[1]).path("data")) {
      refunded += refund.path("amount").asLong();
    }
    assertThat(row)
        .as("order %s (Stripe: %s)", order[0], intent.path("status").asString())
        .containsExactly("cancelled", "done", received, received);
    assertThat(refunded).as("refunded at Stripe, order %s", order[0]).isEqualTo(received);
  }

  void tryConfirmAtStripe(String intentId) {
    WebTestClient.bindToServer()
        .baseUrl(stripe.apiBase())
        .build()
        .post()
        .uri("/v1/payment_intents/" + intentId + "/confirm")
        .header("Authorization", "Bearer sk_test_x")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue("payment_method=pm_card_visa")
        .exchange()
        .returnResult(String.class)
        .getStatus(); // 200, or 400 when the cancel came first
  }

  void cancelUntilAccepted(String orderId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                request(HttpMethod.DELETE, "/api/orders/" + orderId)
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value()
                    == 200);
  }

  JsonNode stripeGet(String path) {
    byte[] body =
        WebTestClient.bindToServer()
            .baseUrl(stripe.apiBase())
            .build()
            .get()
            .uri(path)
            .header("Authorization", "Bearer sk_test_x")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  @Test
  void orderEventsAreTypedWithThePlatformsNameForTheService() {
    String[] order = paidOrder();
    exchange(HttpMethod.DELETE, "/api/orders/" + order[0], null, 200);
    List<String> events =
        db.sql(
                "SELECT event_type || ' ' || source AS e FROM cumulus_outbox WHERE event_key = :key"
                    + " ORDER BY seq")
            .bind("key", order[0])
            .map(r -> r.get("e", String.class))
            .all()
            .collectList()
            .block();
    assertThat(events)
        .containsExactly(
            "dev.cumulus.commerce.order.created.v1 /commerce",
            "dev.cumulus.commerce.order.paid.v1 /commerce",
            "dev.cumulus.commerce.order.cancelled.v1 /commerce");
  }

  // ---------------------------------------------------------------------------------------------
  // Paging, tenants

  @Test
  void listPagesWithAnOpaqueCursorStableUnderConcurrentInserts() {
    for (int i = 0; i < 5; i++) {
      createdOrder();
    }
    JsonNode first = exchange(HttpMethod.GET, "/api/orders?limit=2", null, 200);
    assertThat(first.path("data")).hasSize(2);
    assertThat(first.path("pagination").path("hasMore").asBoolean()).isTrue();
    JsonNode summary = first.path("data").get(0);
    assertThat(summary.propertyNames())
        .containsExactly("id", "customerName", "totalAmount", "status", "createdAt");
    Set<String> seen = new HashSet<>();
    first.path("data").forEach(o -> seen.add(o.path("id").asString()));
    String lastKey = first.path("pagination").path("lastKey").asString();
    // New orders arrive while the client pages: they are newer than the cursor, never repeated.
    createdOrder();
    createdOrder();
    int pages = 1;
    while (lastKey != null && !lastKey.isEmpty()) {
      JsonNode page = exchange(HttpMethod.GET, "/api/orders?limit=2&lastKey=" + lastKey, null, 200);
      page.path("data").forEach(o -> assertThat(seen.add(o.path("id").asString())).isTrue());
      lastKey =
          page.path("pagination").path("hasMore").asBoolean()
              ? page.path("pagination").path("lastKey").asString()
              : null;
      pages++;
    }
    assertThat(seen).hasSize(5);
    assertThat(pages).isEqualTo(3);
    exchange(HttpMethod.GET, "/api/orders?lastKey=garbage", null, 400);
    exchange(HttpMethod.GET, "/api/orders?limit=101", null, 400);
  }

  @Test
  void tenantsSeeOnlyTheirOwnOrdersAndPayments() {
    String[] order = paidOrder();
    String other = TestJwtIssuer.shared().token("t-" + UUID.randomUUID());
    for (String uri : List.of("/api/orders/" + order[0], "/api/payments/" + order[1])) {
      http.get()
          .uri(uri)
          .header("Authorization", "Bearer " + other)
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.success")
          .isEqualTo(false);
    }
    http.post()
        .uri("/api/payments/refund")
        .header("Authorization", "Bearer " + other)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"orderId\":\"" + order[0] + "\"}")
        .exchange()
        .expectStatus()
        .isNotFound();
    http.delete()
        .uri("/api/orders/" + order[0])
        .header("Authorization", "Bearer " + other)
        .exchange()
        .expectStatus()
        .isNotFound();
    http.get()
        .uri("/api/orders")
        .header("Authorization", "Bearer " + other)
        .exchange()
        .expectBody()
        .jsonPath("$.data.length()")
        .isEqualTo(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Webhooks

  @Test
  void webhookSignatureValidInvalidStaleReplayedAndDuplicated() {
    stripe.deliverWebhooks(false);
    String[] order = createdOrder();
    confirmAtStripe(order[1]);
    String event = lastEvent("payment_intent.succeeded");
    long now = System.currentTimeMillis() / 1000;

    webhook(event, "t=" + now + ",v1=" + "0".repeat(64), 400);
    webhook(event, "", 400);
    webhook(event, stripe.signature(event, now - 301), 400); // stale
    webhook(
        event.replace("succeeded", "succeeded "), stripe.signature(event, now), 400); // tampered
    assertThat(status(order[0])).isEqualTo("pending");

    String signature = stripe.signature(event, now);
    JsonNode ok = webhook(event, signature, 200);
    assertThat(ok.toString()).isEqualTo("{\"received\":true}");
    assertThat(status(order[0])).isEqualTo("paid");
    // Replayed (same signed request) and redelivered (new signature): acknowledged, handled once.
    webhook(event, signature, 200);
    webhook(event, stripe.signature(event, now + 1), 200);
    Long handled =
        db.sql("SELECT count(*) FROM stripe_events WHERE event_id = :id")
            .bind("id", JSON.readTree(event).path("id").asString())
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(handled).isEqualTo(1);
  }

  @Test
  void webhooksOutOfOrderEndInStripesCurrentState() {
    stripe.deliverWebhooks(false);
    String[] order = paidOrderWithoutWebhooks();
    exchange(
        HttpMethod.POST,
        "/api/payments/refund",
        "{\"orderId\":\"" + order[0] + "\",\"amount\":9.97}",
        200);
    String refunded = lastEvent("charge.refunded");
    String succeeded = lastEvent("payment_intent.succeeded");
    long now = System.currentTimeMillis() / 1000;
    // The refund's event first, then the older payment's: the order stays partially refunded.
    webhook(refunded, stripe.signature(refunded, now), 200);
    webhook(succeeded, stripe.signature(succeeded, now), 200);
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200).path("data");
    assertThat(got.path("status").asString()).isEqualTo("paid");
    assertThat(got.path("paymentStatus").asString()).isEqualTo("partially_refunded");
    assertThat(got.path("refundedAmount").decimalValue()).isEqualByComparingTo("9.97");
  }

  @Test
  void failedPaymentWebhookMarksThePaymentFailed() {
    stripe.deliverWebhooks(false);
    String[] order = createdOrder();
    exchange(
        HttpMethod.POST,
        "/api/payments/confirm",
        "{\"paymentIntentId\":\""
            + order[1]
            + "\",\"orderId\":\""
            + order[0]
            + "\",\"paymentMethod\":\"pm_card_chargeDeclined\"}",
        400);
    String failed = lastEvent("payment_intent.payment_failed");
    webhook(failed, stripe.signature(failed, System.currentTimeMillis() / 1000), 200);
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200).path("data");
    assertThat(got.path("status").asString()).isEqualTo("pending");
    assertThat(got.path("paymentStatus").asString()).isEqualTo("failed");
  }

  // ---------------------------------------------------------------------------------------------
  // Saga: failures and crashes

  @Test
  void stripeDownAtCreationFailsTheOrderAndTheSagaCancelsWhatStripeMayHaveMade() {
    stripe.failNext(3); // the first attempt and both retries
    JsonNode body = exchange(HttpMethod.POST, "/api/orders", SEED_ORDER, 502);
    assertThat(body.path("success").asBoolean()).isFalse();
    assertThat(body.path("error").path("message").asString())
        .contains("Payment provider unavailable");
    JsonNode list = exchange(HttpMethod.GET, "/api/orders", null, 200).path("data");
    assertThat(list).hasSize(1);
    String id = list.get(0).path("id").asString();
    assertThat(list.get(0).path("status").asString()).isEqualTo("failed");

    saga.resumeDue().block(Duration.ofSeconds(30));
    String step =
        db.sql("SELECT saga_step FROM orders WHERE id = :id")
            .bind("id", UUID.fromString(id))
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(step).isEqualTo("done");
    JsonNode errors = exchange(HttpMethod.GET, "/api/monitoring/errors", null, 200).path("data");
    assertThat(errors.path("count").asInt()).isPositive();
    // Other tests' background work (the Sheets batch) may log errors too: find this order's.
    assertThat(errors.path("errors").valueStream())
        .anySatisfy(
            error -> {
              assertThat(error.path("service").asString()).isEqualTo("stripe");
              assertThat(error.path("orderId").asString()).isEqualTo(id);
            });
  }

  @Test
  void aCrashBeforeThePaymentIntentIsResumedWithoutASecondIntent() {
    UUID id = UUID.randomUUID();
    // What a node that died right after storing the order leaves behind.
    db.sql(
            """
            INSERT INTO orders (id, tenant_id, customer_email, items, total_minor, currency, status,
              payment_status, saga_step)
            VALUES (:id, :tenant, 'a@b.io', '[{"id":"i","name":"A","quantity":1,"priceMinor":500}]',
              500, 'usd', 'pending', 'pending', 'create_intent')
            """)
        .bind("id", id)
        .bind("tenant", tenant)
        .then()
        .block();
    saga.resumeDue().block(Duration.ofSeconds(30));
    saga.resumeDue().block(Duration.ofSeconds(30));
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + id, null, 200).path("data");
    String pi = got.path("paymentIntentId").asString();
    assertThat(pi).startsWith("pi_");
    exchange(
        HttpMethod.POST,
        "/api/payments/confirm",
        "{\"paymentIntentId\":\"" + pi + "\",\"orderId\":\"" + id + "\"}",
        200);
    assertThat(status(id.toString())).isEqualTo("paid");
  }

  @Test
  void aCrashAfterConfirmIsSettledFromStripesState() {
    stripe.deliverWebhooks(false);
    String[] order = createdOrder();
    // The node sent confirm and died before reading the answer.
    db.sql(
            "UPDATE orders SET saga_step = 'confirming', payment_status = 'processing' WHERE id = :id")
        .bind("id", UUID.fromString(order[0]))
        .then()
        .block();
    confirmAtStripe(order[1]);
    saga.resumeDue().block(Duration.ofSeconds(30));
    assertThat(status(order[0])).isEqualTo("paid");
  }

  @Test
  void stripeDownDuringCancelIsFinishedByTheSaga() {
    String[] order = paidOrder();
    stripe.failNext(3);
    exchange(HttpMethod.DELETE, "/api/orders/" + order[0], null, 502);
    saga.resumeDue().block(Duration.ofSeconds(30));
    JsonNode got = exchange(HttpMethod.GET, "/api/orders/" + order[0], null, 200).path("data");
    assertThat(got.path("status").asString()).isEqualTo("cancelled");
    assertThat(got.path("paymentStatus").asString()).isEqualTo("refunded");
    JsonNode payment = exchange(HttpMethod.GET, "/api/payments/" + order[1], null, 200);
    assertThat(payment.path("data").path("status").asString()).isEqualTo("succeeded");
  }

  // ---------------------------------------------------------------------------------------------
  // Monitoring

  @Test
  void monitoringAsTheSeedShows() {
    paidOrder();
    JsonNode health = exchange(HttpMethod.GET, "/api/monitoring/health", null, 200).path("data");
    // Public, as the seed's authentication section says of the health check (the others are not).
    http.get().uri("/api/monitoring/health").exchange().expectStatus().isOk();
    http.get().uri("/api/monitoring/metrics").exchange().expectStatus().isUnauthorized();
    assertThat(health.path("status").asString()).isIn("healthy", "degraded");
    assertThat(health.path("services").path("database").path("status").asString()).isEqualTo("up");
    assertThat(health.path("services").path("stripe").path("mode").asString()).isEqualTo("sandbox");

    JsonNode metrics =
        exchange(HttpMethod.GET, "/api/monitoring/metrics?timeRange=24h", null, 200).path("data");
    assertThat(metrics.path("orders").path("total").asLong()).isEqualTo(1);
    assertThat(metrics.path("orders").path("successful").asLong()).isEqualTo(1);
    assertThat(metrics.path("revenue").path("total").decimalValue()).isEqualByComparingTo("109.97");
    assertThat(metrics.path("revenue").path("currency").asString()).isEqualTo("usd");
    assertThat(metrics.path("integrations").path("stripe").path("calls").asLong()).isPositive();
    exchange(HttpMethod.GET, "/api/monitoring/metrics?timeRange=forever", null, 400);

    JsonNode integrations =
        exchange(HttpMethod.GET, "/api/monitoring/integrations", null, 200).path("data");
    JsonNode s = integrations.path("integrations").path("stripe");
    assertThat(s.path("name").asString()).isEqualTo("Stripe Payment Gateway");
    assertThat(s.path("mode").asString()).isEqualTo("sandbox");
    assertThat(s.path("circuit").asString()).isIn("closed", "half_open", "open");
    assertThat(s.path("lastSuccess").asString()).isNotBlank();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A new order of the tenant: {id, paymentIntentId}. */
  String[] createdOrder() {
    JsonNode order =
        exchange(HttpMethod.POST, "/api/orders", SEED_ORDER, 201).path("data").path("order");
    return new String[] {order.path("id").asString(), order.path("paymentIntentId").asString()};
  }

  String[] paidOrder() {
    String[] order = createdOrder();
    exchange(
        HttpMethod.POST,
        "/api/payments/confirm",
        "{\"paymentIntentId\":\"" + order[1] + "\",\"orderId\":\"" + order[0] + "\"}",
        200);
    return order;
  }

  String[] paidOrderWithoutWebhooks() {
    return paidOrder();
  }

  /** Confirms at Stripe directly, as a browser with Stripe.js would. */
  void confirmAtStripe(String intentId) {
    WebTestClient.bindToServer()
        .baseUrl(stripe.apiBase())
        .build()
        .post()
        .uri("/v1/payment_intents/" + intentId + "/confirm")
        .header("Authorization", "Bearer sk_test_x")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue("payment_method=pm_card_visa")
        .exchange()
        .expectStatus()
        .isOk();
  }

  String lastEvent(String type) {
    List<String> events = stripe.events();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (JSON.readTree(events.get(i)).path("type").asString().equals(type)) {
        return events.get(i);
      }
    }
    throw new AssertionError("no " + type + " event");
  }

  JsonNode webhook(String payload, String signature, int status) {
    byte[] body =
        http.post()
            .uri("/webhooks/stripe")
            .header("Stripe-Signature", signature)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(payload)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  String status(String orderId) {
    return exchange(HttpMethod.GET, "/api/orders/" + orderId, null, 200)
        .path("data")
        .path("status")
        .asString();
  }

  WebTestClient.RequestBodySpec request(HttpMethod method, String uri) {
    return http.method(method)
        .uri(uri)
        .header("Authorization", "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON);
  }

  JsonNode exchange(HttpMethod method, String uri, String body, int status) {
    WebTestClient.RequestBodySpec spec = request(method, uri);
    WebTestClient.ResponseSpec response =
        body == null ? spec.exchange() : spec.bodyValue(body).exchange();
    byte[] bytes =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    return bytes == null ? JSON.createObjectNode() : JSON.readTree(bytes);
  }
}
