package dev.cumulus.queue.queues.domain;

import java.time.Instant;

/**
 * Approximate message counts of a queue.
 *
 * @param oldestSentAt when the oldest message still in the queue was sent, or null when empty
 */
public record QueueStats(long visible, long inFlight, long delayed, Instant oldestSentAt) {}
