package dev.cumulus.database.nosql.persistence;

import java.time.Duration;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * TransactWriteItems' client request tokens within their idempotency window. Used inside the
 * writing transaction: {@link #lock} serialises requests of one token, so a retry racing its
 * original waits for it and then sees its token.
 */
@Repository
public class TransactionTokenRepository {

  private final DatabaseClient db;

  public TransactionTokenRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Holds the token's lock until the transaction ends. */
  public Mono<Void> lock(String service, String token) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 1))")
        .bind("k", service + "/" + token)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The request hash the token was first used with, if that was within {@code window}. */
  public Mono<Optional<String>> recent(String service, String token, Duration window) {
    return db.sql(
            """
            SELECT request_hash FROM nosql_transaction_tokens
            WHERE service_id = :service AND token = :token
              AND created_at > now() - make_interval(secs => :seconds)
            """)
        .bind("service", service)
        .bind("token", token)
        .bind("seconds", (double) window.toSeconds())
        .map(row -> Optional.ofNullable(row.get("request_hash", String.class)))
        .one()
        .defaultIfEmpty(Optional.empty());
  }

  /** Records the token's request (replacing an expired use of the same token). */
  public Mono<Void> record(String service, String token, String requestHash) {
    return db.sql(
            """
            INSERT INTO nosql_transaction_tokens (service_id, token, request_hash)
            VALUES (:service, :token, :hash)
            ON CONFLICT (service_id, token)
            DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
            """)
        .bind("service", service)
        .bind("token", token)
        .bind("hash", requestHash)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Deletes tokens older than {@code window}; the number deleted. */
  public Mono<Long> expire(Duration window) {
    return db.sql(
            "DELETE FROM nosql_transaction_tokens"
                + " WHERE created_at < now() - make_interval(secs => :seconds)")
        .bind("seconds", (double) window.toSeconds())
        .fetch()
        .rowsUpdated();
  }
}
