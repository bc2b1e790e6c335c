package dev.cumulus.commerce.order.application;

import dev.cumulus.commerce.order.domain.NewOrder;
import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.OrderStatus;
import dev.cumulus.commerce.order.domain.SagaStep;
import dev.cumulus.commerce.order.persistence.OrderRepository;
import dev.cumulus.commerce.stripe.application.PaymentErrors;
import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Orders of the caller's tenant: create (with its PaymentIntent), read, page, update, cancel. */
@Service
public class OrderService {

  /** A created order and the client secret its customer pays with. */
  public record Created(Order order, String clientSecret) {}

  /** A page of orders; {@code lastKey} is null on the last page. */
  public record Page(List<Order> orders, String lastKey) {}

  private final OrderRepository orders;
  private final PaymentSteps steps;
  private final OrderEvents events;
  private final TransactionalOperator tx;

  public OrderService(
      OrderRepository orders, PaymentSteps steps, OrderEvents events, TransactionalOperator tx) {
    this.orders = orders;
    this.steps = steps;
    this.events = events;
    this.tx = tx;
  }

  /**
   * Stores the order (with its event), then creates its PaymentIntent. When Stripe cannot be
   * reached the order ends {@code failed} and the saga cancels whatever Stripe may have made.
   */
  public Mono<Created> create(String tenantId, NewOrder order) {
    UUID id = UUID.randomUUID();
    return tx.transactional(
            orders.insert(id, tenantId, order).flatMap(stored -> events.append(stored, "created")))
        .flatMap(
            stored ->
                steps
                    .createIntent(stored)
                    .flatMap(
                        intent ->
                            orders
                                .find(tenantId, id)
                                .map(o -> new Created(o, intent.clientSecret())))
                    .onErrorResume(error -> failed(stored, error)));
  }

  private Mono<Created> failed(Order order, Throwable error) {
    SagaStep next = PaymentErrors.isTransient(error) ? SagaStep.COMPENSATE : SagaStep.DONE;
    return steps
        .logFailure(order, "Failed to create the payment intent", error)
        .then(orders.step(order.id(), SagaStep.CREATE_INTENT, next, OrderStatus.FAILED, "failed"))
        .then(Mono.error(error));
  }

  public Mono<Order> get(String tenantId, UUID id) {
    return orders
        .find(tenantId, id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Order not found")));
  }

  public Mono<Page> page(String tenantId, int limit, String lastKey) {
    Cursor after = lastKey == null || lastKey.isBlank() ? null : Cursor.decode(lastKey);
    return orders
        .page(
            tenantId,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            limit + 1)
        .collectList()
        .map(
            rows -> {
              boolean more = rows.size() > limit;
              List<Order> page = more ? rows.subList(0, limit) : rows;
              Order last = page.isEmpty() ? null : page.getLast();
              return new Page(page, more ? new Cursor(last.createdAt(), last.id()).encode() : null);
            });
  }

  /** Moves the fulfilment status along (never back) and sets the tracking number. */
  public Mono<Order> update(String tenantId, UUID id, String status, String trackingNumber) {
    return get(tenantId, id)
        .flatMap(
            order -> {
              OrderStatus next = status == null ? order.status() : OrderStatus.of(status);
              if (!order.status().mayPatchTo(next)) {
                return Mono.error(
                    ApiException.badRequest(
                        "Invalid status transition from '"
                            + order.status().value()
                            + "' to '"
                            + next.value()
                            + "'"));
              }
              return tx.transactional(
                  orders
                      .patch(tenantId, id, order.status(), next, trackingNumber)
                      .switchIfEmpty(
                          Mono.error(() -> ApiException.conflict("Order is changing, retry")))
                      .flatMap(updated -> events.append(updated, "updated")));
            });
  }

  /**
   * Cancels the order: its PaymentIntent is cancelled, or what was paid refunded. The step is
   * recorded first, so a failure or restart half-way is finished by the saga.
   */
  public Mono<Order> cancel(String tenantId, UUID id) {
    return get(tenantId, id)
        .flatMap(
            order -> {
              if (order.status() == OrderStatus.CANCELLED) {
                return Mono.just(order);
              }
              if (order.status().isFinal()
                  || order.status() == OrderStatus.SHIPPED
                  || order.status() == OrderStatus.DELIVERED) {
                return Mono.error(
                    ApiException.badRequest(
                        "Order cannot be cancelled in status '" + order.status().value() + "'"));
              }
              return orders
                  .step(id, order.sagaStep(), SagaStep.CANCEL, null, null)
                  .switchIfEmpty(
                      Mono.error(() -> ApiException.conflict("Order is changing, retry")))
                  .flatMap(steps::cancel);
            });
  }

  /** The opaque list cursor: the last row's sort key, base64url JSON. */
  record Cursor(Instant createdAt, UUID id) {
    String encode() {
      String json = "{\"createdAt\":\"" + createdAt + "\",\"id\":\"" + id + "\"}";
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String key) {
      try {
        String json = new String(Base64.getUrlDecoder().decode(key), StandardCharsets.UTF_8);
        var matcher =
            java.util.regex.Pattern.compile(
                    "\\{\"createdAt\":\"([^\"]+)\",\"id\":\"([0-9a-f-]{36})\"}")
                .matcher(json);
        if (!matcher.matches()) {
          throw new IllegalArgumentException(json);
        }
        return new Cursor(Instant.parse(matcher.group(1)), UUID.fromString(matcher.group(2)));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("Invalid lastKey");
      }
    }
  }
}
