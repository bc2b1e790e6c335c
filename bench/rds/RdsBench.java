import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The RDS benchmark's Java side (bench/rds/run.sh): the latency of one 1-row parameterized SELECT,
 * one call at a time, through the seed's {@code query} endpoint or through a plain R2DBC client,
 * and the plain client's throughput with concurrent callers (the service's throughput is measured
 * by wrk, see run.sh).
 *
 * <pre>
 * java -cp "$(cat classpath.txt)" RdsBench.java http LABEL QUERY_URL TOKEN
 * java -cp "$(cat classpath.txt)" RdsBench.java r2dbc LABEL HOST PORT DATABASE USER PASSWORD
 * </pre>
 *
 * <p>Settings from the environment: SAMPLES (2000) sequential calls after WARMUP_CALLS (2000);
 * for r2dbc also CALLERS (16) concurrent callers on a pool of POOL (4) connections for DURATION
 * (10) s after WARMUP (5) s. Each call selects a random id of ROWS (1000) and checks that exactly
 * that row came back; a wrong answer counts as an error. The last line is machine-readable:
 * {@code RESULT label p50ms p90ms p99ms statements/s errors} (statements/s 0 for http).
 */
public class RdsBench {

  static final String SQL_QUESTION = "SELECT id, name, active FROM bench_items WHERE id = ?";
  static final String SQL_DOLLAR = "SELECT id, name, active FROM bench_items WHERE id = $1";

  static final int SAMPLES = intEnv("SAMPLES", 2000);
  static final int WARMUP_CALLS = intEnv("WARMUP_CALLS", 2000);
  static final int ROWS = intEnv("ROWS", 1000);
  static final AtomicLong errors = new AtomicLong();

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "http" -> http(args[1], args[2], args[3]);
      case "r2dbc" -> r2dbc(args[1], args[2], Integer.parseInt(args[3]), args[4], args[5], args[6]);
      default -> throw new IllegalArgumentException("mode http or r2dbc, not " + args[0]);
    }
  }

  // --- through the service's query endpoint -----------------------------------------------------

  static void http(String label, String url, String token) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    for (int i = 0; i < WARMUP_CALLS; i++) {
      httpCall(client, url, token);
    }
    errors.set(0);
    double[] millis = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long start = System.nanoTime();
      httpCall(client, url, token);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    report(label, millis, 0);
  }

  static void httpCall(HttpClient client, String url, String token) throws Exception {
    int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    String body = "{\"query\":\"" + SQL_QUESTION + "\",\"parameters\":[" + id + "]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    // One row, the one asked for: {"columns":[...],"rows":[{"id":<id>,...}],"rowCount":1,...}
    if (response.statusCode() != 200
        || !response.body().contains("\"rows\":[{\"id\":" + id + ",")
        || !response.body().contains("\"rowCount\":1")) {
      if (errors.incrementAndGet() <= 3) {
        System.err.println("unexpected answer " + response.statusCode() + ": " + response.body());
      }
    }
  }

  // --- a plain R2DBC client: the same statement on the same server, as the same role ------------

  static void r2dbc(String label, String host, int port, String database, String user, String pw) {
    int pool = intEnv("POOL", 4);
    int callers = intEnv("CALLERS", 16);
    int duration = intEnv("DURATION", 10);
    int warmup = intEnv("WARMUP", 5);
    PostgresqlConnectionConfiguration config =
        PostgresqlConnectionConfiguration.builder()
            .host(host)
            .port(port)
            .database(database)
            .username(user)
            .password(pw)
            .applicationName("cumulus-rds-bench")
            .build();
    ConnectionPool connections =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config))
                .initialSize(pool)
                .maxSize(pool)
                .build());
    try {
      for (int i = 0; i < WARMUP_CALLS; i++) {
        select(connections).block();
      }
      double[] millis = new double[SAMPLES];
      errors.set(0);
      for (int i = 0; i < SAMPLES; i++) {
        long start = System.nanoTime();
        select(connections).block();
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      throughput(connections, callers, warmup); // a warm-up: its errors count, its rate not
      long done = throughput(connections, callers, duration);
      report(label, millis, done / (double) duration);
    } finally {
      connections.dispose();
    }
  }

  /** Statements completed by {@code callers} concurrent loops in {@code seconds}. */
  static long throughput(ConnectionPool connections, int callers, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    Flux.range(0, callers)
        .flatMap(
            caller ->
                Mono.defer(() -> select(connections))
                    .doOnSuccess(ignored -> done.incrementAndGet())
                    .repeat(() -> System.nanoTime() < end)
                    .then(),
            callers)
        .blockLast();
    return done.get();
  }

  /** The SELECT of a random id on a pooled connection, checked. */
  static Mono<Void> select(ConnectionPool connections) {
    int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    return Mono.usingWhen(
            connections.create(),
            (Connection c) ->
                Flux.from(c.createStatement(SQL_DOLLAR).bind(0, id).execute())
                    .flatMap(
                        result ->
                            result.map(
                                (row, meta) ->
                                    new Object[] {row.get("id"), row.get("name"), row.get("active")}))
                    .collectList(),
            Connection::close)
        .doOnNext(
            rows -> {
              if (rows.size() != 1 || !Integer.valueOf(id).equals(rows.get(0)[0])) {
                errors.incrementAndGet();
              }
            })
        .then();
  }

  // --- output -----------------------------------------------------------------------------------

  static void report(String label, double[] millis, double perSecond) {
    Arrays.sort(millis);
    double p50 = percentile(millis, 50), p90 = percentile(millis, 90), p99 = percentile(millis, 99);
    System.out.printf(
        Locale.ROOT,
        "%s: one call at a time, %d calls: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%s; errors %d%n",
        label,
        millis.length,
        p50,
        p90,
        p99,
        perSecond > 0 ? String.format(Locale.ROOT, "; %.0f statements/s concurrent", perSecond) : "",
        errors.get());
    System.out.printf(
        Locale.ROOT,
        "RESULT %s %.3f %.3f %.3f %.0f %d%n",
        label,
        p50,
        p90,
        p99,
        perSecond,
        errors.get());
  }

  static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  static int intEnv(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
  }
}
