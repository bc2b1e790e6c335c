package dev.cumulus.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The inbox's batch form on a real PostgreSQL: the handler sees each event id once per consumer,
 * whether it repeats inside a batch or comes again in a later one, and a failed batch leaves no id
 * behind, so its redelivery is handled.
 */
class InboxBatchIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private DatabaseClient db;
  private Inbox inbox;
  private final List<List<String>> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void database() {
    PostgresServer pg = TestInfrastructure.postgres();
    ConnectionFactory connections =
        ConnectionFactories.get(pg.r2dbcOptions(pg.createDatabase("platform_inbox")).build());
    db = DatabaseClient.create(connections);
    db.sql(
            "CREATE TABLE cumulus_inbox (consumer TEXT NOT NULL, event_id TEXT NOT NULL,"
                + " processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                + " PRIMARY KEY (consumer, event_id))")
        .then()
        .block(WAIT);
    inbox = new Inbox(db, TransactionalOperator.create(new R2dbcTransactionManager(connections)));
  }

  @Test
  void eachEventIdIsHandledOncePerConsumerInTheBatchOrder() {
    run("a", List.of(event("1"), event("2"), event("1"), event("3")));
    run("a", List.of(event("3"), event("4"), event("2")));
    run("a", List.of(event("4")));
    run("b", List.of(event("1")));

    assertThat(handled).containsExactly(List.of("1", "2", "3"), List.of("4"), List.of("1"));
  }

  @Test
  void aFailedBatchLeavesNoIdSoItsRedeliveryIsHandled() {
    Mono<Object> failing =
        inbox.processOnce(
            "a",
            List.of(event("1"), event("2")),
            events -> db.sql("INSERT INTO nowhere VALUES (1)").then().thenReturn((Object) "never"));
    assertThatThrownBy(() -> failing.block(WAIT)).isNotNull();
    assertThat(
            db.sql("SELECT count(*) AS n FROM cumulus_inbox")
                .map(row -> row.get("n", Long.class))
                .one()
                .block(WAIT))
        .isZero();

    run("a", List.of(event("2"), event("1")));
    assertThat(handled).containsExactly(List.of("2", "1"));
  }

  @Test
  void theBatchConsumerHandlesTheOthersWhenOneEventFailsThenReportsTheFailure() {
    InboxBatchConsumer consumer =
        new InboxBatchConsumer(
            inbox,
            "a",
            events ->
                events.stream().anyMatch(e -> e.id().equals("bad"))
                    ? Mono.error(new IllegalStateException("cannot take it"))
                    : Mono.fromRunnable(() -> handled.add(ids(events))).thenReturn(1));
    Message<List<byte[]>> poll =
        MessageBuilder.withPayload(List.of(new byte[0], new byte[0], new byte[0], new byte[0]))
            .setHeader(
                KafkaHeaders.BATCH_CONVERTED_HEADERS,
                List.of(headers("1"), headers("bad"), Map.of(), headers("2")))
            .build();

    assertThatThrownBy(() -> consumer.accept(poll)).hasMessageContaining("cannot take it");
    // the whole poll first (rolled back), then each event alone; the record without CloudEvent
    // headers is skipped
    assertThat(handled).containsExactly(List.of("1"), List.of("2"));

    // redelivered: what was handled is a duplicate now, the bad event fails again
    assertThatThrownBy(() -> consumer.accept(poll)).hasMessageContaining("cannot take it");
    assertThat(handled).hasSize(2);
  }

  private static Map<String, Object> headers(String id) {
    return Map.of(
        CloudEventHeaders.ID,
        id.getBytes(StandardCharsets.UTF_8),
        CloudEventHeaders.TYPE,
        "dev.cumulus.test.thing.created.v1",
        CloudEventHeaders.SOURCE,
        "/test");
  }

  private static List<String> ids(List<ReceivedEvent> events) {
    return events.stream().map(ReceivedEvent::id).toList();
  }

  private void run(String consumer, List<ReceivedEvent> events) {
    inbox
        .processOnce(
            consumer,
            events,
            fresh ->
                Mono.fromRunnable(() -> handled.add(fresh.stream().map(ReceivedEvent::id).toList()))
                    .thenReturn(1))
        .block(WAIT);
  }

  private static ReceivedEvent event(String id) {
    return new ReceivedEvent(
        id, "dev.cumulus.test.thing.created.v1", "/test", null, "t1", null, null, "{}");
  }
}
