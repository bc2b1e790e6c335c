package dev.cumulus.commerce.order.web;

import dev.cumulus.commerce.order.application.OrderService;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.web.envelope.CloudIntegrationResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Seed 004's Orders API; every order belongs to the caller's tenant. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

  private final OrderService orders;
  private final ObjectMapper json;

  OrderController(OrderService orders, ObjectMapper json) {
    this.orders = orders;
    this.json = json;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<CloudIntegrationResponse<Map<String, Object>>> create(
      @RequestBody(required = false) JsonNode body) {
    return CumulusPrincipal.current()
        .flatMap(caller -> orders.create(caller.tenantId(), OrderRequests.newOrder(body, json)))
        .map(
            created -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("order", OrderViews.full(created.order()));
              data.put("clientSecret", created.clientSecret());
              return CloudIntegrationResponse.of(data, "Order created successfully");
            });
  }

  @GetMapping("/{id}")
  Mono<CloudIntegrationResponse<Map<String, Object>>> get(@PathVariable String id) {
    return CumulusPrincipal.current()
        .flatMap(caller -> orders.get(caller.tenantId(), orderId(id)))
        .map(order -> CloudIntegrationResponse.of(OrderViews.full(order)));
  }

  @GetMapping
  Mono<CloudIntegrationResponse<List<Map<String, Object>>>> list(
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String lastKey) {
    int size = limit(limit);
    return CumulusPrincipal.current()
        .flatMap(caller -> orders.page(caller.tenantId(), size, lastKey))
        .map(
            page ->
                CloudIntegrationResponse.page(
                    page.orders().stream().map(OrderViews::summary).toList(), page.lastKey()));
  }

  @PatchMapping("/{id}")
  Mono<CloudIntegrationResponse<Map<String, Object>>> update(
      @PathVariable String id, @RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      return Mono.error(OrderRequests.invalid("request body must be a JSON object"));
    }
    String status = OrderRequests.text(body, "status", false);
    String tracking = OrderRequests.text(body, "trackingNumber", false);
    try {
      if (status != null) {
        dev.cumulus.commerce.order.domain.OrderStatus.of(status);
      }
    } catch (IllegalArgumentException e) {
      return Mono.error(OrderRequests.invalid("status " + e.getMessage()));
    }
    return CumulusPrincipal.current()
        .flatMap(caller -> orders.update(caller.tenantId(), orderId(id), status, tracking))
        .map(
            order ->
                CloudIntegrationResponse.of(
                    OrderViews.updated(order), "Order updated successfully"));
  }

  @DeleteMapping("/{id}")
  Mono<CloudIntegrationResponse<Object>> cancel(@PathVariable String id) {
    return CumulusPrincipal.current()
        .flatMap(caller -> orders.cancel(caller.tenantId(), orderId(id)))
        .thenReturn(CloudIntegrationResponse.of(null, "Order cancelled successfully"));
  }

  static UUID orderId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("Order not found");
    }
  }

  private static int limit(String limit) {
    if (limit == null) {
      return 20;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= 100) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw OrderRequests.invalid("limit must be between 1 and 100");
  }
}
