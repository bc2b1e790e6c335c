package dev.cumulus.function.functions.domain;

import java.time.Instant;

/**
 * Invocation metrics of one window.
 *
 * @param invocations finished invocations (throttled ones not included, as in CloudWatch)
 * @param errors those that failed (handler error, timeout, out of memory)
 * @param throttles invocations refused for concurrency
 * @param p50DurationMs median duration; null without invocations
 */
public record InvocationStats(
    Instant start,
    long invocations,
    long errors,
    long throttles,
    long coldStarts,
    Double p50DurationMs,
    Double p95DurationMs,
    Double maxDurationMs) {}
