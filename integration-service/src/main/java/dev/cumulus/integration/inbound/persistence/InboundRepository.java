package dev.cumulus.integration.inbound.persistence;

import dev.cumulus.integration.inbound.domain.HealthCheck;
import dev.cumulus.integration.inbound.domain.InboundEvent;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Inbound webhook events and source health checks. */
@Repository
public class InboundRepository {

  private final DatabaseClient db;

  public InboundRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insertEvent(
      UUID id, String tenantId, UUID serviceId, String eventType, String payload, String status) {
    return db.sql(
            "INSERT INTO inbound_events (id, tenant_id, service_id, event_type, payload, status,"
                + " processed_at) VALUES (:id, :t, :s, :type, :payload, :status,"
                + " CASE WHEN :status = 'completed' THEN now() END)")
        .bind("id", id)
        .bind("t", tenantId)
        .bind("s", serviceId)
        .bind("type", eventType)
        .bind("payload", Json.of(payload))
        .bind("status", status)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<InboundEvent> events(String tenantId, int limit) {
    return db.sql(
            "SELECT e.*, s.name, s.base_url FROM inbound_events e"
                + " JOIN integration_services s ON s.id = e.service_id"
                + " WHERE e.tenant_id = :t ORDER BY e.created_at DESC LIMIT :limit")
        .bind("t", tenantId)
        .bind("limit", limit)
        .map(
            row ->
                new InboundEvent(
                    row.get("id", UUID.class),
                    row.get("name", String.class),
                    row.get("base_url", String.class),
                    row.get("event_type", String.class),
                    JsonColumns.text(row, "payload"),
                    row.get("status", String.class),
                    row.get("retry_count", Integer.class),
                    Rows.instant(row, "created_at"),
                    Rows.instant(row, "processed_at")))
        .all();
  }

  public Mono<HealthCheck> saveHealth(
      UUID serviceId, String name, String status, double seconds, String error) {
    return db.sql(
            "INSERT INTO integration_health (service_id, id, status, response_time, last_check,"
                + " error_message) VALUES (:s, :id, :status, :time, now(), :error)"
                + " ON CONFLICT (service_id) DO UPDATE SET status = :status, response_time = :time,"
                + " last_check = now(), error_message = :error RETURNING id, last_check")
        .bind("s", serviceId)
        .bind("id", UUID.randomUUID())
        .bind("status", status)
        .bind("time", seconds)
        .bind("error", error)
        .map(
            row ->
                new HealthCheck(
                    row.get("id", UUID.class),
                    name,
                    status,
                    seconds,
                    Rows.instant(row, "last_check"),
                    error))
        .one();
  }
}
