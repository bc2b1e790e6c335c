package dev.cumulus.commerce.stripe.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Stripe ({@code cumulus.commerce.stripe.*}). Without an {@code apiKey} the service runs its own
 * Stripe sandbox (a local fake of Stripe's API, "sandbox" mode); with one it calls {@code apiBase}
 * (Stripe itself by default).
 *
 * @param apiKey secret key ({@code sk_test_...} or {@code sk_live_...}); empty: sandbox
 * @param apiBase Stripe's API base; empty: {@code https://api.stripe.com} (or the sandbox's)
 * @param webhookSecret the endpoint's signing secret ({@code whsec_...}) webhooks are verified with
 * @param webhookTolerance how old a webhook's signed timestamp may be
 * @param paymentMethod what {@code /api/payments/confirm} confirms with when the intent has none (a
 *     test card in test mode)
 * @param callTimeout the longest one Stripe call may take before it counts as failed
 * @param retries further attempts of a call that failed for a transient reason
 * @param sandboxPort the sandbox's port (0: any free one)
 * @param sagaInterval how often unfinished order sagas are resumed
 * @param sagaGrace how long a step may be in flight before the saga resumes it
 */
@ConfigurationProperties("cumulus.commerce.stripe")
public record StripeProperties(
    @DefaultValue("") String apiKey,
    @DefaultValue("") String apiBase,
    @DefaultValue("whsec_cumulus_sandbox") String webhookSecret,
    @DefaultValue("300s") Duration webhookTolerance,
    @DefaultValue("pm_card_visa") String paymentMethod,
    @DefaultValue("10s") Duration callTimeout,
    @DefaultValue("2") int retries,
    @DefaultValue("0") int sandboxPort,
    @DefaultValue("5s") Duration sagaInterval,
    @DefaultValue("30s") Duration sagaGrace) {

  public boolean sandbox() {
    return apiKey.isBlank();
  }
}
