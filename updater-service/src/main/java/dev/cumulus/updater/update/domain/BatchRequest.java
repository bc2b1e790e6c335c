package dev.cumulus.updater.update.domain;

import java.time.Instant;
import java.util.List;

/**
 * Seed 002's {@code POST /api/updates/schedule}: these containers (and every container running one
 * of these images) at that time.
 */
public record BatchRequest(
    List<Long> containerIds,
    List<String> images,
    String strategy,
    Instant scheduledAt,
    UpdateOptions options) {}
