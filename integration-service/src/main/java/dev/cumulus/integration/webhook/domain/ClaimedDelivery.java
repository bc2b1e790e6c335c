package dev.cumulus.integration.webhook.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A delivery a worker has claimed: what to send, where, and the sealed secrets to sign it with.
 *
 * @param attempt the number of this attempt (1 for the first)
 */
public record ClaimedDelivery(
    UUID id,
    int attempt,
    String messageId,
    String eventType,
    String payload,
    UUID endpointId,
    String tenantId,
    String url,
    byte[] secret,
    byte[] previousSecret,
    Instant previousExpiresAt,
    Map<String, String> headers) {}
