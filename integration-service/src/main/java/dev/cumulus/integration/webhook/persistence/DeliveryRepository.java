package dev.cumulus.integration.webhook.persistence;

import dev.cumulus.integration.webhook.domain.ClaimedDelivery;
import dev.cumulus.integration.webhook.domain.WebhookAttempt;
import dev.cumulus.platform.db.Rows;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
   * Claims due deliveries endpoint by endpoint, each endpoint a lane of its own: an endpoint gets
   * at most {@code per_endpoint} deliveries in flight (counting those already in flight on any
   * node), its oldest due ones, so neither a slow endpoint's backlog nor its in-flight deliveries
   * stand in the way of another endpoint's; an ordered endpoint gets its oldest pending delivery
   * only. Across the lanes the oldest due go first, up to {@code limit} (the node's free slots).
   * Rows are locked {@code FOR UPDATE SKIP LOCKED}, so nodes never claim the same one, and each is
   * moved past its lease.
   */
  private static final String CLAIM =
      """
      WITH due AS (
        SELECT DISTINCT endpoint_id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
      ), lanes AS (
        SELECT e.id, e.ordered,
               :per_endpoint - (SELECT count(*) FROM webhook_deliveries f
                                WHERE f.endpoint_id = e.id AND f.in_flight
                                  AND f.next_attempt_at > now()) AS free
        FROM due JOIN webhook_endpoints e ON e.id = due.endpoint_id
        WHERE e.enabled
      ), chosen AS (
        SELECT c.id FROM lanes l CROSS JOIN LATERAL (
          SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
          WHERE d.endpoint_id = l.id AND d.status = 'pending' AND d.next_attempt_at <= now()
            AND (NOT l.ordered OR NOT EXISTS (
                 SELECT 1 FROM webhook_deliveries p
                 WHERE p.endpoint_id = d.endpoint_id AND p.status = 'pending' AND p.seq < d.seq))
          ORDER BY d.next_attempt_at, d.seq
          LIMIT l.free
          FOR UPDATE SKIP LOCKED
        ) c
        WHERE l.free > 0
        ORDER BY c.next_attempt_at
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
   * Stores the messages (unless their event was seen before) and one pending delivery per message
   * and endpoint (unless it exists) in one statement: one round trip per batch of events in the
   * consumer's transaction. Deliveries are numbered in the order given, which ordered endpoints
   * rely on.
   */
  public Mono<Void> insertMessagesAndDeliveries(List<NewMessage> messages) {
    List<String> deliveryMessages = new ArrayList<>();
    List<String> deliveryEndpoints = new ArrayList<>();
    for (NewMessage m : messages) {
      for (UUID endpoint : m.endpointIds()) {
        deliveryMessages.add(m.id());
        deliveryEndpoints.add(endpoint.toString());
      }
    }
    return db.sql(
            """
            WITH message AS (
              INSERT INTO webhook_messages (id, tenant_id, event_id, event_type, payload)
              SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]),
                                   CAST(:events AS text[]), CAST(:types AS text[]),
                                   CAST(:payloads AS text[]))
              ON CONFLICT DO NOTHING
            )
            INSERT INTO webhook_deliveries (id, message_id, endpoint_id)
            SELECT gen_random_uuid(), d.message_id, d.endpoint_id
            FROM unnest(CAST(:delivery_messages AS text[]), CAST(:delivery_endpoints AS uuid[]))
              WITH ORDINALITY AS d(message_id, endpoint_id, n)
            ORDER BY d.n
            ON CONFLICT DO NOTHING
            """)
        .bind("ids", messages.stream().map(NewMessage::id).toArray(String[]::new))
        .bind("tenants", messages.stream().map(NewMessage::tenantId).toArray(String[]::new))
        .bind("events", messages.stream().map(NewMessage::eventId).toArray(String[]::new))
        .bind("types", messages.stream().map(NewMessage::eventType).toArray(String[]::new))
        .bind("payloads", messages.stream().map(NewMessage::payload).toArray(String[]::new))
        .bind("delivery_messages", deliveryMessages.toArray(String[]::new))
        .bind("delivery_endpoints", deliveryEndpoints.toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A message to store with the endpoints it goes to. */
  public record NewMessage(
      String id,
      String tenantId,
      String eventId,
      String eventType,
      String payload,
      List<UUID> endpointIds) {}

  public Flux<ClaimedDelivery> claim(int limit, int perEndpoint, Duration lease) {
    return db.sql(CLAIM)
        .bind("limit", limit)
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
