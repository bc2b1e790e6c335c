package dev.cumulus.commerce.order.domain;

/** One line of an order; {@code priceMinor} per unit, in the order's currency. */
public record OrderItem(String id, String name, int quantity, long priceMinor) {

  public long totalMinor() {
    return Math.multiplyExact(priceMinor, (long) quantity);
  }
}
