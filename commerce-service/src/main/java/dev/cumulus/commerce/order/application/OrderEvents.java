package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.platform.events.Outbox;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code dev.cumulus.commerce.order.<verb>.v1} events (source {@code /commerce}: the platform names
 * a service in events without "-service", as storage's {@code dev.cumulus.storage.object.*}),
 * written with the change.
 */
@Component
public class OrderEvents {

  static final String TOPIC = "cumulus.commerce.orders";

  private final Outbox outbox;

  public OrderEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public Mono<Order> append(Order order, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", order.id().toString());
    data.put("status", order.status().value());
    data.put("paymentStatus", order.paymentStatus());
    data.put("amount", order.totalMinor());
    data.put("refunded", order.refundedMinor());
    data.put("currency", order.currency());
    data.put("customerEmail", order.customerEmail());
    return outbox
        .appendForTenant(order.tenantId(), TOPIC, order.id().toString(), "order", verb, data)
        .thenReturn(order);
  }
}
