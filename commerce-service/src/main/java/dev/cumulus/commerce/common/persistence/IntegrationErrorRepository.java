package dev.cumulus.commerce.common.persistence;

import dev.cumulus.platform.db.Rows;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The integration error log ({@code integration_errors}). */
@Repository
public class IntegrationErrorRepository {

  /** One logged failure. */
  public record LoggedError(
      Instant timestamp, String service, String message, String error, UUID orderId) {}

  private final DatabaseClient db;

  public IntegrationErrorRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(
      String tenantId, String service, String message, String error, UUID orderId) {
    var spec =
        db.sql(
                "INSERT INTO integration_errors (tenant_id, service, message, error, order_id)"
                    + " VALUES (:tenant, :service, :message, :error, :order)")
            .bind("service", service)
            .bind("message", message);
    spec = Rows.bindNullable(spec, "tenant", tenantId, String.class);
    spec = Rows.bindNullable(spec, "error", error, String.class);
    spec = Rows.bindNullable(spec, "order", orderId, UUID.class);
    return spec.then();
  }

  public Flux<LoggedError> recent(String tenantId, Instant since, int limit) {
    return db.sql(
            "SELECT occurred_at, service, message, error, order_id FROM integration_errors"
                + " WHERE tenant_id = :tenant AND occurred_at >= :since"
                + " ORDER BY occurred_at DESC, id DESC LIMIT :limit")
        .bind("tenant", tenantId)
        .bind("since", since.atOffset(ZoneOffset.UTC))
        .bind("limit", limit)
        .map(
            row ->
                new LoggedError(
                    Rows.instant(row, "occurred_at"),
                    row.get("service", String.class),
                    row.get("message", String.class),
                    row.get("error", String.class),
                    row.get("order_id", UUID.class)))
        .all();
  }
}
