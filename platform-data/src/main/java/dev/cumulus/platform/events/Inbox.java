package dev.cumulus.platform.events;

import java.util.function.Function;
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
}
