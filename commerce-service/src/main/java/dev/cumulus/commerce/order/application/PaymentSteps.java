package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.OrderStatus;
import dev.cumulus.commerce.order.domain.PaymentState;
import dev.cumulus.commerce.order.domain.SagaStep;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import dev.cumulus.commerce.stripe.application.PaymentErrors;
import dev.cumulus.commerce.stripe.application.PaymentGateway;
import dev.cumulus.platform.error.ApiException;
import java.util.Map;
import java.util.function.Function;
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

  /** How often a payment write is decided anew after losing to a concurrent writer. */
  private static final int CONCURRENT_WRITERS = 8;

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
   * The intent is cancelled first and read afterwards: a payment confirmed at the same moment
   * either loses to the cancel at Stripe or shows in the read and is refunded, never neither.
   */
  public Mono<Order> cancel(Order order) {
    Mono<String> intentId =
        order.paymentIntentId() != null
            ? Mono.just(order.paymentIntentId())
            : createIntent(order).map(PaymentGateway.Intent::id);
    return intentId
        .flatMap(id -> cancelIntent(order, id, "cancel").then(stripe.retrieve(id)))
        .flatMap(
            intent ->
                "succeeded".equals(intent.status())
                    ? refundRest(order, intent).thenReturn(intent)
                    : Mono.just(intent))
        .flatMap(intent -> reconcile(intent.id()))
        .flatMap(current -> settle(current, this::cancelled, CONCURRENT_WRITERS));
  }

  /**
   * The end of a cancellation; the saga stays at {@code cancel} while any payment is not refunded
   * yet (a payment still processing at Stripe), so it refunds that later.
   */
  private PaymentState.Next cancelled(Order current) {
    boolean settled = current.refundedMinor() >= current.capturedMinor();
    String payment =
        current.capturedMinor() == 0 ? "cancelled" : settled ? "refunded" : "completed";
    return new PaymentState.Next(
        OrderStatus.CANCELLED,
        payment,
        current.capturedMinor(),
        current.refundedMinor(),
        settled ? SagaStep.DONE : SagaStep.CANCEL);
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
                          PaymentState state =
                              new PaymentState(
                                  intent.status(),
                                  intent.amountReceived(),
                                  pair.getT2(),
                                  intent.lastPaymentFailed());
                          return settle(order, state::applyTo, CONCURRENT_WRITERS);
                        }));
  }

  /**
   * Writes what {@code decide} makes of the order, conditional on the version it was decided on.
   * Another writer may have changed the order since it was read (a cancel while a webhook
   * reconciles, a PATCH, a refund): then the order is read again and decided anew, so a decision
   * taken on a stale read never overwrites a newer one.
   */
  private Mono<Order> settle(
      Order order, Function<Order, PaymentState.Next> decide, int attemptsLeft) {
    PaymentState.Next next = decide.apply(order);
    if (!changes(order, next)) {
      return Mono.just(order);
    }
    Mono<Order> update =
        orders.applyPayment(
            order.id(),
            order.version(),
            next.status(),
            next.paymentStatus(),
            next.captured(),
            next.refunded(),
            next.step());
    return tx.transactional(update.flatMap(written -> announce(order, written)))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    attemptsLeft <= 1
                        ? Mono.<Order>error(ApiException.conflict("Order is changing, retry"))
                        : orders
                            .findAnyTenant(order.id())
                            .flatMap(fresh -> settle(fresh, decide, attemptsLeft - 1))));
  }

  private static boolean changes(Order order, PaymentState.Next next) {
    return next.status() != order.status()
        || !next.paymentStatus().equals(order.paymentStatus())
        || next.captured() != order.capturedMinor()
        || next.refunded() != order.refundedMinor()
        || next.step() != order.sagaStep();
  }

  /** The order events of a payment write: once, by the write that made the order paid/cancelled. */
  private Mono<Order> announce(Order before, Order after) {
    if (after.status() == OrderStatus.PAID && before.status() != OrderStatus.PAID) {
      return events.append(after, "paid");
    }
    if (after.status() == OrderStatus.CANCELLED && before.status() != OrderStatus.CANCELLED) {
      return events.append(after, "cancelled");
    }
    return Mono.just(after);
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
                // Already cancelled, or paid: the read that follows sees it and refunds.
                "payment_intent_unexpected_state".equals(refused.stripeCode())
                    ? Mono.empty()
                    : Mono.error(refused));
  }

  /** Logs a failed step for the tenant's error list. */
  Mono<Void> logFailure(Order order, String message, Throwable error) {
    return monitor.failed("stripe", order.tenantId(), order.id(), message, error);
  }
}
