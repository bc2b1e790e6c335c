package dev.cumulus.commerce.order.persistence;

import dev.cumulus.platform.db.Rows;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refunds of orders: {@code pending} until Stripe made them, then {@code succeeded}/{@code failed}.
 */
@Repository
public class RefundRepository {

  /** One refund row. */
  public record RefundRow(
      UUID id,
      UUID orderId,
      String tenantId,
      long amount,
      String reason,
      String status,
      String stripeRefundId,
      Long stripeCreated) {}

  private final DatabaseClient db;

  public RefundRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<RefundRow> insert(
      UUID id, UUID orderId, String tenantId, long amount, String reason) {
    var spec =
        db.sql(
                "INSERT INTO refunds (id, order_id, tenant_id, amount_minor, reason, status)"
                    + " VALUES (:id, :order, :tenant, :amount, :reason, 'pending') RETURNING *")
            .bind("id", id)
            .bind("order", orderId)
            .bind("tenant", tenantId)
            .bind("amount", amount);
    return Rows.bindNullable(spec, "reason", reason, String.class).map(this::row).one();
  }

  public Mono<RefundRow> settle(UUID id, String status, String stripeId, Long created) {
    var spec =
        db.sql(
                "UPDATE refunds SET status = :status, stripe_refund_id = :stripeId,"
                    + " stripe_created = :created, updated_at = clock_timestamp()"
                    + " WHERE id = :id AND status = 'pending' RETURNING *")
            .bind("id", id)
            .bind("status", status);
    spec = Rows.bindNullable(spec, "stripeId", stripeId, String.class);
    spec = Rows.bindNullable(spec, "created", created, Long.class);
    return spec.map(this::row).one();
  }

  /** Pending refunds older than a few seconds: their request may have died with a node. */
  public Flux<RefundRow> stalePending(java.time.Duration grace) {
    return db.sql(
            "SELECT * FROM refunds WHERE status = 'pending'"
                + " AND updated_at <= clock_timestamp() - make_interval(secs => :grace) ORDER BY created_at LIMIT 50")
        .bind("grace", grace.toMillis() / 1000.0)
        .map(this::row)
        .all();
  }

  private RefundRow row(io.r2dbc.spi.Readable row) {
    return new RefundRow(
        row.get("id", UUID.class),
        row.get("order_id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("amount_minor", Long.class),
        row.get("reason", String.class),
        row.get("status", String.class),
        row.get("stripe_refund_id", String.class),
        row.get("stripe_created", Long.class));
  }
}
