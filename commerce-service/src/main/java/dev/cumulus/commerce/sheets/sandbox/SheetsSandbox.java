package dev.cumulus.commerce.sheets.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Google Sheets' {@code spreadsheets.values.append} on a local port, with its write
 * quota: more than {@code writesPerMinute} appends in a minute are answered 429 {@code
 * RESOURCE_EXHAUSTED} as Google does. {@code GET /sheets/{id}} lists a sheet's rows.
 */
public final class SheetsSandbox implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final int writesPerMinute;
  private final Deque<Long> writes = new ArrayDeque<>();
  private final Map<String, List<JsonNode>> sheets = new ConcurrentHashMap<>();

  private SheetsSandbox(HttpServer server, int writesPerMinute) {
    this.server = server;
    this.writesPerMinute = writesPerMinute;
  }

  public static SheetsSandbox start(int port, int writesPerMinute) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      SheetsSandbox sandbox = new SheetsSandbox(server, writesPerMinute);
      server.createContext("/v4/spreadsheets/", sandbox::append);
      server.createContext("/sheets/", sandbox::list);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
      return sandbox;
    } catch (IOException e) {
      throw new IllegalStateException("Sheets sandbox could not start", e);
    }
  }

  /** The root URL to give the Sheets client. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** A sheet's rows (each a JSON array of cells), oldest first. */
  public List<JsonNode> rows(String spreadsheetId) {
    return List.copyOf(sheets.getOrDefault(spreadsheetId, List.of()));
  }

  /** Uses up the current minute's quota: the next appends answer 429. */
  public synchronized void exhaustQuota() {
    long now = System.currentTimeMillis();
    while (writes.size() < writesPerMinute) {
      writes.add(now);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void append(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      // Google's client gzips request bodies.
      boolean gzip =
          "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
      try (InputStream in =
          gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      // /v4/spreadsheets/{id}/values/{range}:append
      String path = exchange.getRequestURI().getRawPath();
      String[] parts = path.substring("/v4/spreadsheets/".length()).split("/");
      if (!"POST".equals(exchange.getRequestMethod())
          || parts.length != 3
          || !parts[1].equals("values")
          || !parts[2].endsWith(":append")) {
        answer(exchange, 404, error(404, "Requested entity was not found.", "NOT_FOUND"));
        return;
      }
      if (!admit()) {
        answer(
            exchange,
            429,
            error(
                429,
                "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per"
                    + " minute per user'",
                "RESOURCE_EXHAUSTED"));
        return;
      }
      String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      String range =
          URLDecoder.decode(parts[2].substring(0, parts[2].length() - 7), StandardCharsets.UTF_8);
      JsonNode values = JSON.readTree(body).path("values");
      List<JsonNode> sheet = sheets.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
      int first = sheet.size() + 1;
      values.forEach(sheet::add);
      String tab = range.contains("!") ? range.substring(0, range.indexOf('!')) : "Sheet1";
      Map<String, Object> updates = new LinkedHashMap<>();
      updates.put("spreadsheetId", id);
      updates.put("updatedRange", tab + "!A" + first + ":Z" + (first + values.size() - 1));
      updates.put("updatedRows", values.size());
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("spreadsheetId", id);
      answer.put("tableRange", tab + "!A1:Z" + (first - 1));
      answer.put("updates", updates);
      answer(exchange, 200, JSON.writeValueAsString(answer));
    }
  }

  private synchronized boolean admit() {
    long now = System.currentTimeMillis();
    while (!writes.isEmpty() && writes.peekFirst() <= now - 60_000) {
      writes.pollFirst();
    }
    if (writes.size() >= writesPerMinute) {
      return false;
    }
    writes.addLast(now);
    return true;
  }

  private void list(HttpExchange exchange) throws IOException {
    try (exchange) {
      String id = exchange.getRequestURI().getPath().substring("/sheets/".length());
      answer(exchange, 200, JSON.writeValueAsString(new ArrayList<>(rows(id))));
    }
  }

  private static String error(int code, String message, String status) {
    return JSON.writeValueAsString(
        Map.of("error", Map.of("code", code, "message", message, "status", status)));
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
