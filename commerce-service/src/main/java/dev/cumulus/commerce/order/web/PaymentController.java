package dev.cumulus.commerce.order.web;

import dev.cumulus.commerce.order.application.OrderService;
import dev.cumulus.commerce.order.application.PaymentService;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.web.envelope.CloudIntegrationResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Seed 004's Payments API. */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

  private static final Set<String> REASONS =
      Set.of("duplicate", "fraudulent", "requested_by_customer");

  private final PaymentService payments;
  private final OrderService orders;

  PaymentController(PaymentService payments, OrderService orders) {
    this.payments = payments;
    this.orders = orders;
  }

  @PostMapping("/confirm")
  Mono<CloudIntegrationResponse<Map<String, Object>>> confirm(
      @RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      return Mono.error(OrderRequests.invalid("request body must be a JSON object"));
    }
    String intentId = OrderRequests.text(body, "paymentIntentId", true);
    String orderId = OrderRequests.text(body, "orderId", true);
    String paymentMethod = OrderRequests.text(body, "paymentMethod", false);
    return CumulusPrincipal.current()
        .flatMap(
            caller ->
                payments.confirm(
                    caller.tenantId(), OrderController.orderId(orderId), intentId, paymentMethod))
        .map(
            status ->
                CloudIntegrationResponse.of(
                    Map.<String, Object>of("status", status), "Payment confirmed successfully"));
  }

  @PostMapping("/refund")
  Mono<CloudIntegrationResponse<Map<String, Object>>> refund(
      @RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      return Mono.error(OrderRequests.invalid("request body must be a JSON object"));
    }
    String orderId = OrderRequests.text(body, "orderId", true);
    String reason = OrderRequests.text(body, "reason", false);
    if (reason != null && !REASONS.contains(reason)) {
      return Mono.error(
          OrderRequests.invalid(
              "reason must be one of duplicate, fraudulent, requested_by_customer"));
    }
    return CumulusPrincipal.current()
        .flatMap(
            caller ->
                orders
                    .get(caller.tenantId(), OrderController.orderId(orderId))
                    .flatMap(
                        order ->
                            payments.refund(
                                caller.tenantId(),
                                order.id(),
                                OrderRequests.optionalAmount(body, "amount", order.currency()),
                                reason)))
        .map(
            refund -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", refund.id());
              data.put("amount", refund.amount());
              data.put("status", refund.status());
              data.put("created", refund.created());
              return CloudIntegrationResponse.of(data, "Refund processed successfully");
            });
  }

  @GetMapping("/{paymentIntentId}")
  Mono<CloudIntegrationResponse<Map<String, Object>>> details(
      @PathVariable String paymentIntentId) {
    return CumulusPrincipal.current()
        .flatMap(caller -> payments.details(caller.tenantId(), paymentIntentId))
        .map(
            intent -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", intent.id());
              data.put("amount", intent.amount());
              data.put("currency", intent.currency());
              data.put("status", intent.status());
              data.put("created", intent.created());
              data.put(
                  "metadata", Map.of("orderId", intent.metadata().getOrDefault("orderId", "")));
              return CloudIntegrationResponse.of(data);
            });
  }
}
