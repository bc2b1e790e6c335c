package dev.cumulus.commerce.order.domain;

/**
 * What an order becomes given its PaymentIntent as Stripe reports it now. Webhooks arrive twice and
 * out of order, so the order follows Stripe's current state rather than the event, and never goes
 * back: a paid order stays paid, refunds only grow, a cancelled order stays cancelled (and a
 * payment that arrives after the cancellation is refunded by the saga).
 *
 * @param intentStatus Stripe's PaymentIntent status
 * @param received amount received
 * @param refunded the sum of succeeded refunds
 * @param lastPaymentFailed whether the last payment attempt failed
 */
public record PaymentState(
    String intentStatus, long received, long refunded, boolean lastPaymentFailed) {

  /** The order's next state. */
  public record Next(
      OrderStatus status, String paymentStatus, long captured, long refunded, SagaStep step) {}

  public Next applyTo(Order order) {
    long captured = Math.max(order.capturedMinor(), received);
    long refundedNow = Math.max(order.refundedMinor(), refunded);
    return switch (intentStatus) {
      case "succeeded" -> paid(order, captured, refundedNow);
      case "canceled" ->
          order.status() == OrderStatus.PENDING || order.status() == OrderStatus.CANCELLED
              ? new Next(OrderStatus.CANCELLED, "cancelled", captured, refundedNow, settled(order))
              : unchanged(order);
      case "processing" -> payment(order, "processing");
      case "requires_payment_method" -> payment(order, lastPaymentFailed ? "failed" : "pending");
      // Waiting for the customer (3-D Secure, ...): a confirm that left no outcome yet.
      default ->
          order.sagaStep() == SagaStep.CONFIRMING ? payment(order, "pending") : unchanged(order);
    };
  }

  private static Next paid(Order order, long captured, long refunded) {
    boolean fullyRefunded = refunded >= captured;
    if (order.status() == OrderStatus.CANCELLED
        || order.status() == OrderStatus.FAILED
        || order.sagaStep() == SagaStep.CANCEL
        || order.sagaStep() == SagaStep.COMPENSATE) {
      // Paid for an order that is no more: the saga refunds the rest.
      return new Next(
          order.status() == OrderStatus.FAILED ? OrderStatus.FAILED : OrderStatus.CANCELLED,
          fullyRefunded ? "refunded" : "completed",
          captured,
          refunded,
          fullyRefunded ? SagaStep.DONE : SagaStep.CANCEL);
    }
    OrderStatus status = order.status() == OrderStatus.PENDING ? OrderStatus.PAID : order.status();
    if (fullyRefunded) {
      return new Next(OrderStatus.REFUNDED, "refunded", captured, refunded, SagaStep.DONE);
    }
    return new Next(
        status,
        refunded > 0 ? "partially_refunded" : "completed",
        captured,
        refunded,
        SagaStep.DONE);
  }

  private static Next payment(Order order, String paymentStatus) {
    if (order.status() != OrderStatus.PENDING || order.capturedMinor() > 0) {
      return unchanged(order);
    }
    SagaStep step =
        order.sagaStep() == SagaStep.CONFIRMING ? SagaStep.AWAITING_PAYMENT : order.sagaStep();
    return new Next(order.status(), paymentStatus, 0, 0, step);
  }

  private static SagaStep settled(Order order) {
    return order.sagaStep() == SagaStep.CREATE_INTENT ? SagaStep.CREATE_INTENT : SagaStep.DONE;
  }

  private static Next unchanged(Order order) {
    return new Next(
        order.status(),
        order.paymentStatus(),
        order.capturedMinor(),
        order.refundedMinor(),
        order.sagaStep());
  }
}
