package dev.cumulus.integration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP receiver on 127.0.0.3 (the address tests allow) that answers each path with a script
 * of statuses ("fail twice with 500, then 200") and records every request it got.
 */
public final class WebhookReceiver implements AutoCloseable {

  public static final String HOST = "127.0.0.3";

  /** One received request. */
  public record Received(String path, Map<String, String> headers, String body, Instant at) {
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One answer: status, extra headers, body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "answer " + status);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.3:<port><path>} */
  public String url(String path) {
    return "http://" + HOST + ":" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers the path's requests in turn; the last answer repeats. Default: 200. */
  public void script(String path, Answer... answers) {
    scripts.put(path, List.of(answers));
    counters.put(path, new AtomicInteger());
  }

  public List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The most requests to the path that were being answered at the same time. */
  public int mostConcurrent(String path) {
    return mostOpen.getOrDefault(path, new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int now = open.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    mostOpen.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    try {
      answer(exchange, path);
    } finally {
      open.get(path).decrementAndGet();
    }
  }

  private void answer(HttpExchange exchange, String path) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst()));
    received.add(
        new Received(path, headers, new String(body, StandardCharsets.UTF_8), Instant.now()));
    List<Answer> script = scripts.getOrDefault(path, List.of(Answer.of(200)));
    int n = counters.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
    Answer answer = script.get(Math.min(n, script.size() - 1));
    if (answer.status() == 0) {
      // a receiver that takes its time (status 0 = sleep, then 200)
      try {
        Thread.sleep(Long.parseLong(answer.body()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = Answer.of(200);
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
