package dev.cumulus.kafka.credentials.domain;

import java.time.Instant;

/** A tenant's Kafka user (SASL/SCRAM-SHA-512) scoped to one instance. */
public record Credential(
    String username,
    String tenantId,
    String serviceId,
    String description,
    Instant createdAt,
    Instant rotatedAt) {}
