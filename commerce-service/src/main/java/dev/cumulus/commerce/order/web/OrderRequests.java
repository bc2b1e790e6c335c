package dev.cumulus.commerce.order.web;

import dev.cumulus.commerce.order.domain.Money;
import dev.cumulus.commerce.order.domain.NewOrder;
import dev.cumulus.commerce.order.domain.OrderItem;
import dev.cumulus.platform.error.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Seed 004 request bodies to domain values; the first broken rule is a 400 naming the field. */
final class OrderRequests {

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private OrderRequests() {}

  static NewOrder newOrder(JsonNode body, ObjectMapper json) {
    if (body == null || !body.isObject()) {
      throw invalid("request body must be a JSON object");
    }
    String email = text(body, "customerEmail", true);
    if (!EMAIL.matcher(email).matches()) {
      throw invalid("customerEmail must be a valid email");
    }
    String currency;
    try {
      currency = Money.currency(text(body, "currency", true));
    } catch (IllegalArgumentException e) {
      throw invalid("currency must be an ISO 4217 code");
    }
    JsonNode itemsNode = body.get("items");
    if (itemsNode == null || !itemsNode.isArray() || itemsNode.isEmpty()) {
      throw invalid("items must contain at least 1 item");
    }
    List<OrderItem> items = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < itemsNode.size(); i++) {
      JsonNode item = itemsNode.get(i);
      String at = "items[" + i + "].";
      JsonNode quantity = item.get("quantity");
      if (quantity == null || !quantity.isIntegralNumber() || quantity.asInt() < 1) {
        throw invalid(at + "quantity must be a positive integer");
      }
      long price = amount(item, "price", at + "price", currency);
      OrderItem line =
          new OrderItem(
              text(item, "id", false),
              text(item, "name", true, at + "name"),
              quantity.asInt(),
              price);
      sum = Math.addExact(sum, line.totalMinor());
      items.add(line);
    }
    long total = amount(body, "totalAmount", "totalAmount", currency);
    if (total != sum) {
      throw invalid(
          "totalAmount must equal the sum of the items ("
              + Money.toMajor(sum, currency).toPlainString()
              + ")");
    }
    if (total <= 0) {
      throw invalid("totalAmount must be positive");
    }
    return new NewOrder(
        text(body, "customerId", false),
        email,
        text(body, "customerName", false),
        items,
        total,
        currency,
        address(body, "shippingAddress", json),
        address(body, "billingAddress", json));
  }

  /** A seed amount in major units ({@code 109.97}) as minor units; null when absent. */
  static Long optionalAmount(JsonNode body, String field, String currency) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : amount(body, field, field, currency);
  }

  private static long amount(JsonNode node, String field, String name, String currency) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw invalid(name + " must be a number");
    }
    BigDecimal major = value.decimalValue();
    if (major.signum() <= 0) {
      throw invalid(name + " must be positive");
    }
    try {
      return Money.toMinor(major, currency);
    } catch (IllegalArgumentException e) {
      throw invalid(name + " " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> address(JsonNode body, String field, ObjectMapper json) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid(field + " must be an object");
    }
    return json.convertValue(value, Map.class);
  }

  static String text(JsonNode node, String field, boolean required) {
    return text(node, field, required, field);
  }

  private static String text(JsonNode node, String field, boolean required, String name) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || (value.isString() && value.asString().isBlank())) {
      if (required) {
        throw invalid(name + " is required");
      }
      return null;
    }
    if (!value.isString()) {
      throw invalid(name + " must be a string");
    }
    return value.asString();
  }

  static ApiException invalid(String message) {
    return ApiException.badRequest("Validation error: " + message);
  }
}
