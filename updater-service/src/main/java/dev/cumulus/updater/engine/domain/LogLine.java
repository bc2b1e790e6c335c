package dev.cumulus.updater.engine.domain;

import java.time.Instant;

/**
 * One line of a container's output.
 *
 * @param source {@code stdout} or {@code stderr}
 */
public record LogLine(Instant timestamp, String source, String message) {}
