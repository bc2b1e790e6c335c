package dev.cumulus.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A commit wakes the relay: with a poll interval far longer than the test, events still reach Kafka
 * within seconds of their commit — appended in a transaction, appended without one, or written by a
 * statement of the caller's own followed by {@link Outbox#signalRelayOnCommit}; a rolled-back
 * append leaves nothing to publish. A quiet relay does not wait its batch window between single
 * events, and a relay that found the lock taken by another replica publishes once it is free. A run
 * that cannot publish does not stop the relay: it waits its batch window, and a later run
 * publishes.
 */
class OutboxRelayWakeupIT {

  private static final Duration NEVER = Duration.ofHours(1);

  private final PostgresServer pg = TestInfrastructure.postgres();
  private final String topic = "outbox-wakeup-" + UUID.randomUUID();
  private String database;
  private OutboxFixture fixture;
  private OutboxRelay relay;

  @BeforeEach
  void database() {
    database = pg.createDatabase("outbox_wakeup");
    OutboxFixture.migrate(pg, database);
    fixture = new OutboxFixture(pg, database);
  }

  @AfterEach
  void stopRelay() {
    if (relay != null) {
      relay.stop();
    }
  }

  @Test
  void everyCommitWakesTheRelayLongBeforeItsPoll() {
    Outbox outbox = fixture.outbox("wakeuptest");
    relay =
        fixture.relay(
            KafkaEventPublisher.connect(TestInfrastructure.kafkaBootstrapServers(), "wakeup"),
            100,
            NEVER);
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(topic)) {
      relay.start(); // its first run, at once, finds nothing: every later one is a wake-up

      AtomicReference<UUID> rolledBack = new AtomicReference<>();
      Mono<UUID> failing =
          append(outbox, "rolled-back")
              .doOnNext(rolledBack::set)
              .then(Mono.<UUID>error(new IllegalStateException("roll back")))
              .as(fixture.tx::transactional);
      assertThat(failing.onErrorResume(IllegalStateException.class, e -> Mono.empty()).block())
          .isNull();
      UUID inTransaction = append(outbox, "in-transaction").as(fixture.tx::transactional).block();
      UUID autoCommitted = append(outbox, "auto-committed").block();
      UUID ownStatement =
          outbox
              .rowForTenant("tenant-w", topic, "agg", "thing", "changed", Map.of("how", "own"))
              .flatMap(
                  row -> insertRow(row).then(outbox.signalRelayOnCommit()).thenReturn(row.id()))
              .as(fixture.tx::transactional)
              .block();

      Set<String> seen = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(100))
            .forEach(r -> seen.add(CloudEventHeaders.read(r.headers(), r.value()).id()));
      }
      assertThat(seen)
          .as("published within 20 s although the relay polls hourly")
          .containsExactlyInAnyOrder(
              inTransaction.toString(), autoCommitted.toString(), ownStatement.toString());
      assertThat(rolledBack.get()).as("the rolled-back transaction did append").isNotNull();
      awaitNoPendingRows(); // the relay marks them published once Kafka has acknowledged them
    }
  }

  @Test
  void aQuietRelayPublishesEachCommitAtOnceDespiteItsBatchWindow() {
    Outbox outbox = fixture.outbox("wakeuptest");
    relay =
        fixture.relay(
            KafkaEventPublisher.connect(TestInfrastructure.kafkaBootstrapServers(), "quiet"),
            100,
            NEVER,
            Duration.ofSeconds(30));
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(topic)) {
      relay.start();
      // Each event after the previous one arrived: a relay that waited its window after every run
      // would hold the second and third for 30 s.
      for (String how : new String[] {"first", "second", "third"}) {
        UUID id = append(outbox, how).as(fixture.tx::transactional).block();
        assertThat(awaitPublished(consumer, id, Duration.ofSeconds(10)))
            .as("%s published long before the 30 s window", how)
            .isTrue();
      }
    }
  }

  @Test
  void aRelayWokenWhileAnotherHoldsTheLockPublishesOnceItIsFree() throws Exception {
    Outbox outbox = fixture.outbox("wakeuptest");
    relay =
        fixture.relay(
            KafkaEventPublisher.connect(TestInfrastructure.kafkaBootstrapServers(), "contended"),
            100,
            NEVER);
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(topic);
        Connection otherRelay =
            DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password())) {
      relay.start();
      // Another replica's relay holds the lock while this node commits and signals.
      try (var lock = otherRelay.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, OutboxRelay.RELAY_LOCK);
        lock.execute();
      }
      UUID id = append(outbox, "contended").as(fixture.tx::transactional).block();
      assertThat(awaitPublished(consumer, id, Duration.ofMillis(500)))
          .as("not published while the lock is held")
          .isFalse();
      try (var unlock = otherRelay.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        unlock.setLong(1, OutboxRelay.RELAY_LOCK);
        unlock.execute();
      }
      assertThat(awaitPublished(consumer, id, Duration.ofSeconds(10)))
          .as("published soon after the lock is free, although the relay polls hourly")
          .isTrue();
    }
  }

  @Test
  void aFailedRunBacksOffItsBatchWindowAndLaterRunsStillPublish() throws InterruptedException {
    Outbox outbox = fixture.outbox("wakeuptest");
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    List<UUID> published = new CopyOnWriteArrayList<>();
    EventPublisher flaky =
        batch ->
            Mono.defer(
                () -> {
                  attempts.incrementAndGet();
                  if (broken.get()) {
                    return Mono.error(new IllegalStateException("broker away"));
                  }
                  batch.forEach(event -> published.add(event.id()));
                  return Mono.empty();
                });
    // Polls every 10 ms, but a failed run waits its 300 ms batch window before the next.
    relay = fixture.relay(flaky, 100, Duration.ofMillis(10), Duration.ofMillis(300));
    relay.start();
    UUID id = append(outbox, "while-broken").as(fixture.tx::transactional).block();

    Thread.sleep(1500);
    assertThat(attempts.get())
        .as("failed runs go on, one per batch window (not one per 10 ms poll)")
        .isBetween(2, 8);
    assertThat(published).isEmpty();

    broken.set(false);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!published.contains(id) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(published).as("published by a run after the failures").containsExactly(id);
    awaitNoPendingRows();
  }

  private static boolean awaitPublished(
      KafkaConsumer<String, byte[]> consumer, UUID id, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (var r : consumer.poll(Duration.ofMillis(50))) {
        if (CloudEventHeaders.read(r.headers(), r.value()).id().equals(id.toString())) {
          return true;
        }
      }
    }
    return false;
  }

  private Mono<UUID> append(Outbox outbox, String how) {
    return outbox.appendForTenant("tenant-w", topic, "agg", "thing", "changed", Map.of("how", how));
  }

  /** The row as a caller's own statement (e.g. a database function) would write it. */
  private Mono<Void> insertRow(Outbox.Row row) {
    return fixture
        .db
        .sql(
            """
            INSERT INTO cumulus_outbox (event_id, topic, event_key, event_type, source, tenant_id,
                                        payload)
            VALUES (:id, :topic, :key, :type, :source, :tenant, CAST(:payload AS jsonb))
            """)
        .bind("id", row.id())
        .bind("topic", row.topic())
        .bind("key", row.key())
        .bind("type", row.type())
        .bind("source", row.source())
        .bind("tenant", row.tenantId())
        .bind("payload", row.payload())
        .then();
  }

  private void awaitNoPendingRows() {
    Mono<Long> pending =
        fixture
            .db
            .sql("SELECT count(*) FROM cumulus_outbox WHERE published_at IS NULL")
            .map(r -> r.get(0, Long.class))
            .one();
    assertThat(
            pending
                .filter(n -> n == 0)
                .repeatWhenEmpty(times -> times.delayElements(Duration.ofMillis(100)).take(50))
                .block())
        .isZero();
  }
}
