package dev.cumulus.queue.queues.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A queue of one queue instance. */
public record Queue(
    UUID id,
    String serviceId,
    String tenantId,
    String name,
    QueueSettings settings,
    Map<String, String> tags,
    Instant createdAt,
    Instant updatedAt) {

  public boolean fifo() {
    return settings.fifo();
  }
}
