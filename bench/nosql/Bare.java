import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP floor under database-service's NoSQL numbers (issue 23), on its own class path: a bare
 * reactor-netty server that answers the calls DynamoBench makes (CreateTable, DescribeTable,
 * DeleteTable, PutItem, GetItem, UpdateItem, Query, BatchWriteItem) from maps in memory (only the
 * items the bench reads back are kept). It parses
 * each request's JSON and writes a valid answer, and does nothing else: no signature check, no
 * expressions, no CRC32, no durability. What DynamoBench measures against it is what the SDK
 * client and one JVM HTTP server do on this machine before any storage or service logic.
 *
 * <p>With a PostgreSQL URL it is the durable floor of a JVM service instead: PutItem and
 * BatchWriteItem upsert each item as JSONB (one statement and one commit per item or batch, an
 * R2DBC pool of one connection per caller) before answering; the rest is as above.
 *
 * <p>{@code java -cp <database-service's class path> Bare.java PORT [HOST PORT USER DATABASE]}
 */
public class Bare {

  static final JsonMapper JSON = JsonMapper.builder().build();
  // table -> hash key -> range key -> item (the bench's keys: pk S, sk N)
  static final Map<String, Map<String, NavigableMap<Long, JsonNode>>> TABLES =
      new ConcurrentHashMap<>();

  static ConnectionPool pool;

  public static void main(String[] args) {
    if (args.length > 1) {
      pool = pool(args[1], Integer.parseInt(args[2]), args[3], args[4]);
      Mono.from(pool.create())
          .flatMapMany(
              c ->
                  Flux.from(
                          c.createStatement(
                                  "CREATE TABLE IF NOT EXISTS bare_items (hk text, rk numeric,"
                                      + " item jsonb NOT NULL, PRIMARY KEY (hk, rk))")
                              .execute())
                      .flatMap(r -> r.getRowsUpdated())
                      .concatWith(Mono.from(c.close()).then(Mono.empty())))
          .blockLast();
    }
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(Integer.parseInt(args[0]))
            .handle(
                (request, response) -> {
                  String target = request.requestHeaders().get("X-Amz-Target", "");
                  String operation = target.substring(target.indexOf('.') + 1);
                  return request
                      .receive()
                      .aggregate()
                      .asByteArray()
                      .defaultIfEmpty(new byte[0])
                      .flatMap(
                          body ->
                              persist(operation, body)
                                  .then(
                                      response
                                          .header("Content-Type", "application/x-amz-json-1.0")
                                          .sendByteArray(
                                              Mono.fromSupplier(() -> answer(operation, body)))
                                          .then()));
                })
            .bindNow();
    System.out.println("bare NoSQL server on " + server.port());
    server.onDispose().block();
  }

  static ConnectionPool pool(String host, int port, String user, String database) {
    PostgresqlConnectionFactory factory =
        new PostgresqlConnectionFactory(
            PostgresqlConnectionConfiguration.builder()
                .host(host)
                .port(port)
                .username(user)
                .database(database)
                .build());
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(factory).initialSize(4).maxSize(32).build());
  }

  /** In durable mode, the upsert of PutItem's item or BatchWriteItem's items, committed. */
  static Mono<Void> persist(String operation, byte[] body) {
    if (pool == null || !(operation.equals("PutItem") || operation.equals("BatchWriteItem"))) {
      return Mono.empty();
    }
    JsonNode in = JSON.readTree(body);
    java.util.List<JsonNode> items = new java.util.ArrayList<>();
    if (operation.equals("PutItem")) {
      items.add(in.get("Item"));
    } else {
      for (Map.Entry<String, JsonNode> e : in.path("RequestItems").properties()) {
        for (JsonNode write : e.getValue()) {
          items.add(write.path("PutRequest").get("Item"));
        }
      }
    }
    return Mono.usingWhen(
        pool.create(),
        c -> {
          Statement statement =
              c.createStatement(
                  "INSERT INTO bare_items SELECT * FROM unnest($1::text[], $2::numeric[],"
                      + " $3::jsonb[]) ON CONFLICT (hk, rk) DO UPDATE SET item = excluded.item");
          String[] hks = new String[items.size()];
          java.math.BigDecimal[] rks = new java.math.BigDecimal[items.size()];
          String[] docs = new String[items.size()];
          for (int i = 0; i < items.size(); i++) {
            hks[i] = items.get(i).path("pk").path("S").asString();
            rks[i] = new java.math.BigDecimal(items.get(i).path("sk").path("N").asString());
            docs[i] = items.get(i).toString();
          }
          return Flux.from(statement.bind("$1", hks).bind("$2", rks).bind("$3", docs).execute())
              .flatMap(r -> r.getRowsUpdated())
              .then();
        },
        c -> c.close());
  }

  static byte[] answer(String operation, byte[] body) {
    JsonNode in = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    ObjectNode out = JSON.createObjectNode();
    String table = in.path("TableName").asString("");
    switch (operation) {
      case "CreateTable", "DeleteTable" -> {
        if (operation.equals("CreateTable")) {
          TABLES.put(table, new ConcurrentHashMap<>());
        } else {
          TABLES.remove(table);
        }
        out.putObject("TableDescription").put("TableName", table).put("TableStatus", "ACTIVE");
      }
      case "DescribeTable" ->
          out.putObject("Table").put("TableName", table).put("TableStatus", "ACTIVE");
      case "PutItem" -> store(table, in.get("Item"));
      case "GetItem" -> {
        JsonNode key = in.get("Key");
        JsonNode item =
            rows(table, key.path("pk").path("S").asString())
                .get(Long.parseLong(key.path("sk").path("N").asString()));
        if (item != null) {
          out.set("Item", item);
        }
      }
      case "UpdateItem" -> {} // the bench's update answers nothing (ReturnValues NONE)
      case "Query" -> {
        String pk = in.path("ExpressionAttributeValues").path(":pk").path("S").asString();
        ArrayNode items = out.putArray("Items");
        rows(table, pk).values().forEach(items::add);
        out.put("Count", items.size()).put("ScannedCount", items.size());
      }
      case "BatchWriteItem" -> {
        for (Map.Entry<String, JsonNode> e : in.path("RequestItems").properties()) {
          for (JsonNode write : e.getValue()) {
            store(e.getKey(), write.path("PutRequest").get("Item"));
          }
        }
        out.putObject("UnprocessedItems");
      }
      default -> {
        return ("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}")
            .getBytes(StandardCharsets.UTF_8);
      }
    }
    return JSON.writeValueAsBytes(out);
  }

  /** Keeps only the items the bench reads back (GetItem's g*, Query's q), so memory stays flat. */
  static void store(String table, JsonNode item) {
    String pk = item.path("pk").path("S").asString();
    if (!pk.startsWith("g") && !pk.equals("q")) {
      return;
    }
    rows(table, pk)
        .put(Long.parseLong(item.path("sk").path("N").asString()), item);
  }

  static NavigableMap<Long, JsonNode> rows(String table, String pk) {
    return TABLES
        .computeIfAbsent(table, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(pk, k -> new ConcurrentSkipListMap<>());
  }
}
