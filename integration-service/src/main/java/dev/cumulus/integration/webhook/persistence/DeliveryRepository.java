package dev.cumulus.integration.webhook.persistence;

import dev.cumulus.integration.webhook.domain.ClaimedDelivery;
import dev.cumulus.integration.webhook.domain.WebhookAttempt;
import dev.cumulus.platform.db.Rows;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Messages, their deliveries to endpoints, and the attempt log. */
@Repository
public class DeliveryRepository {

  /**
   * Claims due deliveries with {@code FOR UPDATE SKIP LOCKED}, so nodes never claim the same one,
   * and moves each past its lease. An endpoint already at its in-flight limit is skipped, so a slow
   * one cannot take every slot; an ordered endpoint gets its oldest pending delivery only.
   */
  private static final String CLAIM =
      """
      WITH candidates AS (
        SELECT d.id, d.endpoint_id, d.next_attempt_at
        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND e.enabled
          AND (SELECT count(*) FROM webhook_deliveries f
               WHERE f.endpoint_id = d.endpoint_id AND f.in_flight
                 AND f.next_attempt_at > now()) < :per_endpoint
          AND (NOT e.ordered OR NOT EXISTS (
               SELECT 1 FROM webhook_deliveries p
               WHERE p.endpoint_id = d.endpoint_id AND p.status = 'pending' AND p.seq < d.seq))
        ORDER BY d.next_attempt_at
        LIMIT :scan
        FOR UPDATE OF d SKIP LOCKED
      ), chosen AS (
        SELECT id FROM (
          SELECT id, next_attempt_at,
                 row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS rank
          FROM candidates) ranked
        WHERE rank <= :per_endpoint
        ORDER BY next_attempt_at
        LIMIT :limit
      )
      UPDATE webhook_deliveries d
      SET attempts = d.attempts + 1, in_flight = true,
          next_attempt_at = now() + make_interval(secs => :lease_seconds)
      FROM chosen, webhook_messages m, webhook_endpoints e
      WHERE d.id = chosen.id AND m.id = d.message_id AND e.id = d.endpoint_id
      RETURNING d.id, d.attempts, d.message_id, m.event_type, m.payload, e.id AS endpoint_id,
                e.tenant_id, e.url, e.secret, e.previous_secret, e.previous_expires_at,
                e.headers::text AS headers
      """;

  private final DatabaseClient db;

