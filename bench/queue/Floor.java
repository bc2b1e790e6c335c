import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floor under queue-service's numbers (issue 22), on queue-service's own class path:
 *
 * <ul>
 *   <li>{@code insert HOST PORT USER DATABASE QUEUE_ID}: only the durable part of a send: the
 *       INSERT queue-service runs (same statement, same table and indexes), one statement and one
 *       commit per call, from C concurrent callers each with its own R2DBC connection, rows of 1
 *       (SendMessage) and of 10 (SendMessageBatch); prints {@code FLOOR insert C rows msg/s}.
 *   <li>{@code http PORT}: a bare reactor-netty server that answers SendMessage and
 *       SendMessageBatch as SQS does (JSON parsed, MD5 of each body) and stores nothing; driven by
 *       SqsBench (PHASES="send batch") like the real targets.
 *   <li>{@code http PORT HOST PGPORT USER DATABASE QUEUE_ID}: the same server, durable: each
 *       SendMessage(Batch) runs the INSERT above (one statement, committed) on a pool of 10
 *       connections (Spring Boot's default, as queue-service's) before it answers. The barest
 *       durable SendMessage a JVM service on this stack can serve, with the client, the server
 *       and PostgreSQL sharing the machine's cores as they do for the real targets.
 * </ul>
 */
public class Floor {

  static final String INSERT =
      "INSERT INTO queue_messages (id, queue_id, body, attributes, md5_body,"
          + " md5_attributes, group_id, dedup_id, sender_id, visible_at, expires_at)"
          + " SELECT r.id::uuid, r.queue::uuid, r.body, r.attributes::jsonb, r.md5, r.md5a,"
          + " r.grp, r.dedup, r.sender, now() + make_interval(secs => r.delay),"
          + " now() + make_interval(secs => r.retention)"
          + " FROM unnest($1::text[], $2::text[], $3::text[],"
          + " $4::text[], $5::text[], $6::text[], $7::text[],"
          + " $8::text[], $9::text[], $10::int[], $11::int[])"
          + " WITH ORDINALITY AS r(id, queue, body, attributes, md5, md5a, grp, dedup, sender,"
          + " delay, retention, ord) ORDER BY r.ord RETURNING id, seq";

  static final String BODY = "x".repeat(256);
  static final int DURATION = Integer.parseInt(env("DURATION", "10"));
  static final int[] LEVELS =
      Arrays.stream(env("LEVELS", "4 32").trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();

  public static void main(String[] args) throws Exception {
    if (args[0].equals("insert")) {
      insert(args[1], Integer.parseInt(args[2]), args[3], args[4], args[5]);
    } else if (args.length > 2) {
      ConnectionPool pool =
          new ConnectionPool(
              ConnectionPoolConfiguration.builder(
                      connectionFactory(args[2], Integer.parseInt(args[3]), args[4], args[5]))
                  .initialSize(10)
                  .maxSize(10)
                  .build());
      http(Integer.parseInt(args[1]), pool, args[6]);
    } else {
      http(Integer.parseInt(args[1]), null, null);
    }
  }

  static PostgresqlConnectionFactory connectionFactory(
      String host, int port, String user, String database) {
    return new PostgresqlConnectionFactory(
        PostgresqlConnectionConfiguration.builder()
            .host(host)
            .port(port)
            .username(user)
            .database(database)
            .build());
  }

  static void insert(String host, int port, String user, String database, String queue)
      throws Exception {
    PostgresqlConnectionFactory factory = connectionFactory(host, port, user, database);
    // Warm-up: the statement prepared, the server's caches filled.
    phase(factory, queue, 4, 1, 3);
    for (int callers : LEVELS) {
      for (int rows : new int[] {1, 10}) {
        double rate = phase(factory, queue, callers, rows, DURATION);
        System.out.printf(Locale.ROOT, "FLOOR insert %d %d %.0f%n", callers, rows, rate);
      }
    }
  }

  /** {@code callers} connections insert {@code rows} rows per statement for {@code seconds}. */
  static double phase(
      PostgresqlConnectionFactory factory, String queue, int callers, int rows, int seconds)
      throws Exception {
    List<PostgresqlConnection> connections = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      connections.add(factory.create().block());
    }
    AtomicLong messages = new AtomicLong();
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (PostgresqlConnection connection : connections) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < until) {
                      insertRows(connection, queue, bodies(rows)).block();
                      messages.addAndGet(rows);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double rate = messages.get() / ((System.nanoTime() - start) / 1e9);
    connections.forEach(c -> c.close().block());
    return rate;
  }

