package dev.cumulus.kafka.topics.domain;

import java.time.Duration;

/**
 * One REST consume: read up to {@code maxMessages} records or {@code maxBytes}, waiting at most
 * {@code timeout} for the first ones.
 *
 * @param group the tenant's group name, or null for a stateless read
 * @param partition only this partition, or null for all
 * @param commit whether the group's offsets advance past what was returned
 */
public record ConsumeRequest(
    String topic,
    String group,
    Integer partition,
    StartPosition start,
    int maxMessages,
    long maxBytes,
    Duration timeout,
    boolean commit) {}
