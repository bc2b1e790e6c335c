package dev.cumulus.function.sources.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An event source mapping: batches of a source's records (a storage bucket's object events, a Kafka
 * topic's records, a queue's messages) invoke a function of a function instance.
 *
 * @param qualifier the version or alias invoked ({@code $LATEST} by default)
 * @param batchingWindowSeconds how long records are gathered before a batch smaller than {@code
 *     batchSize} is sent
 * @param maximumRetryAttempts retries of a failed batch before it goes to the dead-letter list; -1:
 *     until it succeeds (Lambda's default for streams)
 * @param reportItemFailures the function may answer {@code batchItemFailures}: only those records
 *     are retried
 * @param batchAttempts failed attempts of the batch at the head of the mapping
 * @param maximumConcurrency a queue source's ScalingConfig.MaximumConcurrency, or null
 */
public record EventSourceMapping(
    UUID uuid,
    String serviceId,
    String tenantId,
    String functionName,
    String qualifier,
    EventSource source,
    int batchSize,
    int batchingWindowSeconds,
    int maximumRetryAttempts,
    String startingPosition,
    boolean reportItemFailures,
    boolean enabled,
    String lastProcessingResult,
    int batchAttempts,
    Instant lastModified,
    Integer maximumConcurrency) {

  public static final int RETRY_FOREVER = -1;
}
