package dev.cumulus.integration.notification.domain;

import java.time.Instant;

/** One notification as a user sees it; {@code data} is JSON. */
public record Notification(
    long id,
    String type,
    String title,
    String message,
    String level,
    boolean read,
    Instant createdAt,
    String data) {}
