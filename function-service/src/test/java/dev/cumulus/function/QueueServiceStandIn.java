package dev.cumulus.function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * queue-service's internal message endpoint (docs/queue.md; queue-service's QueueSeedIT tests the
 * real one, redrive to the DLQ included) as function-service sees it: one JVM-wide stand-in, so the
 * shared test context needs no second service. It checks the internal secret and the tenant of
 * every call, hides received messages for their visibility timeout and records every delete, so the
 * tests see what the pollers did to a queue.
 */
final class QueueServiceStandIn {

  static final String SECRET = "function-test-internal-secret";
  static final QueueServiceStandIn SHARED = new QueueServiceStandIn();

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A message of a queue: its body, how often it was received, until when it is hidden. */
  static final class Message {
    final String id = UUID.randomUUID().toString();
    final String body;
    volatile int receives;
    volatile long hiddenUntil;
    volatile String handle;

    Message(String body) {
      this.body = body;
    }
  }

  /** Queues by "tenant/instance/queue". */
  private final Map<String, List<Message>> queues = new ConcurrentHashMap<>();

  /** Queue keys whose calls fail ({@link #breakQueue}). */
  private final java.util.Set<String> broken = ConcurrentHashMap.newKeySet();

  /** Bodies deleted, by queue key. */
  final Map<String, List<String>> deleted = new ConcurrentHashMap<>();

  volatile int visibilityTimeoutSeconds = 2;
  private final HttpServer server;

  private QueueServiceStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/internal/queue/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String key(String tenant, String instance, String queue) {
    return tenant + "/" + instance + "/" + queue;
  }

  void createQueue(String tenant, String instance, String queue) {
    queues.put(key(tenant, instance, queue), new CopyOnWriteArrayList<>());
  }

  /** Calls about this queue answer 502, as a proxy in front of a queue-service that is down. */
  void breakQueue(String tenant, String instance, String queue) {
    broken.add(key(tenant, instance, queue));
  }

  void deleteQueue(String tenant, String instance, String queue) {
    queues.remove(key(tenant, instance, queue));
  }

  void send(String tenant, String instance, String queue, String body) {
    queues.get(key(tenant, instance, queue)).add(new Message(body));
  }

  List<Message> messages(String tenant, String instance, String queue) {
    return queues.get(key(tenant, instance, queue));
  }

  List<String> deleted(String tenant, String instance, String queue) {
    return deleted.getOrDefault(key(tenant, instance, queue), List.of());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!SECRET.equals(exchange.getRequestHeaders().getFirst("X-Cumulus-Internal-Secret"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      // /internal/queue/{tenant}/{instance}/queues/{queue}[/{operation}]
      String[] p = exchange.getRequestURI().getPath().split("/");
      String key = key(p[3], p[4], p[6]);
      if (broken.contains(key)) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      List<Message> queue = queues.get(key);
      if (queue == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      if (p.length == 7) {
        answer.put("queueName", p[6]);
        answer.put("fifo", p[6].endsWith(".fifo"));
        answer.put("visibilityTimeout", visibilityTimeoutSeconds);
        respond(exchange, answer);
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      switch (p[7]) {
        case "receive" -> receive(queue, body, answer);
        case "delete" -> {
          for (JsonNode h : body.path("receiptHandles")) {
            queue.stream()
                .filter(m -> h.asString().equals(m.handle))
                .findFirst()
                .ifPresent(
                    m -> {
                      queue.remove(m);
                      deleted.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(m.body);
                    });
          }
          answer.putArray("failed");
        }
        case "visibility" -> {
          long until = System.currentTimeMillis() + body.path("visibilityTimeout").asInt() * 1000L;
          for (JsonNode h : body.path("receiptHandles")) {
            queue.stream()
                .filter(m -> h.asString().equals(m.handle))
                .forEach(m -> m.hiddenUntil = until);
          }
          answer.putArray("failed");
        }
        default -> {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
      }
      respond(exchange, answer);
    }
  }

  private static void respond(HttpExchange exchange, ObjectNode answer) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Visible messages, waiting (polling) up to waitTimeSeconds for a first. */
  private void receive(List<Message> queue, JsonNode body, ObjectNode answer) {
    int max = body.path("maxMessages").asInt(10);
    long deadline = System.currentTimeMillis() + body.path("waitTimeSeconds").asInt(0) * 1000L;
    List<Message> taken = new ArrayList<>();
    while (true) {
      synchronized (queue) {
        long now = System.currentTimeMillis();
        for (Message m : queue) {
          if (taken.size() < max && m.hiddenUntil <= now) {
            m.receives++;
            m.hiddenUntil = now + visibilityTimeoutSeconds * 1000L;
            m.handle = UUID.randomUUID().toString();
            taken.add(m);
          }
        }
      }
      if (!taken.isEmpty() || System.currentTimeMillis() >= deadline) {
        break;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ArrayNode messages = answer.putArray("messages");
    for (Message m : taken) {
      ObjectNode r = messages.addObject();
      r.put("messageId", m.id);
      r.put("receiptHandle", m.handle);
      r.put("body", m.body);
      ObjectNode attributes = r.putObject("attributes");
      attributes.put("ApproximateReceiveCount", Integer.toString(m.receives));
      attributes.put("SentTimestamp", Long.toString(System.currentTimeMillis()));
      attributes.put("SenderId", "sender");
      attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(System.currentTimeMillis()));
      r.putObject("messageAttributes");
      r.put("md5OfBody", "md5-" + m.body);
    }
    answer.put("visibilityTimeout", visibilityTimeoutSeconds);
  }
}
