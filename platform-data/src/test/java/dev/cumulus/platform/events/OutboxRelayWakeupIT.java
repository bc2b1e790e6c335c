package dev.cumulus.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * append leaves nothing to publish.
 */
class OutboxRelayWakeupIT {

  private static final Duration NEVER = Duration.ofHours(1);

  private final PostgresServer pg = TestInfrastructure.postgres();
  private final String topic = "outbox-wakeup-" + UUID.randomUUID();
  private OutboxFixture fixture;
  private OutboxRelay relay;

  @BeforeEach
  void database() {
    String database = pg.createDatabase("outbox_wakeup");
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
