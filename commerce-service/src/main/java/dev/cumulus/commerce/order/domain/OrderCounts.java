package dev.cumulus.commerce.order.domain;

/** A tenant's orders over a period: counts by outcome and revenue (captured minus refunded). */
public record OrderCounts(
    long total, long successful, long failed, long pending, long revenueMinor) {}
