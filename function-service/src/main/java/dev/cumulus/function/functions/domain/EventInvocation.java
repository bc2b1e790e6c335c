package dev.cumulus.function.functions.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An asynchronous invocation: {@link #QUEUED} until it succeeds or exhausts its attempts ({@link
 * #DEAD_LETTERED}).
 */
public record EventInvocation(
    UUID id,
    String serviceId,
    String tenantId,
    String functionName,
    String qualifier,
    String payload,
    String status,
    int attempts,
    String errorType,
    String errorMessage,
    String result,
    Instant createdAt,
    Instant updatedAt) {

  public static final String QUEUED = "queued";
  public static final String SUCCEEDED = "succeeded";
  public static final String DEAD_LETTERED = "dead_lettered";
}
