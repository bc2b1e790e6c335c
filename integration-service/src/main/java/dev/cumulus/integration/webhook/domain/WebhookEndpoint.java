package dev.cumulus.integration.webhook.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tenant's registered receiver. The secret is not part of it: it is shown once, on creation. */
public record WebhookEndpoint(
    UUID id,
    String tenantId,
    String url,
    String description,
    List<String> eventTypes,
    boolean enabled,
    boolean ordered,
    String disabledReason,
    Instant failingSince,
    Instant createdAt,
    Instant updatedAt,
    Map<String, String> headers) {}
