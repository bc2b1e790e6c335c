package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code kill -9} of commerce-service while clients create and pay orders: after a restart on the
 * same database, no order has a second PaymentIntent or was charged twice, every PaymentIntent
 * belongs to an order, and no order is left owing a step: it is paid exactly when Stripe captured
 * its payment. Stripe (the sandbox, run as a process of its own, as Stripe outlives the service)
 * keeps its state across the crash.
 */
class CommerceCrashIT {

  static final String SECRET = "whsec_crash_test";

  @Test
  void killedWhileOrdersAreCreatedAndPaidNoOrderIsChargedTwiceOrStuck() throws Exception {
    Cumulus cumulus = Cumulus.get();
    Api shared = new Api(cumulus.viaGateway());
    String tenant = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    String token = CommerceSeedExamplesIT.tenantAdmin(shared, cumulus.adminToken(shared), tenant);

    int commercePort = FreePorts.next();
    int stripePort = FreePorts.next();
    Map<String, String> env = cumulus.infrastructure(cumulus.auth.baseUrl());
    env.put("CUMULUS_COMMERCE_DB", PostgresServer.uniqueDatabaseName("e2e_commerce_crash"));
    env.put("CUMULUS_AUTH_URL", cumulus.auth.baseUrl());
    env.put("CUMULUS_INTERNAL_SECRET", cumulus.internalSecret);
    // A Stripe key and base: the service talks to the sandbox process as it would to Stripe.
    env.put("STRIPE_SECRET_KEY", "sk_test_crash");
    env.put("STRIPE_API_BASE", "http://127.0.0.1:" + stripePort);
    env.put("STRIPE_WEBHOOK_SECRET", SECRET);
    List<String> args =
        List.of(
            "--cumulus.commerce.stripe.saga-interval=1s",
            "--cumulus.commerce.stripe.saga-grace=2s",
            "--cumulus.commerce.stripe.call-timeout=3s");
    // The sandbox starts while commerce-service does: it needs the address, not an answer.
    ServiceProcess commerce = ServiceProcess.launch("commerce-service", commercePort, env, args);
    Process stripe = null;
    try {
      stripe = stripeSandbox(stripePort, "http://127.0.0.1:" + commercePort + "/webhooks/stripe");
      commerce.awaitReady();
    } catch (IOException | RuntimeException e) {
      commerce.close();
      if (stripe != null) {
        stripe.destroy();
      }
      throw e;
    }
    try {
      Api api = new Api(TestClients.http(commercePort));
      Consumer<HttpHeaders> auth = bearer(token);

      // Clients create an order and confirm its payment, over and over, until the crash.
      AtomicBoolean crashed = new AtomicBoolean();
      AtomicInteger created = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 8; i++) {
        clients.execute(
            () -> {
              while (!crashed.get()) {
                try {
                  Api.Answer order =
                      api.post("/api/orders", auth, CommerceSeedExamplesIT.SEED_ORDER);
                  if (order.status() == 201) {
                    created.incrementAndGet();
                    api.post(
                        "/api/payments/confirm",
                        auth,
                        Map.of(
                            "paymentIntentId", order.at("data.order.paymentIntentId"),
                            "orderId", order.at("data.order.id")));
                  }
                } catch (RuntimeException | AssertionError connectionLost) {
                  // The service died under this call: what it left is the point of the test.
                }
              }
            });
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> created.get() >= 20);
      commerce.kill();
      crashed.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      commerce = ServiceProcess.start("commerce-service", commercePort, env, args);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertConsistent(api, auth, stripePort));
    } finally {
      commerce.close();
      stripe.destroy();
      stripe.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Stripe and the orders agree, and nothing was charged twice. */
  @SuppressWarnings("unchecked")
  static void assertConsistent(Api api, Consumer<HttpHeaders> auth, int stripePort) {
    Map<String, Map<String, Object>> orders = new HashMap<>();
    String lastKey = null;
    do {
      Api.Answer page =
          api.get("/api/orders?limit=100" + (lastKey == null ? "" : "&lastKey=" + lastKey), auth)
              .expect(200);
      for (Map<String, Object> summary : page.list("data")) {
        String id = (String) summary.get("id");
        orders.put(id, api.get("/api/orders/" + id, auth).expect(200).at("data"));
      }
      lastKey = page.at("pagination.lastKey");
    } while (lastKey != null);
    assertThat(orders).as("orders created before the crash").hasSizeGreaterThanOrEqualTo(20);

    Map<String, Object> list =
        WebTestClient.bindToServer()
            .baseUrl("http://127.0.0.1:" + stripePort)
            .build()
            .get()
            .uri("/v1/payment_intents")
            .header("Authorization", "Bearer sk_test_crash")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    Map<String, Map<String, Object>> intentByOrder = new HashMap<>();
    for (Map<String, Object> intent : (List<Map<String, Object>>) list.get("data")) {
      String orderId = (String) ((Map<String, Object>) intent.get("metadata")).get("orderId");
      assertThat(orders).as("the order of %s", intent.get("id")).containsKey(orderId);
      assertThat(intentByOrder.put(orderId, intent))
          .as("a second PaymentIntent for order %s", orderId)
          .isNull();
      assertThat(((Number) intent.get("amount_received")).longValue()).isIn(0L, 10997L);
    }
    List<String> inconsistent = new ArrayList<>();
    for (Map<String, Object> order : orders.values()) {
      Map<String, Object> intent = intentByOrder.get((String) order.get("id"));
      String status = (String) order.get("status");
      boolean captured = intent != null && ((Number) intent.get("amount_received")).longValue() > 0;
      boolean consistent =
          switch (status) {
            case "paid" -> captured && "completed".equals(order.get("paymentStatus"));
            // Waiting for the customer: its PaymentIntent exists and took no money.
            case "pending" -> intent != null && !captured;
            // Stripe could not be reached in time: nothing may stay charged.
            case "failed" -> !captured;
            default -> false;
          };
      if (!consistent) {
        inconsistent.add(order + " / Stripe: " + intent);
      }
    }
    assertThat(inconsistent).as("orders not in line with Stripe").isEmpty();
  }

  /** The Stripe sandbox of commerce-service's jar, run as a process of its own. */
  static Process stripeSandbox(int port, String webhookUrl) throws IOException {
    String root = System.getProperty("cumulus.e2e.root", "..");
    String version = System.getProperty("cumulus.e2e.version", "0.1.0-SNAPSHOT");
    Path jar = Path.of(root, "commerce-service", "target", "commerce-service-" + version + ".jar");
    Path log =
        Files.createDirectories(Path.of(System.getProperty("cumulus.e2e.logs", "target/e2e-logs")))
            .resolve("stripe-sandbox-" + port + ".log");
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-Dloader.main=dev.cumulus.commerce.stripe.sandbox.StripeSandbox",
                "-cp",
                jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                String.valueOf(port),
                SECRET,
                webhookUrl)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    WebTestClient stripe = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  stripe
                          .get()
                          .uri("/v1/payment_intents")
                          .exchange()
                          .returnResult(String.class)
                          .getStatus()
                          .value()
                      == 200);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new UncheckedIOException(new IOException("Stripe sandbox did not start: " + log, e));
    }
    return process;
  }
}
