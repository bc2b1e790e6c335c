import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floors under issue 24's throughput target, on database-service's own class path
 * (bench/rds/run.sh drives both with the same wrk script as the service):
 *
 * <ul>
 *   <li>{@code bare PORT}: a reactor-netty server that parses the {@code query} body and answers
 *       a fixed one-row result, without a database: what the HTTP exchange and JSON cost here;
 *   <li>{@code select PORT HOST PGPORT DATABASE USER PASSWORD}: the same server running the body's
 *       statement ({@code ?} placeholders as {@code $n}) on an r2dbc-pool of 4 connections (the
 *       service's pool size) and answering its rows as JSON. No Spring, no security, no
 *       transaction: the barest {@code query} endpoint a JVM service on this stack can serve.
 * </ul>
 */
public class Floor {

  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) {
    int port = Integer.parseInt(args[1]);
    ConnectionPool pool = args[0].equals("select") ? pool(args) : null;
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
                        .flatMap(body -> answer(pool, body))
                        .flatMap(
                            out ->
                                response
                                    .header("Content-Type", "application/json")
                                    .sendObject(Unpooled.wrappedBuffer(out))
                                    .then())
                        .onErrorResume(e -> response.status(400).send().then()))
            .bindNow();
    System.out.println(args[0] + " query server on :" + port);
    server.onDispose().block();
  }

  static ConnectionPool pool(String[] args) {
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(
                new PostgresqlConnectionFactory(
                    PostgresqlConnectionConfiguration.builder()
                        .host(args[2])
                        .port(Integer.parseInt(args[3]))
                        .database(args[4])
                        .username(args[5])
                        .password(args[6])
                        .build()))
            .initialSize(4)
            .maxSize(4)
            .build());
  }

  /** The body's statement run (or, without a pool, a fixed row), as {@code {rows, rowCount}}. */
  static Mono<byte[]> answer(ConnectionPool pool, byte[] body) {
    JsonNode input;
    try {
      input = JSON.readTree(body);
    } catch (Exception e) {
      return Mono.error(e);
    }
    JsonNode parameters = input.path("parameters");
    if (pool == null) {
      ObjectNode row = JSON.createObjectNode();
      row.put("id", parameters.path(0).asInt()).put("name", "item").put("active", true);
      return Mono.fromCallable(() -> JSON.writeValueAsBytes(result(java.util.List.of(row))));
    }
    String sql = dollars(input.path("query").asText());
    return Mono.usingWhen(
            pool.create(),
            connection -> rows(connection, sql, parameters).collectList(),
            Connection::close)
        .map(rows -> {
          try {
            return JSON.writeValueAsBytes(result(rows));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  static Flux<ObjectNode> rows(Connection connection, String sql, JsonNode parameters) {
    var statement = connection.createStatement(sql);
    for (int i = 0; i < parameters.size(); i++) {
      statement.bind(i, parameters.get(i).asInt());
    }
    return Flux.from(statement.execute()).flatMap(result -> Flux.from(result.map(Floor::row)));
  }

  static ObjectNode row(Row row, RowMetadata meta) {
    ObjectNode out = JSON.createObjectNode();
    for (var column : meta.getColumnMetadatas()) {
      Object value = row.get(column.getName());
      out.putPOJO(column.getName(), value);
    }
    return out;
  }

  static ObjectNode result(java.util.List<ObjectNode> rows) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode array = out.putArray("rows");
    rows.forEach(array::add);
    out.put("rowCount", rows.size());
    return out;
  }

  /** {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...} (the bench's SQL has no literals). */
  static String dollars(String sql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
