package dev.cumulus.commerce.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An order of a tenant and the state of its payment. Amounts in minor units of {@code currency}.
 *
 * @param paymentStatus pending, processing, completed, failed, partially_refunded, refunded,
 *     cancelled
 * @param version bumped by every change of the row: conditional writes compare it
 */
public record Order(
    UUID id,
    String tenantId,
    String customerId,
    String customerEmail,
    String customerName,
    List<OrderItem> items,
    long totalMinor,
    String currency,
    Map<String, Object> shippingAddress,
    Map<String, Object> billingAddress,
    OrderStatus status,
    String paymentStatus,
    String paymentIntentId,
    long capturedMinor,
    long refundedMinor,
    String trackingNumber,
    SagaStep sagaStep,
    Instant paidAt,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /** Seed 004's order idempotency keys for Stripe: one per order and step. */
  public String idempotencyKey(String step) {
    return "order-" + id + "-" + step;
  }

  public long refundableMinor() {
    return capturedMinor - refundedMinor;
  }
}
