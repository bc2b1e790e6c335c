package dev.cumulus.commerce.order.application;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.cumulus.commerce.order.persistence.StripeEventRepository;
import dev.cumulus.commerce.stripe.config.StripeProperties;
import dev.cumulus.platform.error.ApiException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stripe's webhook events: signature checked (HMAC-SHA256 of {@code t.payload} with the endpoint
 * secret, timestamp within the tolerance), each event id handled once, and the order brought in
 * line with its PaymentIntent as Stripe reports it now, whatever the order the events came in.
 */
@Service
public class StripeWebhooks {

  private final StripeProperties properties;
  private final StripeEventRepository seen;
  private final PaymentSteps steps;
  private final ObjectMapper json;

  public StripeWebhooks(
      StripeProperties properties,
      StripeEventRepository seen,
      PaymentSteps steps,
      ObjectMapper json) {
    this.properties = properties;
    this.seen = seen;
    this.steps = steps;
    this.json = json;
  }

  public Mono<Void> receive(String payload, String signature) {
    try {
      Webhook.Signature.verifyHeader(
          payload,
          signature,
          properties.webhookSecret(),
          properties.webhookTolerance().toSeconds());
    } catch (SignatureVerificationException e) {
      return Mono.error(ApiException.badRequest("Webhook signature verification failed"));
    }
    JsonNode event = json.readTree(payload);
    String id = event.path("id").asString(null);
    String type = event.path("type").asString("");
    JsonNode object = event.path("data").path("object");
    String intentId =
        switch (type) {
          case "payment_intent.succeeded",
              "payment_intent.payment_failed",
              "payment_intent.canceled",
              "payment_intent.processing" ->
              object.path("id").asString(null);
          case "charge.refunded" -> object.path("payment_intent").asString(null);
          default -> null;
        };
    if (id == null) {
      return Mono.error(ApiException.badRequest("Event without id"));
    }
    return seen.record(id, type)
        .flatMap(
            fresh ->
                !fresh || intentId == null
                    ? Mono.<Void>empty()
                    // Not handled: forgotten, so that Stripe's redelivery tries again.
                    : steps
                        .reconcile(intentId)
                        .then()
                        .onErrorResume(e -> seen.forget(id).then(Mono.error(e))));
  }
}
