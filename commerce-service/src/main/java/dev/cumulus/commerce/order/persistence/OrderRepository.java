package dev.cumulus.commerce.order.persistence;

import dev.cumulus.commerce.order.domain.NewOrder;
import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.OrderCounts;
import dev.cumulus.commerce.order.domain.OrderItem;
import dev.cumulus.commerce.order.domain.OrderStatus;
import dev.cumulus.commerce.order.domain.SagaStep;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code orders} table. Every read and write of a caller is scoped to its tenant. */
@Repository
public class OrderRepository {

  private static final TypeReference<List<OrderItem>> ITEMS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> ADDRESS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public OrderRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Order> insert(UUID id, String tenantId, NewOrder order) {
    var spec =
        db.sql(
                """
                INSERT INTO orders (id, tenant_id, customer_id, customer_email, customer_name, items,
                  total_minor, currency, shipping_address, billing_address, status, payment_status,
                  saga_step, saga_next_at)
                VALUES (:id, :tenant, :customerId, :email, :name, CAST(:items AS jsonb), :total,
                  :currency, CAST(:shipping AS jsonb), CAST(:billing AS jsonb), 'pending', 'pending',
                  'create_intent', clock_timestamp())
                RETURNING *
                """)
            .bind("id", id)
            .bind("tenant", tenantId)
            .bind("email", order.customerEmail())
            .bind("items", json.writeValueAsString(order.items()))
            .bind("total", order.totalMinor())
            .bind("currency", order.currency());
    spec = Rows.bindNullable(spec, "customerId", order.customerId(), String.class);
    spec = Rows.bindNullable(spec, "name", order.customerName(), String.class);
    spec = Rows.bindNullable(spec, "shipping", jsonOrNull(order.shippingAddress()), String.class);
    spec = Rows.bindNullable(spec, "billing", jsonOrNull(order.billingAddress()), String.class);
    return spec.map(this::order).one();
  }

