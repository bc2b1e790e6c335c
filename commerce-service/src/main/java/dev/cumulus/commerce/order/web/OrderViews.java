package dev.cumulus.commerce.order.web;

import dev.cumulus.commerce.order.domain.Money;
import dev.cumulus.commerce.order.domain.Order;
import dev.cumulus.commerce.order.domain.OrderItem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Orders as seed 004 shows them: amounts in major units, camelCase, absent fields left out. */
final class OrderViews {

  private OrderViews() {}

  static Map<String, Object> full(Order order) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", order.id().toString());
    put(view, "customerId", order.customerId());
    view.put("customerEmail", order.customerEmail());
    put(view, "customerName", order.customerName());
    view.put("items", items(order));
    view.put("totalAmount", Money.toMajor(order.totalMinor(), order.currency()));
    view.put("currency", order.currency());
    put(view, "shippingAddress", order.shippingAddress());
    put(view, "billingAddress", order.billingAddress());
    view.put("status", order.status().value());
    view.put("paymentStatus", order.paymentStatus());
    put(view, "paymentIntentId", order.paymentIntentId());
    if (order.refundedMinor() > 0) {
      view.put("refundedAmount", Money.toMajor(order.refundedMinor(), order.currency()));
    }
    put(view, "trackingNumber", order.trackingNumber());
    put(view, "paidAt", order.paidAt() == null ? null : order.paidAt().toString());
    view.put("createdAt", order.createdAt().toString());
    view.put("updatedAt", order.updatedAt().toString());
    return view;
  }

  static Map<String, Object> summary(Order order) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", order.id().toString());
    put(view, "customerName", order.customerName());
    view.put("totalAmount", Money.toMajor(order.totalMinor(), order.currency()));
    view.put("status", order.status().value());
    view.put("createdAt", order.createdAt().toString());
    return view;
  }

  static Map<String, Object> updated(Order order) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", order.id().toString());
    view.put("status", order.status().value());
    put(view, "trackingNumber", order.trackingNumber());
    view.put("updatedAt", order.updatedAt().toString());
    return view;
  }

  private static List<Map<String, Object>> items(Order order) {
    return order.items().stream()
        .map(
            (OrderItem item) -> {
              Map<String, Object> view = new LinkedHashMap<>();
              put(view, "id", item.id());
              view.put("name", item.name());
              view.put("quantity", item.quantity());
              view.put("price", Money.toMajor(item.priceMinor(), order.currency()));
              return view;
            })
        .toList();
  }

  private static void put(Map<String, Object> view, String key, Object value) {
    if (value != null) {
      view.put(key, value);
    }
  }
}
