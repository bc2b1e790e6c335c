package dev.cumulus.platform.events;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event as stored in the outbox and published as a CloudEvent (binary mode).
 *
 * @param seq outbox order; events are published in this order
 * @param id the CloudEvent id, which consumers dedupe on
 * @param topic the Kafka topic
 * @param key the Kafka key: the aggregate id, so one aggregate's events stay in order
 * @param type {@code dev.cumulus.<service>.<entity>.<verb>.v1}
 * @param source {@code /<service>}
 * @param tenantId the tenant the event belongs to, or null for platform events
 * @param requestId the request that caused it, or null
 * @param payload JSON data
 * @param occurredAt when the state change was committed
 */
public record OutboxEvent(
    long seq,
    UUID id,
    String topic,
    String key,
    String type,
    String source,
    String tenantId,
    String requestId,
    String payload,
    OffsetDateTime occurredAt) {}