  public Mono<Order> find(String tenantId, UUID id) {
    return db.sql("SELECT * FROM orders WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(this::order)
        .one();
  }

  public Mono<Order> findAnyTenant(UUID id) {
    return db.sql("SELECT * FROM orders WHERE id = :id").bind("id", id).map(this::order).one();
  }

  public Mono<Order> findByIntent(String intentId) {
    return db.sql("SELECT * FROM orders WHERE payment_intent_id = :pi")
        .bind("pi", intentId)
        .map(this::order)
        .one();
  }

  /** One page, newest first, strictly after the cursor {@code (createdAt, id)} when given. */
  public Flux<Order> page(String tenantId, Instant afterCreated, UUID afterId, int limit) {
    String keyset = afterId == null ? "" : " AND (created_at, id) < (:afterCreated, :afterId)";
    var spec =
        db.sql(
                "SELECT * FROM orders WHERE tenant_id = :tenant"
                    + keyset
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit")
            .bind("tenant", tenantId)
            .bind("limit", limit);
    if (afterId != null) {
      spec =
          spec.bind("afterCreated", afterCreated.atOffset(ZoneOffset.UTC)).bind("afterId", afterId);
    }
    return spec.map(this::order).all();
  }

  /** The saga moved on: the PaymentIntent exists and awaits payment. */
  public Mono<Order> intentCreated(UUID id, String intentId) {
    return db.sql(
            """
            UPDATE orders SET payment_intent_id = :pi, saga_step = 'awaiting_payment',
              saga_attempts = 0, saga_error = NULL, updated_at = clock_timestamp()
            WHERE id = :id AND saga_step = 'create_intent' RETURNING *
            """)
        .bind("id", id)
        .bind("pi", intentId)
        .map(this::order)
        .one();
  }

  /** Sets the saga's step (only from {@code from}, so concurrent movers do not undo each other). */
  public Mono<Order> step(
      UUID id, SagaStep from, SagaStep to, OrderStatus status, String paymentStatus) {
    var spec =
        db.sql(
                """
            UPDATE orders SET saga_step = :to, status = COALESCE(:status, status),
              payment_status = COALESCE(:payment, payment_status), saga_attempts = 0,
              saga_next_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE id = :id AND saga_step = :from RETURNING *
            """)
            .bind("id", id)
            .bind("from", from.value())
            .bind("to", to.value());
    spec = Rows.bindNullable(spec, "status", status == null ? null : status.value(), String.class);
    spec = Rows.bindNullable(spec, "payment", paymentStatus, String.class);
    return spec.map(this::order).one();
  }

  /** A step failed and is to be tried again after a growing pause. */
  public Mono<Void> stepFailed(UUID id, String error) {
    return db.sql(
            """
            UPDATE orders SET saga_attempts = saga_attempts + 1, saga_error = :error,
              saga_next_at = clock_timestamp() + LEAST(interval '5 minutes',
                interval '2 seconds' * power(2, saga_attempts)), updated_at = clock_timestamp()
            WHERE id = :id
            """)
        .bind("id", id)
        .bind("error", error == null ? "unknown" : error)
        .then();
  }

  /** Orders whose saga owes a step and is due, oldest first. */
  public Flux<Order> dueSagas(Duration grace, int limit) {
    return db.sql(
            """
            SELECT * FROM orders WHERE saga_step IN ('create_intent', 'confirming', 'compensate', 'cancel')
              AND saga_next_at <= clock_timestamp() AND updated_at <= clock_timestamp() - make_interval(secs => :grace)
            ORDER BY saga_next_at LIMIT :limit
            """)
        .bind("grace", grace.toMillis() / 1000.0)
        .bind("limit", limit)
        .map(this::order)
        .all();
  }

  /**
   * The payment's state as read from Stripe, applied without going back, only if the row is still
   * at {@code version} (the read the state was decided on); empty when another writer came first.
   */
  public Mono<Order> applyPayment(
      UUID id,
      long version,
      OrderStatus status,
      String paymentStatus,
      long captured,
      long refunded,
      SagaStep step) {
    return db.sql(
            """
            UPDATE orders SET status = :status, payment_status = :payment,
              captured_minor = GREATEST(captured_minor, :captured),
              refunded_minor = GREATEST(refunded_minor, :refunded),
              paid_at = CASE WHEN :captured > 0 THEN COALESCE(paid_at, clock_timestamp()) ELSE paid_at END,
              saga_step = :step, updated_at = clock_timestamp()
            WHERE id = :id AND version = :version RETURNING *
            """)
        .bind("id", id)
        .bind("version", version)
        .bind("status", status.value())
        .bind("payment", paymentStatus)
        .bind("captured", captured)
        .bind("refunded", refunded)
        .bind("step", step.value())
        .map(this::order)
        .one();
  }

  /**
   * Sets the fulfilment status and tracking number, only if the status is still {@code from} (the
   * one the transition was validated against); empty otherwise.
   */
  public Mono<Order> patch(
      String tenantId, UUID id, OrderStatus from, OrderStatus status, String trackingNumber) {
    var spec =
        db.sql(
                """
            UPDATE orders SET status = :status, tracking_number = COALESCE(:tracking, tracking_number),
              updated_at = clock_timestamp()
            WHERE id = :id AND tenant_id = :tenant AND status = :from RETURNING *
            """)
            .bind("id", id)
            .bind("tenant", tenantId)
            .bind("from", from.value())
            .bind("status", status.value());
    return Rows.bindNullable(spec, "tracking", trackingNumber, String.class).map(this::order).one();
  }

  /**
   * Reserves {@code amount} of what is left to refund; empty when that is less than {@code amount}
   * (the check and the reservation are one statement, so concurrent refunds never exceed it).
   */
  public Mono<Order> reserveRefund(UUID id, long amount) {
    return db.sql(
            """
            UPDATE orders SET refunded_minor = refunded_minor + :amount, updated_at = clock_timestamp()
            WHERE id = :id AND refunded_minor + :amount <= captured_minor RETURNING *
            """)
        .bind("id", id)
        .bind("amount", amount)
        .map(this::order)
        .one();
  }

  public Mono<Void> releaseRefund(UUID id, long amount) {
    return db.sql(
            "UPDATE orders SET refunded_minor = refunded_minor - :amount,"
                + " updated_at = clock_timestamp() WHERE id = :id")
        .bind("id", id)
        .bind("amount", amount)
        .then();
  }

  /** After a refund succeeded: refunded in full, or partially. */
  public Mono<Order> refundSettled(UUID id) {
    return db.sql(
            """
            UPDATE orders SET
              payment_status = CASE WHEN refunded_minor >= captured_minor THEN 'refunded'
                ELSE 'partially_refunded' END,
              status = CASE WHEN refunded_minor >= captured_minor AND status <> 'cancelled'
                THEN 'refunded' ELSE status END,
              updated_at = clock_timestamp()
            WHERE id = :id RETURNING *
            """)
        .bind("id", id)
        .map(this::order)
        .one();
  }

  /** Counts and revenue of a tenant's orders created since {@code since}. */
  public Mono<OrderCounts> stats(String tenantId, Instant since, String currency) {
    return db.sql(
            """
            SELECT count(*) AS total,
              count(*) FILTER (WHERE captured_minor > 0) AS successful,
              count(*) FILTER (WHERE status = 'failed' OR payment_status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'pending' AND payment_status <> 'failed') AS pending,
              COALESCE(sum(captured_minor - refunded_minor) FILTER (WHERE currency = :currency), 0)
                AS revenue
            FROM orders WHERE tenant_id = :tenant AND created_at >= :since
            """)
        .bind("tenant", tenantId)
        .bind("since", since.atOffset(ZoneOffset.UTC))
        .bind("currency", currency)
        .map(
            row ->
                new OrderCounts(
                    row.get("total", Long.class),
                    row.get("successful", Long.class),
                    row.get("failed", Long.class),
                    row.get("pending", Long.class),
                    row.get("revenue", Number.class).longValue()))
        .one();
  }

  public Mono<Long> ping() {
    return db.sql("SELECT 1").map(row -> 1L).one();
  }

  private String jsonOrNull(Map<String, Object> value) {
    return value == null ? null : json.writeValueAsString(value);
  }

  private Order order(Readable row) {
    String shipping = JsonColumns.text(row, "shipping_address");
    String billing = JsonColumns.text(row, "billing_address");
    return new Order(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("customer_id", String.class),
        row.get("customer_email", String.class),
        row.get("customer_name", String.class),
        json.readValue(JsonColumns.text(row, "items"), ITEMS),
        row.get("total_minor", Long.class),
        row.get("currency", String.class),
        shipping == null ? null : json.readValue(shipping, ADDRESS),
        billing == null ? null : json.readValue(billing, ADDRESS),
        OrderStatus.of(row.get("status", String.class)),
        row.get("payment_status", String.class),
        row.get("payment_intent_id", String.class),
        row.get("captured_minor", Long.class),
        row.get("refunded_minor", Long.class),
        row.get("tracking_number", String.class),
        SagaStep.of(row.get("saga_step", String.class)),
        Rows.instant(row, "paid_at"),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"),
        row.get("version", Long.class));
  }
}
