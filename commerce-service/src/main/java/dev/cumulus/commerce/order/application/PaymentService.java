package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.SagaStep;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import dev.cumulus.commerce.order.persistence.RefundRepository;
import dev.cumulus.commerce.stripe.application.PaymentErrors;
import dev.cumulus.commerce.stripe.application.PaymentGateway;
import dev.cumulus.platform.error.ApiException;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Payments of the caller's orders: confirm, refund, read the PaymentIntent. */
@Service
public class PaymentService {

  private final OrderRepository orders;
  private final RefundRepository refunds;
  private final PaymentGateway stripe;
  private final PaymentSteps steps;
  private final OrderEvents events;
  private final TransactionalOperator tx;

  public PaymentService(
      OrderRepository orders,
      RefundRepository refunds,
      PaymentGateway stripe,
      PaymentSteps steps,
      OrderEvents events,
      TransactionalOperator tx) {
    this.orders = orders;
    this.refunds = refunds;
    this.stripe = stripe;
    this.steps = steps;
    this.events = events;
    this.tx = tx;
  }

  /**
   * Confirms the order's PaymentIntent and returns Stripe's status. The order is marked {@code
   * confirming} first: should this node die before reading the answer, the saga reads it.
   */
  public Mono<String> confirm(
      String tenantId, UUID orderId, String intentId, String paymentMethod) {
    return order(tenantId, orderId)
        .flatMap(
            order -> {
              if (order.paymentIntentId() == null || !order.paymentIntentId().equals(intentId)) {
                return Mono.error(
                    ApiException.badRequest("paymentIntentId does not belong to this order"));
              }
              if (order.capturedMinor() > 0) {
                return Mono.just("succeeded");
              }
              if (order.sagaStep() != SagaStep.AWAITING_PAYMENT
                  && order.sagaStep() != SagaStep.CONFIRMING) {
                return Mono.error(
                    ApiException.badRequest(
                        "Order cannot be paid in status '" + order.status().value() + "'"));
              }
              return orders
                  .step(orderId, order.sagaStep(), SagaStep.CONFIRMING, null, "processing")
                  // Cancelled (or confirmed) meanwhile: do not charge an order being cancelled.
                  .switchIfEmpty(
                      Mono.error(() -> ApiException.conflict("Order is changing, retry")))
                  .then(
                      stripe
                          .confirm(intentId, paymentMethod, confirmKey(order, paymentMethod))
                          .onErrorResume(
                              PaymentErrors.Refused.class,
                              refused -> steps.reconcile(intentId).then(Mono.error(refused))))
                  .flatMap(intent -> steps.reconcile(intentId).thenReturn(intent.status()));
            });
  }

  /**
   * A confirm's idempotency key names its payment method: a retry of the same confirm replays
   * Stripe's answer, while another card after a decline is a new request (Stripe refuses a key
   * reused with other parameters).
   */
  private static String confirmKey(Order order, String paymentMethod) {
    return order.idempotencyKey("confirm-" + (paymentMethod == null ? "default" : paymentMethod));
  }

  /**
   * Refunds {@code amount} (null: all that is left) of the order's payment. The amount is reserved
   * against what was captured before Stripe is called, so concurrent refunds never exceed it; a
   * refund Stripe did not answer stays pending and the saga retries it with the same key.
   */
  public Mono<PaymentGateway.Refund> refund(
      String tenantId, UUID orderId, Long amount, String reason) {
    return order(tenantId, orderId)
        .flatMap(
            order -> {
              if (order.capturedMinor() == 0 || order.paymentIntentId() == null) {
                return Mono.error(
                    ApiException.badRequest("Order has no captured payment to refund"));
              }
              long wanted = amount == null ? order.refundableMinor() : amount;
              if (wanted <= 0) {
                return Mono.error(ApiException.badRequest("Nothing left to refund"));
              }
              UUID refundId = UUID.randomUUID();
              return tx.transactional(
                      orders
                          .reserveRefund(orderId, wanted)
                          .switchIfEmpty(
                              Mono.error(
                                  () ->
                                      ApiException.badRequest(
                                          "Refund amount exceeds the refundable amount")))
                          .flatMap(
                              reserved ->
                                  refunds.insert(refundId, orderId, tenantId, wanted, reason)))
                  .then(send(order, refundId, wanted, reason));
            });
  }

  /** Sends a reserved refund to Stripe and settles it (also the saga's retry). */
  Mono<PaymentGateway.Refund> send(Order order, UUID refundId, long amount, String reason) {
    return stripe
        .refund(order.paymentIntentId(), amount, reason, "refund-" + refundId)
        .flatMap(
            refund ->
                tx.transactional(
                        refunds
                            .settle(refundId, "succeeded", refund.id(), refund.created())
                            .then(orders.refundSettled(order.id()))
                            .flatMap(settled -> events.append(settled, "refunded")))
                    .thenReturn(refund))
        .onErrorResume(
            PaymentErrors.Refused.class,
            refused ->
                tx.transactional(
                        refunds
                            .settle(refundId, "failed", null, null)
                            .flatMap(failed -> orders.releaseRefund(order.id(), amount)))
                    .then(Mono.error(refused)));
  }

  /** The order's PaymentIntent as Stripe has it; 404 unless it belongs to the caller's tenant. */
  public Mono<PaymentGateway.Intent> details(String tenantId, String intentId) {
    return orders
        .findByIntent(intentId)
        .filter(order -> order.tenantId().equals(tenantId))
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Payment not found")))
        .flatMap(order -> stripe.retrieve(intentId));
  }

  private Mono<Order> order(String tenantId, UUID orderId) {
    return orders
        .find(tenantId, orderId)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Order not found")));
  }
}
