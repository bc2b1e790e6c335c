package dev.cumulus.kafka.topics.persistence;

import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Idempotency keys of produce requests, per instance. */
@Repository
public class ProduceKeyRepository {

  /** A recorded key: the request's hash and its answer (null while the produce runs). */
  public record Entry(String requestHash, String response) {}

  private final DatabaseClient db;

  public ProduceKeyRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Claims the key for a new produce; false when another request holds it (live). */
  public Mono<Boolean> claim(String serviceId, String key, String requestHash, Duration ttl) {
    return db.sql(
            """
            INSERT INTO kafka_produce_keys (service_id, idem_key, request_hash)
            VALUES (:service, :key, :hash)
            ON CONFLICT (service_id, idem_key) DO UPDATE
              SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
              WHERE kafka_produce_keys.created_at < now() - make_interval(secs => :ttl)
            """)
        .bind("service", serviceId)
        .bind("key", key)
        .bind("hash", requestHash)
        .bind("ttl", (double) ttl.toSeconds())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  public Mono<Entry> find(String serviceId, String key) {
    return db.sql(
            "SELECT request_hash, response FROM kafka_produce_keys"
                + " WHERE service_id = :service AND idem_key = :key")
        .bind("service", serviceId)
        .bind("key", key)
        .map(
            row ->
                new Entry(row.get("request_hash", String.class), row.get("response", String.class)))
        .one();
  }

  public Mono<Void> answer(String serviceId, String key, String response) {
    return db.sql(
            "UPDATE kafka_produce_keys SET response = :response"
                + " WHERE service_id = :service AND idem_key = :key")
        .bind("service", serviceId)
        .bind("key", key)
        .bind("response", response)
        .then();
  }

  /** Releases a key whose produce failed, so that a retry produces. */
  public Mono<Void> release(String serviceId, String key) {
    return db.sql(
            "DELETE FROM kafka_produce_keys WHERE service_id = :service AND idem_key = :key"
                + " AND response IS NULL")
        .bind("service", serviceId)
        .bind("key", key)
        .then();
  }

  public Mono<Long> deleteOlderThan(Duration ttl) {
    return db.sql(
            "DELETE FROM kafka_produce_keys WHERE created_at < now() - make_interval(secs => :ttl)")
        .bind("ttl", (double) ttl.toSeconds())
        .fetch()
        .rowsUpdated();
  }
}
