package dev.cumulus.integration.inbound.domain;

import java.time.Instant;
import java.util.UUID;

/** A webhook a source sent, as stored and listed; {@code payload} is JSON. */
public record InboundEvent(
    UUID id,
    String serviceName,
    String serviceBaseUrl,
    String eventType,
    String payload,
    String status,
    int retryCount,
    Instant createdAt,
    Instant processedAt) {}
