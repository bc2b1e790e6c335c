package dev.cumulus.updater.container.domain;

import java.time.Instant;

/** One past update of a container, as its details show it. */
public record UpdateSummary(
    String id,
    String fromImage,
    String toImage,
    Instant startedAt,
    Instant completedAt,
    String status,
    String strategy) {}
