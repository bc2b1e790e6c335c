package dev.cumulus.commerce.stripe.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stateful stand-in for Stripe's API on a local port, speaking its wire format: form-encoded
 * requests, JSON answers and errors, {@code Idempotency-Key} replaying the first answer for 24 h
 * (and refusing the key for other parameters with {@code idempotency_error}, as Stripe does),
 * signed webhook deliveries ({@code Stripe-Signature: t=..,v1=hex HMAC-SHA256 of "t.payload"}). It
 * keeps PaymentIntents, charges and refunds in memory.
 *
 * <p>Test cards as in Stripe's test mode: {@code pm_card_visa} (the default) succeeds, {@code
 * pm_card_chargeDeclined} is declined. {@link #failNext} answers the next calls with 500 (tests of
 * a Stripe that does not answer).
 */
public final class StripeSandbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StripeSandbox.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private final HttpServer server;
  private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String webhookSecret;
  private final Map<String, Map<String, Object>> intents = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> refunds = new ConcurrentHashMap<>();
  private final Map<String, Replay> idempotent = new ConcurrentHashMap<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile Supplier<URI> webhookTarget = () -> null;
  private volatile boolean deliverWebhooks = true;
  private volatile Duration idempotencyClockShift = Duration.ZERO;

  private record Answer(int status, String body) {}

  /**
   * The first answer to an {@code Idempotency-Key}, with what it was for: Stripe refuses the key
   * for another endpoint or other parameters rather than replaying a different request's answer.
   */
  private record Replay(String endpoint, Map<String, String> params, Answer answer, Instant at) {}

  private StripeSandbox(HttpServer server, String webhookSecret) {
    this.server = server;
    this.webhookSecret = webhookSecret;
  }

  /** Starts on {@code port} (0: any free port) of 127.0.0.1. */
  public static StripeSandbox start(int port, String webhookSecret) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      StripeSandbox sandbox = new StripeSandbox(server, webhookSecret);
      server.createContext("/v1/", sandbox::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return sandbox;
    } catch (IOException e) {
      throw new IllegalStateException("Stripe sandbox could not start", e);
    }
  }

  /**
   * The sandbox as a process of its own: {@code <port> <webhook secret> [<webhook URL>]}. Stripe
   * outlives the service that calls it; this lets several commerce-service replicas share one
   * sandbox ({@code STRIPE_SECRET_KEY=sk_test_...}, {@code
   * STRIPE_API_BASE=http://127.0.0.1:<port>}) and a test kill one of them without losing Stripe's
   * state. Runs until the process ends.
   */
  public static void main(String[] args) throws InterruptedException {
    StripeSandbox sandbox = start(Integer.parseInt(args[0]), args[1]);
    if (args.length > 2) {
      URI target = URI.create(args[2]);
      sandbox.webhookTarget(() -> target);
    }
    log.info("Stripe sandbox at {}", sandbox.apiBase());
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
    Thread.currentThread().join();
  }

  /** The API base to give stripe-java. */
  public String apiBase() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Where webhook events go (commerce-service's {@code /webhooks/stripe}); null: nowhere. */
  public void webhookTarget(Supplier<URI> target) {
    this.webhookTarget = target;
  }

  /** Stops or resumes sending events (tests deliver them themselves, see {@link #events()}). */
  public void deliverWebhooks(boolean deliver) {
    this.deliverWebhooks = deliver;
  }

  /** Every event created so far, as the JSON Stripe would POST, oldest first. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /**
   * The next {@code count} POSTs (calls that change something) answer 500 {@code api_error}; reads
   * still work.
   */
  public void failNext(int count) {
    failures.set(count);
  }

  /**
   * Moves the clock that ages {@code Idempotency-Key}s forward by {@code by} (tests of Stripe's 24
   * h window; PaymentIntents and webhook timestamps keep the real time).
   */
  public void advanceIdempotencyClock(Duration by) {
    idempotencyClockShift = idempotencyClockShift.plus(by);
  }

  /** The header Stripe would send with {@code payload} at {@code timestamp} (epoch seconds). */
  public String signature(String payload, long timestamp) {
    return "t=" + timestamp + ",v1=" + hmac(timestamp + "." + payload);
  }

  @Override
  public void close() {
    server.stop(0);
    deliveries.shutdownNow();
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      Map<String, String> params = form(exchange);
      Answer answer;
      if ("POST".equals(method) && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer = error(500, "api_error", null, "An unexpected error occurred (sandbox failure)");
      } else if (key != null && "POST".equals(method)) {
        Replay replay = idempotently(key, path, params);
        answer = replay.answer();
        if (replay.params() != null && replay.params() != params) {
          // The first request's answer, not this one's.
          exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
        }
      } else {
        synchronized (this) {
          answer = route(method, path, params);
        }
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Request-Id", "req_" + random());
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (RuntimeException e) {
      log.warn("Stripe sandbox failed a request", e);
    }
  }

  /**
   * Stripe's idempotency: the first request with a key runs and its answer is kept for 24 hours; a
   * later one with the same endpoint and parameters gets that answer again, one with another
   * endpoint or other parameters a 400 {@code idempotency_error} (a replay without parameters). A
   * replay of an earlier request carries that request's parameter map, not {@code params}.
   */
  private synchronized Replay idempotently(String key, String path, Map<String, String> params) {
    Instant now = Instant.now().plus(idempotencyClockShift);
    idempotent.values().removeIf(r -> r.at().plus(IDEMPOTENCY_WINDOW).isBefore(now));
    Replay first = idempotent.get(key);
    if (first == null) {
      Replay replay = new Replay(path, params, route("POST", path, params), now);
      idempotent.put(key, replay);
      return replay;
    }
    if (!first.endpoint().equals(path)) {
      return refused(
          "Keys for idempotent requests can only be used for the same endpoint they were first"
              + " used for ('"
              + first.endpoint()
              + "' vs '"
              + path
              + "'). Try using a key other than '"
              + key
              + "' if you meant to execute a different request.");
    }
    if (!new TreeMap<>(first.params()).equals(new TreeMap<>(params))) {
      return refused(
          "Keys for idempotent requests can only be used with the same parameters they were first"
              + " used with. Try using a key other than '"
              + key
              + "' if you meant to execute a different request.");
    }
    return first;
  }

  private static Replay refused(String message) {
    return new Replay(null, null, error(400, "idempotency_error", null, message), null);
  }

  private Answer route(String method, String path, Map<String, String> params) {
    String[] parts = path.substring("/v1/".length()).split("/");
    return switch (method + " " + parts[0] + "/" + parts.length) {
      case "POST payment_intents/1" -> createIntent(params);
      case "GET payment_intents/1" -> listIntents();
      case "GET payment_intents/2" -> withIntent(parts[1], intent -> ok(intent));
      case "POST payment_intents/3" ->
          switch (parts[2]) {
            case "confirm" -> withIntent(parts[1], intent -> confirm(intent, params));
            case "cancel" -> withIntent(parts[1], this::cancel);
            default -> unknown(path);
          };
      case "POST refunds/1" -> refund(params);
      case "GET refunds/1" -> listRefunds(params.get("payment_intent"));
      default -> unknown(path);
    };
  }

  private Answer createIntent(Map<String, String> params) {
    long amount;
    try {
      amount = Long.parseLong(params.getOrDefault("amount", ""));
    } catch (NumberFormatException e) {
      return error(
          400, "invalid_request_error", "parameter_missing", "Missing required param: amount.");
    }
    if (amount < 1 || params.get("currency") == null) {
      return error(
          400, "invalid_request_error", "parameter_invalid_integer", "Invalid amount or currency.");
    }
    String id = "pi_" + random();
    Map<String, Object> intent = new LinkedHashMap<>();
    intent.put("id", id);
    intent.put("object", "payment_intent");
    intent.put("amount", amount);
    intent.put("amount_received", 0L);
    intent.put("currency", params.get("currency"));
    intent.put("status", "requires_payment_method");
    intent.put("client_secret", id + "_secret_" + random());
    intent.put("created", now());
    intent.put("livemode", false);
    intent.put("latest_charge", null);
    intent.put("last_payment_error", null);
    intent.put("metadata", prefixed(params, "metadata"));
    intents.put(id, intent);
    return ok(intent);
  }

  private Answer confirm(Map<String, Object> intent, Map<String, String> params) {
    String status = (String) intent.get("status");
    if (!status.equals("requires_payment_method") && !status.equals("requires_confirmation")) {
      return unexpectedState(intent, "confirm");
    }
    String method = params.getOrDefault("payment_method", "pm_card_visa");
    if (method.equals("pm_card_chargeDeclined")) {
      intent.put("status", "requires_payment_method");
      intent.put(
          "last_payment_error",
          Map.of(
              "type", "card_error", "code", "card_declined", "message", "Your card was declined."));
      event("payment_intent.payment_failed", intent);
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("type", "card_error");
      err.put("code", "card_declined");
      err.put("decline_code", "generic_decline");
      err.put("message", "Your card was declined.");
      err.put("payment_intent", intent);
      return new Answer(402, JSON.writeValueAsString(Map.of("error", err)));
    }
    intent.put("status", "succeeded");
    intent.put("amount_received", intent.get("amount"));
    intent.put("latest_charge", "ch_" + random());
    intent.put("last_payment_error", null);
    event("payment_intent.succeeded", intent);
    return ok(intent);
  }

  private Answer cancel(Map<String, Object> intent) {
    String status = (String) intent.get("status");
    if (status.equals("succeeded") || status.equals("canceled")) {
      return unexpectedState(intent, "cancel");
    }
    intent.put("status", "canceled");
    intent.put("canceled_at", now());
    event("payment_intent.canceled", intent);
    return ok(intent);
  }

  private Answer refund(Map<String, String> params) {
    Map<String, Object> intent = intents.get(params.get("payment_intent"));
    if (intent == null) {
      return error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
    }
    if (!"succeeded".equals(intent.get("status"))) {
      return error(
          400,
          "invalid_request_error",
          "charge_not_refundable",
          "This PaymentIntent has no successful charge to refund.");
    }
    long received = (Long) intent.get("amount_received");
    long refunded = refundedTotal((String) intent.get("id"));
    long amount =
        params.containsKey("amount") ? Long.parseLong(params.get("amount")) : received - refunded;
    if (amount < 1 || refunded + amount > received) {
      return error(
          400,
          "invalid_request_error",
          "amount_too_large",
          "Refund amount ("
              + amount
              + ") is greater than unrefunded amount on charge ("
              + (received - refunded)
              + ")");
    }
    Map<String, Object> refund = new LinkedHashMap<>();
    refund.put("id", "re_" + random());
    refund.put("object", "refund");
    refund.put("amount", amount);
    refund.put("currency", intent.get("currency"));
    refund.put("charge", intent.get("latest_charge"));
    refund.put("payment_intent", intent.get("id"));
    refund.put("reason", params.get("reason"));
    refund.put("status", "succeeded");
    refund.put("created", now());
    refund.put("metadata", prefixed(params, "metadata"));
    refunds.put((String) refund.get("id"), refund);
    Map<String, Object> charge = new LinkedHashMap<>();
    charge.put("id", intent.get("latest_charge"));
    charge.put("object", "charge");
    charge.put("payment_intent", intent.get("id"));
    charge.put("amount", received);
    charge.put("amount_captured", received);
    charge.put("amount_refunded", refunded + amount);
    charge.put("refunded", refunded + amount == received);
    charge.put("currency", intent.get("currency"));
    event("charge.refunded", charge);
    return ok(refund);
  }

  /** Every PaymentIntent, oldest first, in one page (Stripe pages by 100; the sandbox does not). */
  private Answer listIntents() {
    List<Map<String, Object>> data =
        intents.values().stream()
            .sorted(Comparator.comparingLong((Map<String, Object> i) -> (Long) i.get("created")))
            .toList();
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("object", "list");
    list.put("data", data);
    list.put("has_more", false);
    list.put("url", "/v1/payment_intents");
    return ok(list);
  }

  private Answer listRefunds(String intentId) {
    List<Map<String, Object>> data =
        refunds.values().stream()
            .filter(r -> intentId == null || intentId.equals(r.get("payment_intent")))
            .toList();
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("object", "list");
    list.put("data", data);
    list.put("has_more", false);
    list.put("url", "/v1/refunds");
    return ok(list);
  }

  private long refundedTotal(String intentId) {
    return refunds.values().stream()
        .filter(r -> intentId.equals(r.get("payment_intent")))
        .mapToLong(r -> (Long) r.get("amount"))
        .sum();
  }

  private Answer withIntent(
      String id, java.util.function.Function<Map<String, Object>, Answer> then) {
    Map<String, Object> intent = intents.get(id);
    return intent == null
        ? error(
            404,
            "invalid_request_error",
            "resource_missing",
            "No such payment_intent: '" + id + "'")
        : then.apply(intent);
  }

  private Answer unexpectedState(Map<String, Object> intent, String action) {
    return error(
        400,
        "invalid_request_error",
        "payment_intent_unexpected_state",
        "You cannot "
            + action
            + " this PaymentIntent because it has a status of "
            + intent.get("status")
            + ".");
  }

  private void event(String type, Map<String, Object> object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", "evt_" + random());
    event.put("object", "event");
    event.put("api_version", com.stripe.Stripe.API_VERSION);
    event.put("created", now());
    event.put("livemode", false);
    event.put("type", type);
    event.put("data", Map.of("object", new LinkedHashMap<>(object)));
    String payload = JSON.writeValueAsString(event);
    events.add(payload);
    URI target = webhookTarget.get();
    if (deliverWebhooks && target != null) {
      deliveries.execute(() -> deliver(target, payload));
    }
  }

  /** Stripe retries failed deliveries for days; the sandbox tries three times. */
  private void deliver(URI target, String payload) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", signature(payload, now()))
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 300) {
          return;
        }
        log.warn("Stripe sandbox: webhook answered {}", status);
      } catch (IOException e) {
        log.warn("Stripe sandbox: webhook delivery failed: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(500L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Answer ok(Object body) {
    return new Answer(200, JSON.writeValueAsString(body));
  }

  private static Answer unknown(String path) {
    return error(404, "invalid_request_error", null, "Unrecognized request URL (" + path + ").");
  }

  private static Answer error(int status, String type, String code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    error.put("message", message);
    return new Answer(status, JSON.writeValueAsString(Map.of("error", error)));
  }

  /** {@code metadata[orderId]=..} → {orderId: ..}. */
  private static Map<String, String> prefixed(Map<String, String> params, String prefix) {
    Map<String, String> values = new LinkedHashMap<>();
    params.forEach(
        (name, value) -> {
          if (name.startsWith(prefix + "[") && name.endsWith("]")) {
            values.put(name.substring(prefix.length() + 1, name.length() - 1), value);
          }
        });
    return values;
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> params = new LinkedHashMap<>();
    List<String> pairs = new ArrayList<>();
    for (String source : new String[] {query, body}) {
      if (source != null && !source.isEmpty()) {
        pairs.addAll(List.of(source.split("&")));
      }
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String random() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }
}