  static List<String> bodies(int n) {
    return java.util.Collections.nCopies(n, BODY);
  }

  static Mono<Long> insertRows(Connection connection, String queue, List<String> messages) {
    int n = messages.size();
    String[] ids = new String[n];
    String[] queues = new String[n];
    String[] bodies = new String[n];
    String[] md5s = new String[n];
    String[] nulls = new String[n];
    Integer[] delays = new Integer[n];
    Integer[] retentions = new Integer[n];
    for (int i = 0; i < n; i++) {
      ids[i] = UUID.randomUUID().toString();
      queues[i] = queue;
      bodies[i] = messages.get(i);
      md5s[i] = md5(messages.get(i));
      delays[i] = 0;
      retentions[i] = 345600;
    }
    return Flux.from(
            connection
                .createStatement(INSERT)
                .bind("$1", ids)
                .bind("$2", queues)
                .bind("$3", bodies)
                .bind("$4", nulls)
                .bind("$5", md5s)
                .bind("$6", nulls)
                .bind("$7", nulls)
                .bind("$8", nulls)
                .bind("$9", nulls)
                .bind("$10", delays)
                .bind("$11", retentions)
                .execute())
        .flatMap(result -> Flux.from(result.map((row, meta) -> row.get("seq", Long.class))))
        .count();
  }

  /**
   * A SendMessage/SendMessageBatch answering server (and CreateQueue/DeleteQueue); with a pool it
   * commits the messages before answering, without one it stores nothing.
   */
  static void http(int port, ConnectionPool pool, String queue) throws Exception {
    ObjectMapper json = new ObjectMapper();
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(port)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            body -> {
                              try {
                                String target = request.requestHeaders().get("X-Amz-Target", "");
                                JsonNode input = json.readTree(body);
                                byte[] out = json.writeValueAsBytes(answer(json, target, input, port));
                                List<String> messages = messages(target, input);
                                Mono<Long> stored =
                                    pool == null || messages.isEmpty()
                                        ? Mono.just(0L)
                                        : Mono.usingWhen(
                                            pool.create(),
                                            c -> insertRows(c, queue, messages),
                                            Connection::close);
                                return stored.then(
                                    response
                                        .header("Content-Type", "application/x-amz-json-1.0")
                                        .sendObject(Unpooled.wrappedBuffer(out))
                                        .then());
                              } catch (Exception e) {
                                return response.status(500).send().then();
                              }
                            }))
            .bindNow();
    System.out.println((pool == null ? "bare" : "durable") + " SQS-shaped server on :" + port);
    server.onDispose().block();
  }

  static ObjectNode answer(ObjectMapper json, String target, JsonNode input, int port) {
    ObjectNode out = json.createObjectNode();
    switch (target.substring(target.indexOf('.') + 1)) {
      case "CreateQueue" ->
          out.put("QueueUrl", "http://127.0.0.1:" + port + "/q/" + input.path("QueueName").asText());
      case "SendMessage" -> sent(out, input);
      case "SendMessageBatch" -> {
        ArrayNode ok = out.putArray("Successful");
        out.putArray("Failed");
        for (JsonNode entry : input.path("Entries")) {
          sent(ok.addObject(), entry).put("Id", entry.path("Id").asText());
        }
      }
      default -> {}
    }
    return out;
  }

  /** The bodies a SendMessage or SendMessageBatch carries (none for other actions). */
  static List<String> messages(String target, JsonNode input) {
    List<String> bodies = new ArrayList<>();
    if (target.endsWith(".SendMessage")) {
      bodies.add(input.path("MessageBody").asText());
    } else if (target.endsWith(".SendMessageBatch")) {
      input.path("Entries").forEach(e -> bodies.add(e.path("MessageBody").asText()));
    }
    return bodies;
  }

  static ObjectNode sent(ObjectNode out, JsonNode message) {
    out.put("MessageId", UUID.randomUUID().toString());
    out.put("MD5OfMessageBody", md5(message.path("MessageBody").asText()));
    return out;
  }

  static String md5(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
