package dev.cumulus.integration.webhook.persistence;

import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code webhook_endpoints} table; every read and write names the tenant. */
@Repository
public class EndpointRepository {

  private static final String COLUMNS =
      "id, tenant_id, url, description, event_types, enabled, ordered, disabled_reason,"
          + " failing_since, created_at, updated_at, headers::text AS headers";

  private final DatabaseClient db;

  public EndpointRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<WebhookEndpoint> insert(WebhookEndpoint e, byte[] sealedSecret) {
    return db.sql(
            "INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types,"
                + " enabled, ordered, secret, headers) VALUES (:id, :tenant, :url, :description,"
                + " :types, :enabled, :ordered, :secret, CAST(:headers AS jsonb)) RETURNING "
                + COLUMNS)
        .bind("id", e.id())
        .bind("tenant", e.tenantId())
        .bind("url", e.url())
        .bind("description", e.description())
        .bind("types", e.eventTypes().toArray(String[]::new))
        .bind("enabled", e.enabled())
        .bind("ordered", e.ordered())
        .bind("secret", sealedSecret)
        .bind("headers", HeaderColumn.write(e.headers()))
        .map(EndpointRepository::map)
        .one();
  }

  public Mono<WebhookEndpoint> find(String tenantId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .map(EndpointRepository::map)
        .one();
  }

  public Flux<WebhookEndpoint> list(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE tenant_id = :t ORDER BY created_at")
        .bind("t", tenantId)
        .map(EndpointRepository::map)
        .all();
  }

  /** The enabled endpoints of these tenants: those their events may go to. */
  public Flux<WebhookEndpoint> enabled(List<String> tenantIds) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE tenant_id = ANY(CAST(:t AS text[])) AND enabled")
        .bind("t", tenantIds.toArray(String[]::new))
        .map(EndpointRepository::map)
        .all();
  }

  /** Saves the editable fields; enabling again clears the reason and the failure run. */
  public Mono<WebhookEndpoint> update(WebhookEndpoint e) {
    return db.sql(
            "UPDATE webhook_endpoints SET url = :url, description = :description,"
                + " event_types = :types, ordered = :ordered, enabled = :enabled,"
                + " headers = CAST(:headers AS jsonb),"
                + " disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,"
                + " failing_since = CASE WHEN :enabled THEN NULL ELSE failing_since END,"
                + " updated_at = now() WHERE tenant_id = :t AND id = :id RETURNING "
                + COLUMNS)
        .bind("t", e.tenantId())
        .bind("id", e.id())
        .bind("url", e.url())
        .bind("description", e.description())
        .bind("types", e.eventTypes().toArray(String[]::new))
        .bind("ordered", e.ordered())
        .bind("enabled", e.enabled())
        .bind("headers", HeaderColumn.write(e.headers()))
        .map(EndpointRepository::map)
        .one();
  }

  public Mono<Boolean> delete(String tenantId, UUID id) {
    return db.sql("DELETE FROM webhook_endpoints WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /** The current secret becomes the previous one, valid until {@code previousUntil}. */
  public Mono<Boolean> rotate(
      String tenantId, UUID id, byte[] sealedSecret, Instant previousUntil) {
    return db.sql(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_expires_at = :until,"
                + " secret = :secret, updated_at = now() WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .bind("secret", sealedSecret)
        .bind("until", previousUntil)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /** Records a failure; returns when the current run of failures began. */
  public Mono<Instant> failed(UUID id) {
    return db.sql(
            "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())"
                + " WHERE id = :id RETURNING failing_since")
        .bind("id", id)
        .map(row -> Rows.instant(row, "failing_since"))
        .one();
  }

  /** Disables an enabled endpoint; empty when it was disabled already. */
  public Mono<WebhookEndpoint> disable(UUID id, String reason) {
    return db.sql(
            "UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason,"
                + " updated_at = now() WHERE id = :id AND enabled RETURNING "
                + COLUMNS)
        .bind("id", id)
        .bind("reason", reason)
        .map(EndpointRepository::map)
        .one();
  }

  private static WebhookEndpoint map(Readable row) {
    return new WebhookEndpoint(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("url", String.class),
        row.get("description", String.class),
        List.copyOf(Rows.strings(row, "event_types")),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
        Boolean.TRUE.equals(row.get("ordered", Boolean.class)),
        row.get("disabled_reason", String.class),
        Rows.instant(row, "failing_since"),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"),
        HeaderColumn.read(row.get("headers", String.class)));
  }
}
