package dev.cumulus.function.functions.domain;

import java.time.Instant;

/**
 * One finished or throttled invocation, as the metrics count it.
 *
 * @param outcome {@code success}, {@code error} or {@code throttled}
 * @param durationMs time in the handler, null when throttled
 * @param initMs the cold start, null when warm or throttled
 */
public record InvocationRecord(
    String serviceId,
    String functionName,
    Instant at,
    String invocationType,
    String outcome,
    Double durationMs,
    Double initMs) {}
