package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.order.domain.OrderCounts;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import java.time.Instant;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Order counts and revenue, for monitoring. */
@Service
public class OrderStats {

  private final OrderRepository orders;

  public OrderStats(OrderRepository orders) {
    this.orders = orders;
  }

  public Mono<OrderCounts> stats(String tenantId, Instant since, String currency) {
    return orders.stats(tenantId, since, currency);
  }

  public Mono<Long> ping() {
    return orders.ping();
  }
}
