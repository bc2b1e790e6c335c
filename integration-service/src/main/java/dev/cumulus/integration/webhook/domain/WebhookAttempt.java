package dev.cumulus.integration.webhook.domain;

import java.time.Instant;
import java.util.UUID;

/** One try of a delivery, as the attempt log lists it. */
public record WebhookAttempt(
    UUID id,
    String messageId,
    String eventType,
    int attempt,
    Integer statusCode,
    long latencyMs,
    String responseExcerpt,
    String error,
    Instant createdAt) {}