  public DeliveryRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Stores the message (unless the event was seen before) and one pending delivery per endpoint
   * (unless it exists) in one statement: one round trip per event in the consumer's transaction.
   */
  public Mono<Void> insertMessageAndDeliveries(
      String id,
      String tenantId,
      String eventId,
      String eventType,
      String payload,
      List<UUID> endpointIds) {
    return db.sql(
            """
            WITH message AS (
              INSERT INTO webhook_messages (id, tenant_id, event_id, event_type, payload)
              VALUES (:id, :tenant, :event, :type, :payload) ON CONFLICT DO NOTHING
            )
            INSERT INTO webhook_deliveries (id, message_id, endpoint_id)
            SELECT gen_random_uuid(), :id, endpoint
            FROM unnest(CAST(:endpoints AS uuid[])) AS endpoint
            ON CONFLICT DO NOTHING
            """)
        .bind("id", id)
        .bind("tenant", tenantId)
        .bind("event", eventId)
        .bind("type", eventType)
        .bind("payload", payload)
        .bind("endpoints", endpointIds.stream().map(UUID::toString).toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<ClaimedDelivery> claim(int limit, int perEndpoint, Duration lease) {
    return db.sql(CLAIM)
        .bind("limit", limit)
        .bind("scan", limit * 4)
        .bind("per_endpoint", perEndpoint)
        .bind("lease_seconds", lease.toMillis() / 1000.0)
        .map(
            row ->
                new ClaimedDelivery(
                    row.get("id", UUID.class),
                    row.get("attempts", Integer.class),
                    row.get("message_id", String.class),
                    row.get("event_type", String.class),
                    row.get("payload", String.class),
                    row.get("endpoint_id", UUID.class),
                    row.get("tenant_id", String.class),
                    row.get("url", String.class),
                    bytes(row.get("secret", ByteBuffer.class)),
                    bytes(row.get("previous_secret", ByteBuffer.class)),
                    Rows.instant(row, "previous_expires_at"),
                    HeaderColumn.read(row.get("headers", String.class))))
        .all();
  }

  /** Ends a delivery: {@code succeeded} or {@code failed}. */
  public Mono<Void> finish(UUID id, String status) {
    return db.sql(
            "UPDATE webhook_deliveries SET status = :status, in_flight = false WHERE id = :id")
        .bind("id", id)
        .bind("status", status)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> retryAt(UUID id, Instant at) {
    return db.sql(
            "UPDATE webhook_deliveries SET in_flight = false, next_attempt_at = :at WHERE id = :id")
        .bind("id", id)
        .bind("at", at)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> recordAttempt(ClaimedDelivery d, AttemptRecord r) {
    var spec =
        db.sql(
                "INSERT INTO webhook_attempts (id, delivery_id, endpoint_id, message_id, attempt,"
                    + " status_code, latency_ms, response_excerpt, error) VALUES (:id, :delivery,"
                    + " :endpoint, :message, :attempt, :status, :latency, :excerpt, :error)")
            .bind("id", UUID.randomUUID())
            .bind("delivery", d.id())
            .bind("endpoint", d.endpointId())
            .bind("message", d.messageId())
            .bind("attempt", d.attempt())
            .bind("latency", r.latencyMs())
            .bind("excerpt", r.excerpt());
    spec = Rows.bindNullable(spec, "status", r.statusCode(), Integer.class);
    spec = Rows.bindNullable(spec, "error", r.error(), String.class);
    return spec.fetch().rowsUpdated().then();
  }

  /**
   * Records successful attempts in one statement: each attempt logged, its delivery ended, and the
   * failure run of every endpoint involved cleared (only where one is running, so a healthy
   * endpoint's row is not written, nor locked, by every delivery).
   */
  public Mono<Void> recordSucceeded(List<Succeeded> batch) {
    return db.sql(
            """
            WITH attempt AS (
              SELECT * FROM unnest(CAST(:delivery AS uuid[]), CAST(:endpoint AS uuid[]),
                                   CAST(:message AS text[]), CAST(:attempt AS int[]),
                                   CAST(:status AS int[]), CAST(:latency AS bigint[]),
                                   CAST(:excerpt AS text[]))
                AS a(delivery_id, endpoint_id, message_id, attempt, status_code, latency_ms,
                     response_excerpt)
            ), logged AS (
              INSERT INTO webhook_attempts (id, delivery_id, endpoint_id, message_id, attempt,
                                            status_code, latency_ms, response_excerpt)
              SELECT gen_random_uuid(), delivery_id, endpoint_id, message_id, attempt,
                     status_code, latency_ms, response_excerpt
              FROM attempt
            ), ended AS (
              UPDATE webhook_deliveries d SET status = 'succeeded', in_flight = false
              FROM attempt a WHERE d.id = a.delivery_id
            )
            UPDATE webhook_endpoints SET failing_since = NULL
            WHERE id IN (SELECT endpoint_id FROM attempt) AND failing_since IS NOT NULL
            """)
        .bind("delivery", batch.stream().map(s -> s.deliveryId().toString()).toArray(String[]::new))
        .bind("endpoint", batch.stream().map(s -> s.endpointId().toString()).toArray(String[]::new))
        .bind("message", batch.stream().map(Succeeded::messageId).toArray(String[]::new))
        .bind("attempt", batch.stream().map(Succeeded::attempt).toArray(Integer[]::new))
        .bind("status", batch.stream().map(Succeeded::statusCode).toArray(Integer[]::new))
        .bind("latency", batch.stream().map(Succeeded::latencyMs).toArray(Long[]::new))
        .bind("excerpt", batch.stream().map(Succeeded::excerpt).toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A successful attempt, as {@link #recordSucceeded} records it. */
  public record Succeeded(
      UUID deliveryId,
      UUID endpointId,
      String messageId,
      int attempt,
      int statusCode,
      long latencyMs,
      String excerpt) {}

  /** What one attempt showed. */
  public record AttemptRecord(Integer statusCode, long latencyMs, String excerpt, String error) {}

  /** The endpoint's attempts, newest first. */
  public Flux<WebhookAttempt> attempts(UUID endpointId, int limit) {
    return db.sql(
            "SELECT a.*, m.event_type FROM webhook_attempts a"
                + " JOIN webhook_messages m ON m.id = a.message_id"
                + " WHERE a.endpoint_id = :endpoint ORDER BY a.created_at DESC LIMIT :limit")
        .bind("endpoint", endpointId)
        .bind("limit", limit)
        .map(
            row ->
                new WebhookAttempt(
                    row.get("id", UUID.class),
                    row.get("message_id", String.class),
                    row.get("event_type", String.class),
                    row.get("attempt", Integer.class),
                    row.get("status_code", Integer.class),
                    row.get("latency_ms", Long.class),
                    row.get("response_excerpt", String.class),
                    row.get("error", String.class),
                    Rows.instant(row, "created_at")))
        .all();
  }

  /** Sends one message of the endpoint again; false when it never went to the endpoint. */
  public Mono<Boolean> replay(UUID endpointId, String messageId) {
    return db.sql(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, in_flight = false,"
                + " next_attempt_at = now() WHERE endpoint_id = :endpoint AND message_id = :message")
        .bind("endpoint", endpointId)
        .bind("message", messageId)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /** Sends every message of the endpoint created in [since, until) again; how many. */
  public Mono<Long> replay(UUID endpointId, Instant since, Instant until) {
    return db.sql(
            "UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, in_flight = false,"
                + " next_attempt_at = now() FROM webhook_messages m WHERE m.id = d.message_id"
                + " AND d.endpoint_id = :endpoint AND m.created_at >= :since"
                + " AND m.created_at < :until")
        .bind("endpoint", endpointId)
        .bind("since", since)
        .bind("until", until)
        .fetch()
        .rowsUpdated();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }
}
