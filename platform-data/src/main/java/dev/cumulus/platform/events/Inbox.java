package dev.cumulus.platform.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Makes a consumer idempotent: the event id is recorded in the same transaction as the handler's
 * own writes, so an event delivered twice (the outbox is at-least-once) is handled once.
 */
public class Inbox {

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  public Inbox(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  /**
   * Runs {@code handler} unless {@code consumer} has already handled this event. The handler runs
   * with the event's tenant and request ids in its Reactor context.
   *
   * @return the handler's result, or empty when the event was a duplicate
   */
  public <T> Mono<T> processOnce(
      String consumer, ReceivedEvent event, Function<ReceivedEvent, Mono<T>> handler) {
    Mono<T> once =
        db.sql(
                "INSERT INTO cumulus_inbox (consumer, event_id) VALUES (:consumer, :id)"
                    + " ON CONFLICT DO NOTHING")
            .bind("consumer", consumer)
            .bind("id", event.id())
            .fetch()
            .rowsUpdated()
            .flatMap(inserted -> inserted == 1 ? handler.apply(event) : Mono.empty());
    return tx.transactional(once).contextWrite(event::applyTo);
  }

  /**
   * The batch form: records every event id of {@code events} in one statement and runs {@code
   * handler} once with the events {@code consumer} has not handled before (in their order, each id
   * once), all in one transaction. A rollback forgets every id of the batch, so a redelivered batch
   * is handled again. The handler applies each event's tenant and request ids itself ({@link
   * ReceivedEvent#applyTo}) where it needs them.
   *
   * @return the handler's result, or empty when every event was a duplicate
   */
  public <T> Mono<T> processOnce(
      String consumer, List<ReceivedEvent> events, Function<List<ReceivedEvent>, Mono<T>> handler) {
    if (events.isEmpty()) {
      return Mono.empty();
    }
    Mono<T> once =
        db.sql(
                "INSERT INTO cumulus_inbox (consumer, event_id)"
                    + " SELECT :consumer, id FROM unnest(CAST(:ids AS text[])) AS id"
                    + " ON CONFLICT DO NOTHING RETURNING event_id")
            .bind("consumer", consumer)
            .bind("ids", events.stream().map(ReceivedEvent::id).toArray(String[]::new))
            .map(row -> row.get("event_id", String.class))
            .all()
            .collect(Collectors.toSet())
            .flatMap(
                fresh -> fresh.isEmpty() ? Mono.empty() : handler.apply(firsts(events, fresh)));
    return tx.transactional(once);
  }

  /** The events whose ids are in {@code fresh}, each id once (its first occurrence), in order. */
  private static List<ReceivedEvent> firsts(List<ReceivedEvent> events, Set<String> fresh) {
    Set<String> left = new HashSet<>(fresh);
    return events.stream().filter(event -> left.remove(event.id())).toList();
  }
}
