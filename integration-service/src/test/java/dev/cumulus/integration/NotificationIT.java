package dev.cumulus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002's notifications made from platform events: the exact list envelope, mark read per user,
 * filters and paging, e-mails through SendGrid's Java client into the local SendGrid fake (per-user
 * preferences), the {@code notification.created} event for the updater's WebSocket, and tenant
 * isolation.
 */
class NotificationIT extends IntegrationServiceIT {

  @Autowired DatabaseClient db;

  @Test
  void anUpdateEventBecomesANotificationAnEmailAndAnEvent() {
    try (KafkaConsumer<String, byte[]> events = TestClients.kafkaConsumer("cumulus.integration")) {
      JsonNode prefs =
          call(
              "PUT",
              "/api/notifications/preferences",
              Map.of("email", "ops@example.com", "email_enabled", true),
              200);
      assertThat(prefs.path("success").asBoolean()).isTrue();
      assertThat(prefs.path("data").path("email").asString()).isEqualTo("ops@example.com");

      IntegrationTestSupport.publish("updater", tenant, "update", "completed", updateCompleted());

      JsonNode item = awaitNotifications(1).get(0);
      assertThat(item.path("id").isNumber()).isTrue();
      assertThat(item.path("type").asString()).isEqualTo("update_completed");
      assertThat(item.path("title").asString()).isEqualTo("Container Update Completed");
      assertThat(item.path("message").asString())
          .isEqualTo("web-server has been successfully updated to nginx:latest");
      assertThat(item.path("level").asString()).isEqualTo("info");
      assertThat(item.path("read").asBoolean()).isFalse();
      assertThat(item.path("created_at").asString()).isNotBlank();
      assertThat(item.path("data").path("update_id").asString()).isEqualTo("update_uuid");

      // the e-mail, sent with SendGrid's client, is in the local inbox
      await().atMost(Duration.ofSeconds(30)).until(() -> inbox().size() == 1);
      JsonNode mail = inbox().get(0);
      assertThat(mail.path("to").get(0).asString()).isEqualTo("ops@example.com");
      assertThat(mail.path("subject").asString()).isEqualTo("[Cumulus] Container Update Completed");
      assertThat(mail.path("text").asString()).contains("web-server has been successfully updated");
      assertThat(mail.path("html").asString())
          .contains("<h2")
          .contains("Container Update Completed");

      // pushed on for the updater's WebSocket subscribers
      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                events.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream()
                    .anyMatch(
                        r ->
                            "dev.cumulus.integration.notification.created.v1"
                                    .equals(header(r, CloudEventHeaders.TYPE))
                                && tenant.equals(header(r, CloudEventHeaders.TENANT_ID))
                                && new String(r.value(), StandardCharsets.UTF_8)
                                    .contains("update_completed"));
              });
    }
  }

  @Test
  void markReadIsPerUserAndFiltersAndPagesWork() {
    for (int i = 0; i < 3; i++) {
      IntegrationTestSupport.publish(
          "updater",
          tenant,
          "update",
          "failed",
          Map.of("container", Map.of("name", "db-" + i), "error", "pull denied"));
    }
    JsonNode items = awaitNotifications(3);
    assertThat(items.get(0).path("level").asString()).isEqualTo("error");
    assertThat(items.get(0).path("message").asString())
        .startsWith("Updating db-")
        .endsWith("pull denied");
    long id = items.get(0).path("id").asLong();

    JsonNode read = call("PUT", "/api/notifications/" + id + "/read", null, 200);
    assertThat(read.path("success").asBoolean()).isTrue();
    call("PUT", "/api/notifications/" + id + "/read", null, 200); // idempotent

    JsonNode unread = call("GET", "/api/notifications?read=false", null, 200).path("data");
    assertThat(unread.path("items").size()).isEqualTo(2);
    JsonNode readOnes = call("GET", "/api/notifications?read=true", null, 200).path("data");
    assertThat(readOnes.path("items").get(0).path("id").asLong()).isEqualTo(id);

    // another user of the tenant has not read it
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, "user");
    claims.put("sub", "second-user");
    String second = TestJwtIssuer.shared().token(claims);
    assertThat(
            call(second, "GET", "/api/notifications?read=false", null, 200)
                .path("data")
                .path("items")
                .size())
        .isEqualTo(3);

    JsonNode page = call("GET", "/api/notifications?page=2&limit=2", null, 200).path("data");
    assertThat(page.path("items").size()).isEqualTo(1);
    JsonNode pagination = page.path("pagination");
    assertThat(pagination.path("page").asInt()).isEqualTo(2);
    assertThat(pagination.path("limit").asInt()).isEqualTo(2);
    assertThat(pagination.path("total").asInt()).isEqualTo(3);
    assertThat(pagination.path("pages").asInt()).isEqualTo(2);
    assertThat(pagination.path("has_next").asBoolean()).isFalse();
    assertThat(pagination.path("has_prev").asBoolean()).isTrue();
    assertThat(
            call("GET", "/api/notifications?type=update_completed", null, 200)
                .path("data")
                .path("items")
                .size())
        .isZero();

    // errors in seed 002's envelope
    JsonNode bad = call("GET", "/api/notifications?limit=1000", null, 400);
    assertThat(bad.path("success").asBoolean()).isFalse();
    call("PUT", "/api/notifications/999999999/read", null, 404);
    call("PUT", "/api/notifications/abc/read", null, 404);
    call(null, "GET", "/api/notifications", null, 401);
  }

  @Test
  void tenantsSeeOnlyTheirOwnNotifications() {
    IntegrationTestSupport.publish("updater", tenant, "update", "completed", updateCompleted());
    long id = awaitNotifications(1).get(0).path("id").asLong();
    String other = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(
            call(other, "GET", "/api/notifications", null, 200).path("data").path("items").size())
        .isZero();
    call(other, "PUT", "/api/notifications/" + id + "/read", null, 404);
    assertThat(
            call(other, "GET", "/api/integrations/mail/inbox/", null, 200)
                .path("data")
                .path("results")
                .size())
        .isZero();
  }

  @Test
  void emailPreferencesChooseTheKinds() {
    call(
        "PUT",
        "/api/notifications/preferences",
        Map.of("email", "pay@example.com", "email_types", List.of("payment_failed")),
        200);
    IntegrationTestSupport.publish("updater", tenant, "update", "completed", updateCompleted());
    IntegrationTestSupport.publish(
        "commerce",
        tenant,
        "payment",
        "failed",
        Map.of("orderId", "ord_1", "reason", "card declined"));
    awaitNotifications(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> inbox().size() == 1);
    assertThat(inbox().get(0).path("subject").asString()).isEqualTo("[Cumulus] Payment Failed");

    call("PUT", "/api/notifications/preferences", Map.of("email_types", List.of("nonsense")), 400);
    call("PUT", "/api/notifications/preferences", Map.of("email", "not-an-address"), 400);
    // events that are no notification kind make none
    IntegrationTestSupport.publish("storage", tenant, "object", "created", Map.of("key", "k"));
    IntegrationTestSupport.publish(
        "commerce", tenant, "payment", "succeeded", Map.of("orderId", "ord_2"));
    awaitNotifications(3);
    assertThat(
            call("GET", "/api/notifications?type=payment_succeeded", null, 200)
                .path("data")
                .path("items")
                .get(0)
                .path("message")
                .asString())
        .isEqualTo("Payment for ord_2 succeeded");
  }

  @Test
  void theSendGridFakeSpeaksSendGridsWireFormat() {
    String mail =
        """
        {"personalizations":[{"to":[{"email":"a@example.com"}]}],
         "from":{"email":"me@example.com"},"subject":"Hi",
         "content":[{"type":"text/plain","value":"Hello"}],
         "custom_args":{"tenant_id":"%s"}}
        """
            .formatted(tenant);
    http.post()
        .uri("/v3/mail/send")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mail)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.errors[0].message")
        .isNotEmpty();
    http.post()
        .uri("/v3/mail/send")
        .header("Authorization", "Bearer SG.wrong")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mail)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    http.post()
        .uri("/v3/mail/send")
        .header("Authorization", "Bearer SG.cumulus-local-inbox")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"from\":{\"email\":\"me@example.com\"}}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("personalizations");
    String id =
        http.post()
            .uri("/v3/mail/send")
            .header("Authorization", "Bearer SG.cumulus-local-inbox")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(mail)
            .exchange()
            .expectStatus()
            .isAccepted()
            .returnResult(String.class)
            .getResponseHeaders()
            .getFirst("X-Message-Id");
    assertThat(id).isNotBlank();
    JsonNode inbox = inbox();
    assertThat(inbox.size()).isEqualTo(1);
    assertThat(inbox.get(0).path("id").asString()).isEqualTo(id);
    assertThat(inbox.get(0).path("text").asString()).isEqualTo("Hello");
  }

  @Test
  void anInstanceBecomingReadyIsANotification() {
    // as platform-data's InstanceRegistry reports it: seed 000's webhook shape as the data
    Map<String, Object> payload =
        Map.of(
            "eventType", "instance.ready",
            "timestamp", "2026-12-06T07:00:00Z",
            "tenantId", tenant,
            "serviceId", "svc-42",
            "data", Map.of("serviceName", "documents", "serviceType", "s3storage"));
    IntegrationTestSupport.publish("storage", tenant, "instance", "ready", payload);
    JsonNode item = awaitNotifications(1).get(0);
    assertThat(item.path("type").asString()).isEqualTo("service_ready");
    assertThat(item.path("message").asString()).isEqualTo("Service documents is ready");
    assertThat(item.path("data").path("serviceId").asString()).isEqualTo("svc-42");
  }

  /**
   * A mail SendGrid cannot take now (the local fake failing with a 500 while its inbox table is
   * away) stays queued and is retried, never dropped; once it can go, it goes.
   */
  @Test
  void aMailSendGridCannotTakeNowIsRetriedUntilItIsSent() {
    db.sql("ALTER TABLE fake_mails RENAME TO fake_mails_away").then().block();
    UUID id;
    try {
      id = queueMail("fine@example.com", "Retry me");
      await().atMost(Duration.ofSeconds(30)).until(() -> mailRow(id).path("attempts").asInt() >= 3);
      JsonNode row = mailRow(id);
      assertThat(row.path("status").asString()).isEqualTo("pending");
      assertThat(row.path("last_error").asString()).contains("500");
    } finally {
      db.sql("ALTER TABLE fake_mails_away RENAME TO fake_mails").then().block();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mailRow(id).path("status").asString().equals("sent"));
    assertThat(inbox().get(0).path("subject").asString()).isEqualTo("Retry me");
  }

  /**
   * A mail SendGrid refuses for good (the fake's 400 for an address without '@') is tried once,
   * then kept as a dead letter that its tenant, and only its tenant, sees with the refusal.
   */
  @Test
  void aMailRefusedForGoodIsADeadLetterItsTenantSees() {
    UUID id = queueMail("no-at-sign", "Undeliverable");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mailRow(id).path("status").asString().equals("dead"));
    JsonNode dead = call("GET", "/api/integrations/mail/dead-letters/", null, 200);
    assertThat(dead.path("status").asString()).isEqualTo("success");
    JsonNode letter = dead.path("data").path("results").get(0);
    assertThat(letter.path("id").asString()).isEqualTo(id.toString());
    assertThat(letter.path("to").asString()).isEqualTo("no-at-sign");
    assertThat(letter.path("subject").asString()).isEqualTo("Undeliverable");
    assertThat(letter.path("error").asString()).contains("400").contains("personalizations");
    assertThat(letter.path("dead_at").asString()).isNotBlank();

    // Not retried: after several poll intervals it was still tried once.
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(mailRow(id).path("attempts").asInt()).isEqualTo(1);
    assertThat(mailRow(id).path("status").asString()).isEqualTo("dead");

    String other = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    JsonNode othersView = call(other, "GET", "/api/integrations/mail/dead-letters", null, 200);
    assertThat(othersView.path("data").path("results").size()).isZero();
    call("GET", "/api/integrations/mail/dead-letters/?limit=0", null, 400);
  }

  private UUID queueMail(String to, String subject) {
    UUID id = UUID.randomUUID();
    db.sql(
            "INSERT INTO mail_outbox (id, tenant_id, to_address, subject, text_body, html_body)"
                + " VALUES (:id, :t, :to, :subject, 'text', '<p>html</p>')")
        .bind("id", id)
        .bind("t", tenant)
        .bind("to", to)
        .bind("subject", subject)
        .then()
        .block();
    return id;
  }

  private JsonNode mailRow(UUID id) {
    return db.sql(
            "SELECT status, attempts, coalesce(last_error, '') AS last_error FROM mail_outbox WHERE id = :id")
        .bind("id", id)
        .map(
            row ->
                (JsonNode)
                    IntegrationTestSupport.JSON.valueToTree(
                        Map.of(
                            "status", row.get("status", String.class),
                            "attempts", row.get("attempts", Integer.class),
                            "last_error", row.get("last_error", String.class))))
        .one()
        .block();
  }

  private JsonNode awaitNotifications(int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                call("GET", "/api/notifications", null, 200).path("data").path("items").size()
                    >= count);
    JsonNode body = call("GET", "/api/notifications", null, 200);
    assertThat(body.path("success").asBoolean()).isTrue();
    assertThat(body.path("meta").path("version").asString()).isEqualTo("v1");
    return body.path("data").path("items");
  }

  private JsonNode inbox() {
    JsonNode body = call("GET", "/api/integrations/mail/inbox/", null, 200);
    assertThat(body.path("status").asString()).isEqualTo("success");
    return body.path("data").path("results");
  }

  private static Map<String, Object> updateCompleted() {
    return Map.of(
        "container",
        Map.of("id", 1, "name", "web-server"),
        "image",
        "nginx:latest",
        "container_id",
        1,
        "update_id",
        "update_uuid");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
