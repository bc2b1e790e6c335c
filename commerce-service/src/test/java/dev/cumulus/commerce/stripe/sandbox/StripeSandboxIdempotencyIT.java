package dev.cumulus.commerce.stripe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Stripe sandbox's {@code Idempotency-Key} as Stripe documents it, through Stripe's own Java
 * client: the first answer is replayed for 24 hours, and the key is refused ({@code
 * idempotency_error}, 400) for other parameters or another endpoint instead of replaying an answer
 * to a different request.
 */
class StripeSandboxIdempotencyIT {

  static StripeSandbox sandbox;
  static StripeClient stripe;

  @BeforeAll
  static void start() {
    sandbox = StripeSandbox.start(0, "whsec_test");
    sandbox.deliverWebhooks(false);
    stripe =
        StripeClient.builder()
            .setApiKey("sk_test_idempotency")
            .setApiBase(sandbox.apiBase())
            .setMaxNetworkRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void theSameRequestWithTheSameKeyReplaysTheFirstAnswer() throws Exception {
    String key = key();
    PaymentIntent first = stripe.v1().paymentIntents().create(intent(1999), key(key));
    PaymentIntent again = stripe.v1().paymentIntents().create(intent(1999), key(key));

    assertThat(again.getId()).isEqualTo(first.getId());
    assertThat(again.getClientSecret()).isEqualTo(first.getClientSecret());
    assertThat(first.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(again.getLastResponse().headers().firstValue("Idempotent-Replayed"))
        .contains("true");
  }

  @Test
  void theSameKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
    String key = key();
    PaymentIntent first = stripe.v1().paymentIntents().create(intent(1999), key(key));

    IdempotencyException refused =
        catchThrowableOfType(
            IdempotencyException.class,
            () -> stripe.v1().paymentIntents().create(intent(2999), key(key)));

    assertThat(refused.getStatusCode()).isEqualTo(400);
    assertThat(refused.getStripeError().getType()).isEqualTo("idempotency_error");
    assertThat(refused.getStripeError().getMessage())
        .contains("same parameters")
        .contains("'" + key + "'");
    // Refusing did not run the other request, nor forget the first answer.
    PaymentIntent replayed = stripe.v1().paymentIntents().create(intent(1999), key(key));
    assertThat(replayed.getId()).isEqualTo(first.getId());
    assertThat(replayed.getAmount()).isEqualTo(1999);
  }

  @Test
  void theSameKeyOnAnotherEndpointIsAnIdempotencyError() throws Exception {
    String key = key();
    PaymentIntent intent = stripe.v1().paymentIntents().create(intent(1999), key(key));

    IdempotencyException refused =
        catchThrowableOfType(
            IdempotencyException.class,
            () -> stripe.v1().paymentIntents().cancel(intent.getId(), key(key)));

    assertThat(refused.getStatusCode()).isEqualTo(400);
    assertThat(refused.getStripeError().getType()).isEqualTo("idempotency_error");
    assertThat(refused.getStripeError().getMessage()).contains("same endpoint");
    assertThat(stripe.v1().paymentIntents().retrieve(intent.getId()).getStatus())
        .isEqualTo("requires_payment_method");
  }

  @Test
  void aRefundReplayedWithAnotherAmountIsRefusedAndRefundsNothingMore() throws Exception {
    PaymentIntent intent = stripe.v1().paymentIntents().create(intent(5000), key(key()));
    stripe
        .v1()
        .paymentIntents()
        .confirm(
            intent.getId(),
            com.stripe.param.PaymentIntentConfirmParams.builder()
                .setPaymentMethod("pm_card_visa")
                .build());
    String key = key();
    RefundCreateParams thousand =
        RefundCreateParams.builder().setPaymentIntent(intent.getId()).setAmount(1000L).build();
    RefundCreateParams twoThousand =
        RefundCreateParams.builder().setPaymentIntent(intent.getId()).setAmount(2000L).build();

    String refundId = stripe.v1().refunds().create(thousand, key(key)).getId();
    assertThat(stripe.v1().refunds().create(thousand, key(key)).getId()).isEqualTo(refundId);
    catchThrowableOfType(
        IdempotencyException.class, () -> stripe.v1().refunds().create(twoThousand, key(key)));

    long refunded =
        stripe
            .v1()
            .refunds()
            .list(
                com.stripe.param.RefundListParams.builder()
                    .setPaymentIntent(intent.getId())
                    .build())
            .getData()
            .stream()
            .mapToLong(com.stripe.model.Refund::getAmount)
            .sum();
    assertThat(refunded).isEqualTo(1000);
  }

  @Test
  void aKeyIsKeptFor24HoursThenARequestWithItRunsAnew() throws Exception {
    String key = key();
    PaymentIntent first = stripe.v1().paymentIntents().create(intent(1999), key(key));

    sandbox.advanceIdempotencyClock(Duration.ofHours(23));
    assertThat(stripe.v1().paymentIntents().create(intent(1999), key(key)).getId())
        .isEqualTo(first.getId());

    sandbox.advanceIdempotencyClock(Duration.ofHours(2));
    PaymentIntent later = stripe.v1().paymentIntents().create(intent(2999), key(key));
    assertThat(later.getId()).isNotEqualTo(first.getId());
    assertThat(later.getAmount()).isEqualTo(2999);
  }

  static PaymentIntentCreateParams intent(long amount) {
    return PaymentIntentCreateParams.builder()
        .setAmount(amount)
        .setCurrency("usd")
        .putMetadata("orderId", "order-1")
        .build();
  }

  static RequestOptions key(String key) {
    return RequestOptions.builder().setIdempotencyKey(key).build();
  }

  static String key() {
    return "key-" + UUID.randomUUID();
  }
}
