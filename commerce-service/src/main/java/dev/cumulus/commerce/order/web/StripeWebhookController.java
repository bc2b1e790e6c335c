package dev.cumulus.commerce.order.web;

import dev.cumulus.commerce.order.application.StripeWebhooks;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /webhooks/stripe}: public, authenticated by Stripe's signature over the raw body. */
@RestController
class StripeWebhookController {

  private final StripeWebhooks webhooks;

  StripeWebhookController(StripeWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @PostMapping("/webhooks/stripe")
  Mono<Map<String, Object>> receive(
      @RequestBody(required = false) String payload,
      @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
    return webhooks
        .receive(payload == null ? "" : payload, signature == null ? "" : signature)
        .thenReturn(Map.of("received", true));
  }
}
