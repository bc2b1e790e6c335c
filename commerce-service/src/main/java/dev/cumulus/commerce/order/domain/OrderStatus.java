package dev.cumulus.commerce.order.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An order's fulfilment status and the transitions a PATCH may make. {@code paid} comes only from
 * the payment, {@code cancelled} only from DELETE, {@code refunded} only from refunds; {@code
 * cancelled}, {@code refunded} and {@code failed} are final.
 */
public enum OrderStatus {
  PENDING,
  PAID,
  PROCESSING,
  SHIPPED,
  DELIVERED,
  CANCELLED,
  REFUNDED,
  FAILED;

  private static final Map<OrderStatus, Set<OrderStatus>> BY_PATCH =
      Map.of(
          PAID, Set.of(PROCESSING, SHIPPED, DELIVERED),
          PROCESSING, Set.of(SHIPPED, DELIVERED),
          SHIPPED, Set.of(DELIVERED));

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OrderStatus of(String value) {
    return Arrays.stream(values())
        .filter(status -> status.value().equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown status '" + value + "'"));
  }

  /** Whether a client may move an order from this status to {@code next} (same: a no-op). */
  public boolean mayPatchTo(OrderStatus next) {
    return next == this || BY_PATCH.getOrDefault(this, Set.of()).contains(next);
  }

  public boolean isFinal() {
    return this == CANCELLED || this == REFUNDED || this == FAILED;
  }

  /** Paid for and not given back: the statuses whose captured amount is revenue. */
  public boolean isPaid() {
    return this == PAID || this == PROCESSING || this == SHIPPED || this == DELIVERED;
  }
}
