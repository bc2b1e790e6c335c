package dev.cumulus.commerce.order.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentStateTests {

  static Order order(
      OrderStatus status, String payment, long captured, long refunded, SagaStep step) {
    return new Order(
        UUID.randomUUID(),
        "t",
        null,
        "a@b.io",
        null,
        List.of(new OrderItem("i", "A", 1, 1000)),
        1000,
        "usd",
        null,
        null,
        status,
        payment,
        "pi_1",
        captured,
        refunded,
        null,
        step,
        null,
        Instant.now(),
        Instant.now(),
        0);
  }

  @Test
  void succeededIntentMakesAPendingOrderPaid() {
    var next =
        new PaymentState("succeeded", 1000, 0, false)
            .applyTo(order(OrderStatus.PENDING, "processing", 0, 0, SagaStep.CONFIRMING));
    assertThat(next.status()).isEqualTo(OrderStatus.PAID);
    assertThat(next.paymentStatus()).isEqualTo("completed");
    assertThat(next.captured()).isEqualTo(1000);
    assertThat(next.step()).isEqualTo(SagaStep.DONE);
  }

  @Test
  void aLatePaymentEventNeverUndoesARefund() {
    Order refunded = order(OrderStatus.REFUNDED, "refunded", 1000, 1000, SagaStep.DONE);
    var next = new PaymentState("succeeded", 1000, 0, false).applyTo(refunded);
    assertThat(next.status()).isEqualTo(OrderStatus.REFUNDED);
    assertThat(next.refunded()).isEqualTo(1000);
  }

  @Test
  void aShippedOrderStaysShippedWhenPartlyRefunded() {
    var next =
        new PaymentState("succeeded", 1000, 300, false)
            .applyTo(order(OrderStatus.SHIPPED, "completed", 1000, 0, SagaStep.DONE));
    assertThat(next.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(next.paymentStatus()).isEqualTo("partially_refunded");
  }

  @Test
  void aPaymentAfterTheCancellationIsRefundedByTheSaga() {
    var next =
        new PaymentState("succeeded", 1000, 0, false)
            .applyTo(order(OrderStatus.CANCELLED, "cancelled", 0, 0, SagaStep.DONE));
    assertThat(next.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(next.step()).isEqualTo(SagaStep.CANCEL);
  }

  @Test
  void aFailedAttemptMarksOnlyAnUnpaidOrder() {
    var unpaid =
        new PaymentState("requires_payment_method", 0, 0, true)
            .applyTo(order(OrderStatus.PENDING, "processing", 0, 0, SagaStep.CONFIRMING));
    assertThat(unpaid.paymentStatus()).isEqualTo("failed");
    assertThat(unpaid.step()).isEqualTo(SagaStep.AWAITING_PAYMENT);
    var paid =
        new PaymentState("requires_payment_method", 0, 0, true)
            .applyTo(order(OrderStatus.PAID, "completed", 1000, 0, SagaStep.DONE));
    assertThat(paid.paymentStatus()).isEqualTo("completed");
  }

  @Test
  void aConfirmThatNeverReachedStripeGoesBackToAwaitingPayment() {
    var next =
        new PaymentState("requires_payment_method", 0, 0, false)
            .applyTo(order(OrderStatus.PENDING, "processing", 0, 0, SagaStep.CONFIRMING));
    assertThat(next.paymentStatus()).isEqualTo("pending");
    assertThat(next.step()).isEqualTo(SagaStep.AWAITING_PAYMENT);
  }
}
