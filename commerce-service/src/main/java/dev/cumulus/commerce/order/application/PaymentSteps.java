package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.OrderStatus;
import dev.cumulus.commerce.order.domain.PaymentState;
import dev.cumulus.commerce.order.domain.SagaStep;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import dev.cumulus.commerce.stripe.application.PaymentErrors;
import dev.cumulus.commerce.stripe.application.PaymentGateway;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The order saga's Stripe steps. Each one is idempotent (its Stripe idempotency key is the order id
 * plus the step), so a request and the saga's sweeper may both run a step, and a step may run again
 * after a crash, without charging, cancelling or refunding twice.
 */
@Component
public class PaymentSteps {

  private final PaymentGateway stripe;
  private final OrderRepository orders;
  private final OrderEvents events;
  private final TransactionalOperator tx;
  private final IntegrationMonitor monitor;

  public PaymentSteps(
      PaymentGateway stripe,
      OrderRepository orders,
      OrderEvents events,
      TransactionalOperator tx,
      IntegrationMonitor monitor) {
    this.stripe = stripe;
    this.orders = orders;
    this.events = events;
    this.tx = tx;
    this.monitor = monitor;
  }

  /** Step 1: the order's PaymentIntent (the same one however often this runs). */
  public Mono<PaymentGateway.Intent> createIntent(Order order) {
    return stripe
        .createIntent(
            order.totalMinor(),
            order.currency(),
            Map.of("orderId", order.id().toString(), "tenantId", order.tenantId()),
            order.idempotencyKey("create-intent"))
        .flatMap(intent -> orders.intentCreated(order.id(), intent.id()).thenReturn(intent));
  }

  /** Creating the intent failed: cancel whatever Stripe may have made; the order is failed. */
  public Mono<Order> compensate(Order order) {
    return createIntent(order)
        .flatMap(intent -> cancelIntent(order, intent.id(), "compensate"))
        .then(
            orders.step(
                order.id(), SagaStep.COMPENSATE, SagaStep.DONE, OrderStatus.FAILED, "failed"))
        .defaultIfEmpty(order);
  }

  /**
   * The client cancelled: cancel the intent, or refund what was paid; then the order is cancelled.
   */
  public Mono<Order> cancel(Order order) {
    Mono<String> intentId =
        order.paymentIntentId() != null
            ? Mono.just(order.paymentIntentId())
            : createIntent(order).map(PaymentGateway.Intent::id);
    return intentId
        .flatMap(stripe::retrieve)
        .flatMap(
            intent ->
                "succeeded".equals(intent.status())
                    ? refundRest(order, intent).then(reconcile(intent.id()))
                    : cancelIntent(order, intent.id(), "cancel").then(reconcile(intent.id())))
        .flatMap(
            current ->
                tx.transactional(
                    orders
                        .applyPayment(
                            current.id(),
                            OrderStatus.CANCELLED,
                            current.capturedMinor() > 0 ? "refunded" : "cancelled",
                            current.capturedMinor(),
                            current.capturedMinor(),
                            SagaStep.DONE)
                        .flatMap(done -> events.append(done, "cancelled"))));
  }

  /** Reads the intent and its refunds from Stripe and brings the order in line. */
  public Mono<Order> reconcile(String intentId) {
    return orders
        .findByIntent(intentId)
        .flatMap(
            order ->
                stripe
                    .retrieve(intentId)
                    .zipWith(stripe.refunded(intentId))
                    .flatMap(
                        pair -> {
                          PaymentGateway.Intent intent = pair.getT1();
                          PaymentState.Next next =
                              new PaymentState(
                                      intent.status(),
                                      intent.amountReceived(),
                                      pair.getT2(),
                                      intent.lastPaymentFailed())
                                  .applyTo(order);
                          return apply(order, next);
                        }));
  }

  private Mono<Order> apply(Order order, PaymentState.Next next) {
    boolean changed =
        next.status() != order.status()
            || !next.paymentStatus().equals(order.paymentStatus())
            || next.captured() != order.capturedMinor()
            || next.refunded() != order.refundedMinor()
            || next.step() != order.sagaStep();
    if (!changed) {
      return Mono.just(order);
    }
    Mono<Order> update =
        orders.applyPayment(
            order.id(),
            next.status(),
            next.paymentStatus(),
            next.captured(),
            next.refunded(),
            next.step());
    if (next.status() == OrderStatus.PAID && order.status() != OrderStatus.PAID) {
      update = update.flatMap(paid -> events.append(paid, "paid"));
    }
    return tx.transactional(update);
  }

  private Mono<Void> refundRest(Order order, PaymentGateway.Intent intent) {
    return stripe
        .refunded(intent.id())
        .flatMap(
            refunded -> {
              long rest = intent.amountReceived() - refunded;
              return rest <= 0
                  ? Mono.<Void>empty()
                  : stripe
                      .refund(
                          intent.id(),
                          rest,
                          "requested_by_customer",
                          order.idempotencyKey("cancel-refund"))
                      .then();
            });
  }

  private Mono<Void> cancelIntent(Order order, String intentId, String step) {
    return stripe
        .cancel(intentId, order.idempotencyKey(step))
        .then()
        .onErrorResume(
            PaymentErrors.Refused.class,
            refused ->
                // Already cancelled (or paid: the reconcile that follows sees it and refunds).
                "payment_intent_unexpected_state".equals(refused.stripeCode())
                    ? Mono.empty()
                    : Mono.error(refused));
  }

  /** Logs a failed step for the tenant's error list. */
  Mono<Void> logFailure(Order order, String message, Throwable error) {
    return monitor.failed("stripe", order.tenantId(), order.id(), message, error);
  }
}
