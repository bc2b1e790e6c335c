package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 26's "done when", across real processes: a tenant registers a webhook through the gateway,
 * uploads a file with the stock S3 SDK, and a local receiver gets the signed {@code object.created}
 * delivery from integration-service (storage-service → Kafka → integration-service → HTTP), which
 * it verifies as a Standard Webhooks receiver would; the attempt log shows it; an instance becoming
 * ready is an in-app notification and an e-mail in the local inbox. Another tenant sees none of it.
 */
class WebhooksThroughGatewayIT {

  record Delivery(Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  static Cumulus cumulus;
  static Api api;
  static HttpServer receiver;
  static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cumulus = Cumulus.get();
    api = new Api(cumulus.viaGateway());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
          deliveries.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), body));
          byte[] thanks = "thanks".getBytes(UTF_8);
          exchange.sendResponseHeaders(200, thanks.length);
          exchange.getResponseBody().write(thanks);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
  }

  @Test
  void anUploadIsDeliveredSignedAndAReadyInstanceIsNotifiedAndMailed() throws Exception {
    String tenant = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
    String owner = CommerceSeedExamplesIT.tenantAdmin(api, cumulus.adminToken(api), tenant);
    String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

    // 1. The endpoint, for object events; its secret is shown once.
    Api.Answer hook =
        api.post(
                "/api/webhooks",
                bearer(owner),
                Map.of("url", hookUrl, "events", List.of("object.*"), "description", "e2e"))
            .expect(201);
    String hookId = hook.at("id");
    String secret = hook.at("secret");
    assertThat(secret).startsWith("whsec_");

    // 2. E-mails for every kind, at the owner's address.
    api.put(
            "/api/notifications/preferences",
            bearer(owner),
            Map.of("email", "owner@" + tenant + ".example", "email_enabled", true))
        .expect(200);

    // 3. An upload with the stock SDK through the gateway.
    Api.Answer instance =
        api.post(
                "/api/services",
                bearer(owner),
                Map.of("serviceName", "hooked", "serviceType", "s3storage"))
            .expect(201);
    try (S3Client s3 =
        S3Clients.of(
            URI.create(cumulus.gateway.baseUrl() + "/s3"),
            instance.at("s3Credentials.accessKeyId"),
            instance.at("s3Credentials.secretAccessKey"),
            false)) {
      S3ThroughGatewayIT.awaitAccepted(() -> s3.createBucket(b -> b.bucket("hooked")));
      s3.putObject(b -> b.bucket("hooked").key("hello.txt"), RequestBody.fromString("hi, hooks"));
    }

    // 4. The receiver gets object.created, signed with the endpoint's secret.
    Delivery delivery =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    deliveries.stream()
                        .filter(d -> d.body().contains("\"hello.txt\""))
                        .findFirst()
                        .orElse(null),
                d -> d != null);
    assertThat(delivery.body()).contains("\"event\":\"object.created\"");
    assertThat(delivery.body()).contains("\"bucket\":\"hooked\"");
    assertThat(verifiesAsStandardWebhook(secret, delivery)).isTrue();
    String anotherSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(verifiesAsStandardWebhook(anotherSecret, delivery)).isFalse();
    assertThat(delivery.header("X-Signature"))
        .isEqualTo(
            "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(UTF_8), delivery.body())));

    // 5. The attempt log through the gateway.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> attempts =
                  api.get("/api/webhooks/" + hookId + "/attempts", bearer(owner))
                      .expect(200)
                      .list("attempts");
              assertThat(attempts)
                  .anySatisfy(
                      a -> {
                        assertThat(a).containsEntry("statusCode", 200);
                        assertThat(a).containsEntry("eventType", "object.created");
                        assertThat(a.get("responseExcerpt")).isEqualTo("thanks");
                      });
            });

    // 6. The instance becoming ready: an in-app notification (seed 002's envelope) and an e-mail.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Api.Answer notifications = api.get("/api/notifications", bearer(owner)).expect(200);
              assertThat(notifications.body()).containsEntry("success", true);
              assertThat(notifications.list("data.items"))
                  .anySatisfy(n -> assertThat(n.get("type")).isEqualTo("service_ready"));
              assertThat(
                      api.get("/api/integrations/mail/inbox/", bearer(owner))
                          .expect(200)
                          .list("data.results"))
                  .anySatisfy(
                      mail ->
                          assertThat(String.valueOf(mail.get("to")))
                              .contains("owner@" + tenant + ".example"));
            });

    // 7. Another tenant sees neither the endpoint, its attempts, nor the notifications.
    String other =
        CommerceSeedExamplesIT.tenantAdmin(
            api, cumulus.adminToken(api), "other-" + UUID.randomUUID().toString().substring(0, 8));
    api.get("/api/webhooks/" + hookId, bearer(other)).expect(404);
    api.get("/api/webhooks/" + hookId + "/attempts", bearer(other)).expect(404);
    assertThat(api.get("/api/webhooks", bearer(other)).expect(200).list("webhooks")).isEmpty();
    assertThat(api.get("/api/notifications", bearer(other)).expect(200).list("data.items"))
        .isEmpty();
  }

  /** Standard Webhooks: HMAC-SHA256 of "id.timestamp.body" under the secret's base64 bytes. */
  static boolean verifiesAsStandardWebhook(String secret, Delivery delivery) throws Exception {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    String signed =
        delivery.header("webhook-id")
            + "."
            + delivery.header("webhook-timestamp")
            + "."
            + delivery.body();
    byte[] expected = ("v1," + Base64.getEncoder().encodeToString(hmac(key, signed))).getBytes();
    for (String signature : delivery.header("webhook-signature").split(" ")) {
      if (MessageDigest.isEqual(expected, signature.getBytes())) {
        return true;
      }
    }
    return false;
  }

  static byte[] hmac(byte[] key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(UTF_8));
  }
}
