package dev.cumulus.updater.update.domain;

import java.time.Instant;

/**
 * "Update now" (or at a time) for one container.
 *
 * @param image the image to move to; null: the container's own tag, pulled again
 * @param scheduledAt null for immediately
 */
public record UpdateRequest(
    String strategy, String image, Instant scheduledAt, UpdateOptions options) {}
