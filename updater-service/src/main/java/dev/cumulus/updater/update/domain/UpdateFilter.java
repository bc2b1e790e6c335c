package dev.cumulus.updater.update.domain;

import java.time.Instant;

/** Seed 002's history filters; null means any. */
public record UpdateFilter(
    String status, Long containerId, Instant from, Instant to, int page, int limit) {}
