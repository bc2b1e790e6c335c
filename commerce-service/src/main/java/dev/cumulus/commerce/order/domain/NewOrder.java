package dev.cumulus.commerce.order.domain;

import java.util.List;
import java.util.Map;

/** A validated order to create: the items add up to {@code totalMinor}. */
public record NewOrder(
    String customerId,
    String customerEmail,
    String customerName,
    List<OrderItem> items,
    long totalMinor,
    String currency,
    Map<String, Object> shippingAddress,
    Map<String, Object> billingAddress) {}
