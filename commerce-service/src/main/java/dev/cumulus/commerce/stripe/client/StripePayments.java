package dev.cumulus.commerce.stripe.client;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.stripe.application.PaymentErrors;
import dev.cumulus.commerce.stripe.application.PaymentGateway;
import dev.cumulus.commerce.stripe.config.StripeProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * {@link PaymentGateway} through Stripe's own Java client. Its calls block, so they run on the
 * bounded elastic scheduler, each within a time limit, behind a circuit breaker, and are retried
 * with back-off when Stripe did not answer (the idempotency key makes the retry safe).
 */
public class StripePayments implements PaymentGateway {

  private final StripeClient stripe;
  private final StripeProperties properties;
  private final String mode;
  private final CircuitBreaker breaker;
  private final IntegrationMonitor.Integration monitor;

  public StripePayments(
      StripeClient stripe, StripeProperties properties, String mode, IntegrationMonitor monitor) {
    this.stripe = stripe;
    this.properties = properties;
    this.mode = mode;
    this.breaker =
        CircuitBreaker.of(
            "stripe",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .recordException(e -> e instanceof PaymentErrors.Unavailable)
                .build());
    this.monitor = monitor.integration("stripe");
    this.monitor.configure(mode, () -> breaker.getState().name().toLowerCase(Locale.ROOT));
  }

  @Override
  public String mode() {
    return mode;
  }

  @Override
  public Mono<Intent> createIntent(
      long amount, String currency, Map<String, String> metadata, String idempotencyKey) {
    PaymentIntentCreateParams params =
        PaymentIntentCreateParams.builder()
            .setAmount(amount)
            .setCurrency(currency)
            .putAllMetadata(metadata)
            .build();
    return call(() -> intent(stripe.v1().paymentIntents().create(params, key(idempotencyKey))));
  }

  @Override
  public Mono<Intent> retrieve(String intentId) {
    return call(() -> intent(stripe.v1().paymentIntents().retrieve(intentId)));
  }

  @Override
  public Mono<Intent> confirm(String intentId, String paymentMethod, String idempotencyKey) {
    PaymentIntentConfirmParams params =
        PaymentIntentConfirmParams.builder()
            .setPaymentMethod(paymentMethod != null ? paymentMethod : properties.paymentMethod())
            .build();
    return call(
        () -> intent(stripe.v1().paymentIntents().confirm(intentId, params, key(idempotencyKey))));
  }

  @Override
  public Mono<Intent> cancel(String intentId, String idempotencyKey) {
    return call(() -> intent(stripe.v1().paymentIntents().cancel(intentId, key(idempotencyKey))));
  }

  @Override
  public Mono<Refund> refund(String intentId, long amount, String reason, String idempotencyKey) {
    RefundCreateParams.Builder params =
        RefundCreateParams.builder().setPaymentIntent(intentId).setAmount(amount);
    if (reason != null) {
      params.setReason(RefundCreateParams.Reason.valueOf(reason.toUpperCase(Locale.ROOT)));
    }
    return call(
        () -> {
          com.stripe.model.Refund refund =
              stripe.v1().refunds().create(params.build(), key(idempotencyKey));
          return new Refund(
              refund.getId(), refund.getAmount(), refund.getStatus(), refund.getCreated());
        });
  }

  @Override
  public Mono<Long> refunded(String intentId) {
    RefundListParams params =
        RefundListParams.builder().setPaymentIntent(intentId).setLimit(100L).build();
    return call(
        () ->
            stripe.v1().refunds().list(params).getData().stream()
                .filter(r -> "succeeded".equals(r.getStatus()))
                .mapToLong(com.stripe.model.Refund::getAmount)
                .sum());
  }

  private <T> Mono<T> call(Callable<T> request) {
    return Mono.fromCallable(request)
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(properties.callTimeout())
        .onErrorMap(StripePayments::translate)
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(
            CallNotPermittedException.class,
            e -> new PaymentErrors.Unavailable("circuit open after repeated failures", e))
        .retryWhen(
            Retry.backoff(properties.retries(), Duration.ofMillis(200))
                .filter(
                    e ->
                        PaymentErrors.isTransient(e)
                            && !(e.getCause() instanceof CallNotPermittedException))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
        .doOnSuccess(any -> monitor.succeeded());
  }

  private static Throwable translate(Throwable error) {
    if (error instanceof TimeoutException) {
      return new PaymentErrors.Unavailable("no answer in time", error);
    }
    if (error instanceof ApiConnectionException) {
      return new PaymentErrors.Unavailable("cannot connect", error);
    }
    if (error instanceof StripeException stripe) {
      Integer status = stripe.getStatusCode();
      if (status == null || status >= 500 || status == 429) {
        return new PaymentErrors.Unavailable(stripe.getUserMessage(), error);
      }
      return new PaymentErrors.Refused(stripe.getUserMessage(), stripe.getCode(), error);
    }
    return error;
  }

  private static RequestOptions key(String idempotencyKey) {
    return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
  }

  private static Intent intent(PaymentIntent pi) {
    return new Intent(
        pi.getId(),
        pi.getAmount(),
        pi.getAmountReceived() == null ? 0 : pi.getAmountReceived(),
        pi.getCurrency(),
        pi.getStatus(),
        pi.getCreated() == null ? 0 : pi.getCreated(),
        pi.getClientSecret(),
        pi.getMetadata() == null ? Map.of() : pi.getMetadata(),
        pi.getLastPaymentError() != null);
  }
}
