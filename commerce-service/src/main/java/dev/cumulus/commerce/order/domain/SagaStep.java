package dev.cumulus.commerce.order.domain;

import java.util.Locale;

/**
 * Where an order's saga stands. Each step that is not {@link #DONE} or {@link #AWAITING_PAYMENT}
 * still owes a Stripe call; the saga resumes it (same idempotency key) until it succeeds.
 */
public enum SagaStep {
  /** Stored; its PaymentIntent is to be created. */
  CREATE_INTENT,
  /** The PaymentIntent exists; the customer pays (confirm, webhook). */
  AWAITING_PAYMENT,
  /** Confirm was sent; the result is to be read back from Stripe. */
  CONFIRMING,
  /** Creating the PaymentIntent failed: whatever may exist is to be cancelled. */
  COMPENSATE,
  /** Cancelled by the client: the PaymentIntent is to be cancelled, or what was paid refunded. */
  CANCEL,
  DONE;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SagaStep of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
