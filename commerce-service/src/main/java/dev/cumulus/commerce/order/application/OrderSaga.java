package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import dev.cumulus.commerce.order.persistence.RefundRepository;
import dev.cumulus.commerce.stripe.config.StripeProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finishes what requests left half-done: an order whose step is still owed after the grace period
 * (its request failed, timed out or died with its node) has the step run again, with the same
 * idempotency key, until it succeeds; so are refunds left pending. Safe on several replicas: every
 * step is idempotent at Stripe and guarded by the step it starts from in the database.
 */
@Component
public class OrderSaga {

  private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

  private final OrderRepository orders;
  private final RefundRepository refunds;
  private final PaymentSteps steps;
  private final PaymentService payments;
  private final Duration grace;

  public OrderSaga(
      OrderRepository orders,
      RefundRepository refunds,
      PaymentSteps steps,
      PaymentService payments,
      StripeProperties properties) {
    this.orders = orders;
    this.refunds = refunds;
    this.steps = steps;
    this.payments = payments;
    this.grace = properties.sagaGrace();
  }

  @Scheduled(
      fixedDelayString = "${cumulus.commerce.stripe.saga-interval:5s}",
      initialDelayString = "${cumulus.commerce.stripe.saga-interval:5s}")
  void sweep() {
    resumeDue().block(Duration.ofMinutes(5));
  }

  /** Runs every due step once; returns how many steps were tried. */
  public Mono<Long> resumeDue() {
    Flux<Boolean> sagas = orders.dueSagas(grace, 50).concatMap(this::resume);
    Flux<Boolean> pendingRefunds =
        refunds
            .stalePending(grace)
            .concatMap(
                refund ->
                    orders
                        .findAnyTenant(refund.orderId())
                        .flatMap(
                            order ->
                                payments.send(order, refund.id(), refund.amount(), refund.reason()))
                        .thenReturn(true)
                        .onErrorResume(e -> Mono.just(false)));
    return sagas.concatWith(pendingRefunds).count();
  }

  private Mono<Boolean> resume(Order order) {
    Mono<?> step =
        switch (order.sagaStep()) {
          case CREATE_INTENT -> steps.createIntent(order);
          case CONFIRMING -> steps.reconcile(order.paymentIntentId());
          case COMPENSATE -> steps.compensate(order);
          case CANCEL -> steps.cancel(order);
          default -> Mono.empty();
        };
    return step.thenReturn(true)
        .onErrorResume(
            error -> {
              log.warn(
                  "Order {}: step {} failed: {}", order.id(), order.sagaStep(), error.toString());
              return orders
                  .stepFailed(order.id(), error.getMessage())
                  .then(
                      steps.logFailure(
                          order, "Saga step " + order.sagaStep().value() + " failed", error))
                  .thenReturn(false);
            });
  }
}
