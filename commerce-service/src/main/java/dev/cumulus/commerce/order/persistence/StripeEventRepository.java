package dev.cumulus.commerce.order.persistence;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Stripe event ids already handled. */
@Repository
public class StripeEventRepository {

  private final DatabaseClient db;

  public StripeEventRepository(DatabaseClient db) {
    this.db = db;
  }

  /** True when the event is new (and now recorded), false when it was seen before. */
  public Mono<Boolean> record(String eventId, String type) {
    return db.sql(
            "INSERT INTO stripe_events (event_id, type) VALUES (:id, :type)"
                + " ON CONFLICT (event_id) DO NOTHING")
        .bind("id", eventId)
        .bind("type", type)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  public Mono<Void> forget(String eventId) {
    return db.sql("DELETE FROM stripe_events WHERE event_id = :id").bind("id", eventId).then();
  }
}
