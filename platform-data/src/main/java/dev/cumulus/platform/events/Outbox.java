package dev.cumulus.platform.events;

import dev.cumulus.platform.context.CumulusContext;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Records an event in the outbox table. Call it inside the same R2DBC transaction as the state
 * change it describes (a {@code TransactionalOperator} or {@code @Transactional} around both): then
 * the event exists if and only if the change was committed, and {@link OutboxRelay} publishes it at
 * least once. The relay of this node hears of the commit and publishes at once.
 */
public class Outbox {

  private static final String INSERT =
      """
      INSERT INTO cumulus_outbox
        (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
      VALUES (:id, :topic, :key, :type, :source, :tenant, :request, CAST(:payload AS jsonb))
      """;

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final String service;
  private final OutboxSignal signal;
  private final TransactionSynchronization signalOnCommit;

  public Outbox(DatabaseClient db, ObjectMapper json, String service, OutboxSignal signal) {
    this.db = db;
    this.json = json;
    this.service = service;
    this.signal = signal;
    this.signalOnCommit =
        new TransactionSynchronization() {
          @Override
          public Mono<Void> afterCommit() {
            return Mono.fromRunnable(signal::committed);
          }
        };
  }

  /**
   * Appends an event for the tenant in the Reactor context.
   *
   * @param topic Kafka topic
   * @param aggregateId the entity's id; the Kafka key, so its events stay in order
   * @param entity e.g. {@code object}
   * @param verb e.g. {@code created}
   * @param data serialised to JSON as the event data
   * @return the new event's id
   */
  public Mono<UUID> append(
      String topic, String aggregateId, String entity, String verb, Object data) {
    return Mono.deferContextual(
        context ->
            appendForTenant(
                CumulusContext.tenantId(context).orElse(null),
                topic,
                aggregateId,
                entity,
                verb,
                data));
  }

  /** Appends an event for an explicit tenant, e.g. from work not bound to one request. */
  public Mono<UUID> appendForTenant(
      String tenantId, String topic, String aggregateId, String entity, String verb, Object data) {
    return rowForTenant(tenantId, topic, aggregateId, entity, verb, data).flatMap(this::append);
  }

  /**
   * The values of one outbox row (the columns of {@code INSERT}), for a caller that writes the row
   * itself in a statement of its own, e.g. a database function that changes its state and records
   * the event in one round trip. A fresh event id; the request id comes from the Reactor context.
   */
  public record Row(
      UUID id,
      String topic,
      String key,
      String type,
      String source,
      String tenantId,
      String requestId,
      String payload) {}

  /**
   * The row {@link #appendForTenant} would insert, without inserting it.
   *
   * @param aggregateId the entity's id; the Kafka key, so its events stay in order
   * @param data serialised to JSON as the event data
   */
  public Mono<Row> rowForTenant(
      String tenantId, String topic, String aggregateId, String entity, String verb, Object data) {
    return Mono.deferContextual(
        context ->
            Mono.just(
                new Row(
                    UUID.randomUUID(),
                    topic,
                    aggregateId,
                    EventTypes.type(service, entity, verb),
                    EventTypes.source(service),
                    tenantId,
                    CumulusContext.requestId(context).orElse(null),
                    json.writeValueAsString(data))));
  }

  /** Appends a row made by {@link #rowForTenant}; returns its event id. */
  public Mono<UUID> append(Row row) {
    GenericExecuteSpec spec =
        db.sql(INSERT)
            .bind("id", row.id())
            .bind("topic", row.topic())
            .bind("key", row.key())
            .bind("type", row.type())
            .bind("source", row.source())
            .bind("payload", row.payload());
    spec = bindNullable(spec, "tenant", row.tenantId());
    spec = bindNullable(spec, "request", row.requestId());
    return spec.fetch().rowsUpdated().then(signalRelayOnCommit()).thenReturn(row.id());
  }

  /**
   * Wakes this node's relay once the current transaction commits, or now outside a transaction (the
   * statement that wrote the row has committed by itself). {@link #append} does it; a caller
   * writing a {@link Row} with a statement of its own calls it after that statement. Without it the
   * row still goes out, at the relay's next poll.
   */
  public Mono<Void> signalRelayOnCommit() {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .filter(TransactionSynchronizationManager::isSynchronizationActive)
        .doOnNext(transaction -> transaction.registerSynchronization(signalOnCommit))
        .switchIfEmpty(Mono.fromRunnable(signal::committed))
        .onErrorResume(NoTransactionException.class, none -> Mono.fromRunnable(signal::committed))
        .then();
  }

  private static GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String name, String v) {
    return v == null ? spec.bindNull(name, String.class) : spec.bind(name, v);
  }
}
