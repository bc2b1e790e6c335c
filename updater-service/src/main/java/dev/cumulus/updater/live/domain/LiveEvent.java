package dev.cumulus.updater.live.domain;

import java.time.Instant;
import java.util.Map;

/**
 * An event as WebSocket clients get it: seed 002's {@code {type, timestamp, data}}, plus whose it
 * is (never sent).
 *
 * @param type seed 002's name, e.g. {@code container_status_changed}
 * @param containerId for the {@code container_ids} filter; null when the event has none
 */
public record LiveEvent(
    String id,
    String tenantId,
    String type,
    Long containerId,
    Instant timestamp,
    Map<String, Object> data) {}
