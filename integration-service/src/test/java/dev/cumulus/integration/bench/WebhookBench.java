package dev.cumulus.integration.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cumulus.integration.IntegrationApplication;
import dev.cumulus.integration.IntegrationTestSupport;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The webhook benchmark (bench/webhooks/run.sh runs it; no assertion, it only measures). The whole
 * path runs: an outbox row committed in a transaction, the relay to Kafka, the pattern consumer's
 * inbox transaction, the dispatcher's claim, the signed POST to a local receiver. Measured:
 * event-to-delivery latency (from the causing commit to the receiver), deliveries/s at concurrency
 * 32 beside the peer (the same receiver hit by 32 plain concurrent POSTs: the ceiling), and a fast
 * endpoint's latency while a slow endpoint (5 s answers) gets the same events.
 */
@SpringBootTest(
    classes = IntegrationApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookBench {

  static final Pattern N = Pattern.compile("\"n\":(\\d+)");
  static final int LATENCY_EVENTS = Integer.getInteger("bench.latencyEvents", 200);
  static final int THROUGHPUT_EVENTS = Integer.getInteger("bench.throughputEvents", 2000);
  static final int SLOW_EVENTS = Integer.getInteger("bench.slowEvents", 100);
  static final int CONCURRENCY = 32;

  static HttpServer receiver;

  /** Arrival time (nanoTime) per path and event number. */
  static final Map<String, Map<Integer, Long>> arrivals = new ConcurrentHashMap<>();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    IntegrationTestSupport.register(registry, "integration_bench");
    registry.add("cumulus.integration.outbound.allowed-networks", () -> "127.0.0.1/32");
    registry.add("cumulus.integration.webhooks.max-in-flight", () -> "64");
    registry.add("cumulus.integration.webhooks.per-endpoint-in-flight", () -> "" + CONCURRENCY);
    registry.add("cumulus.integration.webhooks.poll-interval", () -> "1s");
    registry.add("cumulus.integration.webhooks.timeout", () -> "15s");
    registry.add("spring.r2dbc.pool.max-size", () -> "20");
    registry.add("logging.level.root", () -> "WARN");
    // The causing service's outbox relay waits this long after each run (platform default 100ms).
    registry.add(
        "cumulus.outbox.batch-window",
        () -> System.getProperty("bench.outboxBatchWindow", "100ms"));
  }

  @BeforeAll
  static void startReceiver() throws IOException {
    assumeTrue(Boolean.getBoolean("cumulus.bench"), "run with bench/webhooks/run.sh");
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    receiver.createContext(
        "/",
        exchange -> {
          long now = System.nanoTime();
          String path = exchange.getRequestURI().getPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Matcher m = N.matcher(body);
          if (m.find()) {
            arrivals
                .computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                .putIfAbsent(Integer.parseInt(m.group(1)), now);
          }
          if (path.startsWith("/slow")) {
            try {
              Thread.sleep(5000); // the slow endpoint: a receiver that takes 5 s to answer
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @LocalServerPort int port;
  @Autowired Outbox outbox;
  @Autowired TransactionalOperator tx;
  @Autowired DatabaseClient db;

  @Test
  void measure() throws Exception {
    String tenant = "bench-" + UUID.randomUUID();
    String token = TestJwtIssuer.shared().token(tenant, "admin");

    // warm-up: the consumer has its partitions and the paths are compiled
    register(token, "/warm");
    runSequential(tenant, "/warm", 50, 0);

    register(token, "/latency");
    List<Long> sequential = runSequential(tenant, "/latency", LATENCY_EVENTS, 1000);
    deleteAll(token);

    register(token, "/throughput");
    long start = System.nanoTime();
    Thread stages = Thread.ofVirtual().start(() -> watchStages("/throughput", start));
    List<Long> loaded = runBurst(tenant, "/throughput", THROUGHPUT_EVENTS, 100_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    stages.join();
    double cumulusRate = THROUGHPUT_EVENTS / seconds;
    deleteAll(token);

    register(token, "/backlog");
    double backlogRate = runBacklog(tenant, "/backlog", THROUGHPUT_EVENTS, 400_000);
    deleteAll(token);

    double peerRate = peer(THROUGHPUT_EVENTS);

    register(token, "/fast-alone");
    List<Long> fastAlone = runBurst(tenant, "/fast-alone", SLOW_EVENTS, 200_000);
    deleteAll(token);
    register(token, "/fast-beside-slow");
    register(token, "/slow");
    List<Long> fastBesideSlow = runBurst(tenant, "/fast-beside-slow", SLOW_EVENTS, 300_000);

    System.out.println();
    System.out.println(
        "== webhook benchmark ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, outbox batch window "
            + System.getProperty("bench.outboxBatchWindow", "100ms")
            + ")");
    System.out.printf(
        "event-to-delivery, one at a time (%d): p50 %.1f ms, p99 %.1f ms%n",
        LATENCY_EVENTS, pct(sequential, 50), pct(sequential, 99));
    System.out.printf(
        "event-to-delivery, burst of %d: p50 %.1f ms, p99 %.1f ms%n",
        THROUGHPUT_EVENTS, pct(loaded, 50), pct(loaded, 99));
    System.out.printf(
        "  burst stages: committed by %.1f s, in Kafka by %.1f s, fanned out into deliveries by"
            + " %.1f s, delivered by %.1f s%n",
        stageSeconds.getOrDefault("committed", -1.0),
        stageSeconds.getOrDefault("published", -1.0),
        stageSeconds.getOrDefault("fanned-out", -1.0),
        seconds);
    System.out.printf(
        "deliveries/s at concurrency %d, burst (paced by its 8 writers): Cumulus %.0f, peer (plain"
            + " POSTs) %.0f, ratio %.2f%n",
        CONCURRENCY, cumulusRate, peerRate, cumulusRate / peerRate);
    System.out.printf(
        "deliveries/s at concurrency %d, backlog (%d events committed 100 a transaction): Cumulus"
            + " %.0f, peer %.0f, ratio %.2f%n",
        CONCURRENCY, THROUGHPUT_EVENTS, backlogRate, peerRate, backlogRate / peerRate);
    System.out.printf(
        "fast endpoint, %d events: alone p50 %.1f / p99 %.1f ms; beside a 5 s endpoint p50 %.1f / p99 %.1f ms; p99 ratio %.2f%n",
        SLOW_EVENTS,
        pct(fastAlone, 50),
        pct(fastAlone, 99),
        pct(fastBesideSlow, 50),
        pct(fastBesideSlow, 99),
        pct(fastBesideSlow, 99) / pct(fastAlone, 99));
    System.out.println();
  }

  /** When each stage of the burst had all its events, in seconds from the burst's start. */
  private final Map<String, Double> stageSeconds = new ConcurrentHashMap<>();

  /**
   * Watches the burst's stages in the database (a diagnostic: which stage limits throughput): the
   * causing outbox's rows committed and published, and the deliveries fanned out for the endpoint.
   */
  private void watchStages(String path, long start) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (stageSeconds.size() < 3 && System.nanoTime() < deadline) {
      Map<String, Object> counts =
          db.sql(
                  """
                  SELECT count(*) FILTER (WHERE o.n IS NOT NULL) AS committed,
                         count(*) FILTER (WHERE o.published_at IS NOT NULL) AS published,
                         (SELECT count(*) FROM webhook_deliveries d
                          JOIN webhook_endpoints e ON e.id = d.endpoint_id
                          WHERE e.url LIKE :path) AS fanned_out
                  FROM (SELECT (payload->>'n')::int AS n, published_at FROM cumulus_outbox
                        WHERE payload->>'bucket' = 'bench') o
                  WHERE o.n >= 100000 AND o.n < 200000
                  """)
              .bind("path", "%" + path)
              .fetch()
              .one()
              .block(Duration.ofSeconds(10));
      double now = (System.nanoTime() - start) / 1e9;
      for (String stage : List.of("committed", "published", "fanned_out")) {
        if (((Number) counts.get(stage)).intValue() >= THROUGHPUT_EVENTS) {
          stageSeconds.putIfAbsent(stage.replace('_', '-'), now);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Events one after the other, each awaited; latencies in ms from commit to arrival. */
  private List<Long> runSequential(String tenant, String path, int count, int offset)
      throws InterruptedException {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = offset + i;
      long committed = commit(tenant, n);
      long arrived = await(path, n);
      latencies.add((arrived - committed) / 1000);
    }
    return latencies;
  }

  /** {@code count} events committed as fast as 8 writers can, then all awaited; latencies in µs. */
  private List<Long> runBurst(String tenant, String path, int count, int offset)
      throws InterruptedException {
    Map<Integer, Long> committed = new ConcurrentHashMap<>();
    Flux.range(offset, count)
        .flatMap(
            n ->
                reactor.core.publisher.Mono.fromCallable(
                        () -> {
                          committed.put(n, commit(tenant, n));
                          return n;
                        })
                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()),
            8)
        .blockLast(Duration.ofMinutes(5));
    List<Long> latencies = new ArrayList<>();
    for (int n = offset; n < offset + count; n++) {
      latencies.add((await(path, n) - committed.get(n)) / 1000);
    }
    return latencies;
  }

  /**
   * Deliveries/s of the pipeline itself (relay, consumer, dispatcher, POSTs), not of the writers:
   * {@code count} events committed 100 to a transaction by 4 writers, the rate from the first
   * commit to the last arrival.
   */
  private double runBacklog(String tenant, String path, int count, int offset) {
    long start = System.nanoTime();
    Flux.range(0, (count + 99) / 100)
        .flatMap(
            chunk ->
                Flux.range(offset + chunk * 100, Math.min(100, count - chunk * 100))
                    .concatMap(n -> append(tenant, n))
                    .then()
                    .as(tx::transactional),
            4)
        .blockLast(Duration.ofMinutes(5));
    try {
      for (int n = offset; n < offset + count; n++) {
        await(path, n);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long last = arrivals.get(path).values().stream().mapToLong(Long::longValue).max().orElseThrow();
    return count / ((last - start) / 1e9);
  }

  private reactor.core.publisher.Mono<UUID> append(String tenant, int n) {
    return outbox.appendForTenant(
        tenant,
        "cumulus.storage",
        tenant + "/bench/k" + n,
        "object",
        "created",
        Map.of("bucket", "bench", "key", "k" + n, "n", n, "size", 1));
  }

  /** Commits one outbox event (what storage-service does on an upload); nanoTime after commit. */
  private long commit(String tenant, int n) {
    // keyed like storage-service's object events (per object), so partitions spread
    append(tenant, n).as(tx::transactional).block(Duration.ofSeconds(30));
    return System.nanoTime();
  }

  private static long await(String path, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Long at = arrivals.getOrDefault(path, Map.of()).get(n);
      if (at != null) {
        return at;
      }
      Thread.onSpinWait();
      Thread.sleep(0, 200_000);
    }
    throw new IllegalStateException("event " + n + " never reached " + path);
  }

  /** The ceiling: the same receiver, 32 concurrent plain POSTs of the same size, no Cumulus. */
  private double peer(int count) {
    WebClient client =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create(ConnectionProvider.create("peer", CONCURRENCY))))
            .build();
    String body =
        "{\"event\":\"object.created\",\"data\":{\"bucket\":\"bench\",\"key\":\"k\",\"size\":1}}";
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(
            i ->
                client
                    .post()
                    .uri("http://127.0.0.1:" + receiver.getAddress().getPort() + "/peer")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .retrieve()
                    .toBodilessEntity()
                    .doOnNext(r -> done.incrementAndGet()),
            CONCURRENCY)
        .blockLast(Duration.ofMinutes(5));
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private void register(String token, String path) {
    TestClients.http(port)
        .post()
        .uri("/api/webhooks")
        .header("Authorization", "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + path,
                "events",
                List.of("object.*")))
        .exchange()
        .expectStatus()
        .isCreated();
  }

  private void deleteAll(String token) {
    var http = TestClients.http(port);
    byte[] list =
        http.get()
            .uri("/api/webhooks")
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectBody()
            .returnResult()
            .getResponseBody();
    IntegrationTestSupport.JSON
        .readTree(list)
        .path("webhooks")
        .forEach(
            e ->
                http.delete()
                    .uri("/api/webhooks/" + e.path("id").asString())
                    .header("Authorization", "Bearer " + token)
                    .exchange()
                    .expectStatus()
                    .isNoContent());
  }

  /** Percentile in ms of microsecond samples. */
  private static double pct(List<Long> micros, int p) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1000.0;
  }
}
