package dev.cumulus.commerce.mail.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for SendGrid's {@code POST /v3/mail/send} on a local port: a request with a bearer key
 * and a personalization is accepted with 202 and an {@code X-Message-Id}, as SendGrid does, and
 * kept; {@code GET /inbox} lists what was sent (newest last) so a person or a test can read it.
 */
public final class SendGridSandbox implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final List<JsonNode> inbox = new CopyOnWriteArrayList<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  private SendGridSandbox(HttpServer server) {
    this.server = server;
  }

  public static SendGridSandbox start(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      SendGridSandbox sandbox = new SendGridSandbox(server);
      server.createContext("/v3/mail/send", sandbox::send);
      server.createContext("/inbox", sandbox::list);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
      return sandbox;
    } catch (IOException e) {
      throw new IllegalStateException("SendGrid sandbox could not start", e);
    }
  }

  /** {@code host:port}, as SendGrid's client takes it. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public List<JsonNode> inbox() {
    return List.copyOf(inbox);
  }

  /** Every mail to {@code address} is answered with 500 (a SendGrid outage, for tests). */
  public void failFor(String address) {
    failing.add(address);
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void send(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "{\"errors\":[{\"message\":\"method not allowed\"}]}");
      } else if (auth == null || !auth.startsWith("Bearer ")) {
        answer(exchange, 401, "{\"errors\":[{\"message\":\"authorization required\"}]}");
      } else {
        JsonNode mail = JSON.readTree(body);
        if (mail.findValuesAsString("email").stream().anyMatch(failing::contains)) {
          answer(exchange, 500, "{\"errors\":[{\"message\":\"sandbox failure\"}]}");
          return;
        }
        if (mail.path("personalizations").isEmpty()
            || mail.path("from").path("email").isMissingNode()) {
          answer(
              exchange,
              400,
              "{\"errors\":[{\"message\":\"personalizations and from are required\"}]}");
          return;
        }
        inbox.add(mail);
        exchange
            .getResponseHeaders()
            .set("X-Message-Id", UUID.randomUUID().toString().replace("-", ""));
        exchange.sendResponseHeaders(202, -1);
      }
    }
  }

  private void list(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange, 200, JSON.writeValueAsString(inbox));
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
