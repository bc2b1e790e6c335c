package dev.cumulus.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.PostgresServerAccess;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's promise under a real crash: a relay process is killed with SIGKILL in the middle of
 * a batch; after a new relay takes over, every event is on Kafka (some twice), each aggregate's
 * events arrive in order, and an idempotent consumer handles each event exactly once.
 */
class OutboxRelayCrashIT {

  private static final int EVENTS = 300;
  private static final int AGGREGATES = 10;
  private static final int BATCH = 100;

  private final PostgresServer pg = TestInfrastructure.postgres();
  private final String bootstrap = TestInfrastructure.kafkaBootstrapServers();
  private final String topic = "outbox-crash-" + UUID.randomUUID();
  private String database;
  private OutboxFixture fixture;
  private Process child;

  @BeforeEach
  void database() {
    database = pg.createDatabase("outbox_crash");
    OutboxFixture.migrate(pg, database);
    fixture = new OutboxFixture(pg, database);
  }

  @AfterEach
  void killChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void killedRelayLosesNothingAndKeepsAggregateOrder() throws Exception {
    Outbox outbox = fixture.outbox("crashtest");
    List<String> ids = appendEvents(outbox);

    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(topic)) {
      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

      child = startSlowRelay();
      // Wait until the child is well into its second batch: the first is committed, the second
      // is half-sent and uncommitted.
      pollUntil(consumer, seen, () -> seen.size() >= BATCH + BATCH / 3, Duration.ofSeconds(60));
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback message, just gone
      child.waitFor();

      long published = count("published_at IS NOT NULL");
      assertThat(published).as("only whole batches are marked published").isEqualTo(BATCH);

      int relayed =
          fixture.relay(KafkaEventPublisher.connect(bootstrap, "successor"), BATCH).drain().block();
      assertThat(relayed).isEqualTo(EVENTS - BATCH);
      assertThat(count("published_at IS NULL")).isZero();

      pollUntil(consumer, seen, () -> distinctIds(seen).size() >= EVENTS, Duration.ofSeconds(60));
      assertThat(distinctIds(seen)).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(seen.size()).as("the killed batch was partly sent twice").isGreaterThan(EVENTS);
      assertEachAggregateInOrder(seen);
      assertIdempotentConsumerHandlesEachOnce(seen);
    }
  }

  private List<String> appendEvents(Outbox outbox) {
    AtomicInteger n = new AtomicInteger();
    return Flux.range(0, EVENTS)
        .concatMap(
            i -> {
              String aggregate = "agg-" + (i % AGGREGATES);
              Map<String, Object> data = Map.of("aggregate", aggregate, "n", n.getAndIncrement());
              return outbox
                  .append(topic, aggregate, "thing", "changed", data)
                  .as(fixture.tx::transactional)
                  .contextWrite(c -> CumulusContext.withTenant(c, "tenant-x"));
            })
        .map(UUID::toString)
        .collectList()
        .block();
  }

  private Process startSlowRelay() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SlowRelayProcess.class.getName(),
            PostgresServerAccess.toUrl(pg),
            database,
            bootstrap,
            String.valueOf(BATCH))
        .redirectErrorStream(true)
        .redirectOutput(new File("target/slow-relay.log"))
        .start();
  }

  private void assertEachAggregateInOrder(List<ConsumerRecord<String, byte[]>> seen) {
    JsonMapper json = JsonMapper.builder().build();
    Map<String, List<Integer>> firstSeenOrder = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : seen) {
      ReceivedEvent event = CloudEventHeaders.read(record.headers(), record.value());
      if (ids.add(event.id())) {
        int n = json.readTree(event.data()).get("n").asInt();
        firstSeenOrder.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(n);
      }
    }
    assertThat(firstSeenOrder).hasSize(AGGREGATES);
    firstSeenOrder.forEach((aggregate, order) -> assertThat(order).as(aggregate).isSorted());
  }

  private void assertIdempotentConsumerHandlesEachOnce(List<ConsumerRecord<String, byte[]>> seen) {
    fixture.db.sql("CREATE TABLE handled (event_id TEXT, tenant TEXT)").then().block();
    Inbox inbox = new Inbox(fixture.db, fixture.tx);
    Flux.fromIterable(seen)
        .map(r -> CloudEventHeaders.read(r.headers(), r.value()))
        .concatMap(
            event ->
                inbox.processOnce(
                    "test-consumer",
                    event,
                    e ->
                        Mono.deferContextual(
                            ctx ->
                                fixture
                                    .db
                                    .sql("INSERT INTO handled VALUES (:id, :tenant)")
                                    .bind("id", e.id())
                                    .bind("tenant", CumulusContext.tenantId(ctx).orElse("none"))
                                    .then())))
        .blockLast();
    assertThat(
            fixture
                .db
                .sql("SELECT count(*) FROM handled WHERE tenant = 'tenant-x'")
                .map(r -> r.get(0, Long.class))
                .one()
                .block())
        .isEqualTo(EVENTS);
  }

  private long count(String where) {
    return fixture
        .db
        .sql("SELECT count(*) FROM cumulus_outbox WHERE " + where)
        .map(r -> r.get(0, Long.class))
        .one()
        .block();
  }

  private static Set<String> distinctIds(List<ConsumerRecord<String, byte[]>> seen) {
    Set<String> ids = new HashSet<>();
    seen.forEach(r -> ids.add(CloudEventHeaders.read(r.headers(), r.value()).id()));
    return ids;
  }

  private static void pollUntil(
      KafkaConsumer<String, byte[]> consumer,
      List<ConsumerRecord<String, byte[]>> seen,
      java.util.function.BooleanSupplier done,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out; saw " + seen.size() + " records");
      }
      consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }
  }
}
