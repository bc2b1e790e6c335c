package dev.cumulus.commerce.stripe.application;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Payments as the orders need them, in Stripe's terms. Every call that changes something takes an
 * idempotency key: the same key never charges, cancels or refunds twice. Errors: {@link
 * PaymentErrors}.
 */
public interface PaymentGateway {

  /** A PaymentIntent as read back from Stripe. */
  record Intent(
      String id,
      long amount,
      long amountReceived,
      String currency,
      String status,
      long created,
      String clientSecret,
      Map<String, String> metadata,
      boolean lastPaymentFailed) {}

  /** A refund as Stripe made it. */
  record Refund(String id, long amount, String status, long created) {}

  Mono<Intent> createIntent(
      long amount, String currency, Map<String, String> metadata, String idempotencyKey);

  Mono<Intent> retrieve(String intentId);

  /** Confirms with the configured payment method (or {@code paymentMethod} when given). */
  Mono<Intent> confirm(String intentId, String paymentMethod, String idempotencyKey);

  Mono<Intent> cancel(String intentId, String idempotencyKey);

  /** Refunds {@code amount} of the intent's charge (Stripe refuses more than what is left). */
  Mono<Refund> refund(String intentId, long amount, String reason, String idempotencyKey);

  /** The sum of the intent's succeeded refunds, as Stripe counts them. */
  Mono<Long> refunded(String intentId);

  /** {@code sandbox} (the local fake) or {@code live} (Stripe's API). */
  String mode();
}
