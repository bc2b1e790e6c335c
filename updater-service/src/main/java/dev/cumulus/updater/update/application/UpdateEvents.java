package dev.cumulus.updater.update.application;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.updater.common.application.UpdaterTopics;
import dev.cumulus.updater.common.domain.Durations;
import dev.cumulus.updater.update.domain.Update;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code dev.cumulus.updater.update.{started,succeeded,failed,rolled-back}.v1}: what notifications,
 * webhooks and the WebSocket hear of an update.
 */
@Component
public class UpdateEvents {

  private final Outbox outbox;

  public UpdateEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public Mono<Void> started(Update u) {
    return append(u, "started", data(u));
  }

  public Mono<Void> succeeded(Update u) {
    Map<String, Object> data = data(u);
    data.put("success", true);
    return append(u, "succeeded", data);
  }

  public Mono<Void> failed(Update u, String reason) {
    Map<String, Object> data = data(u);
    data.put("success", false);
    data.put("error", reason);
    data.put("rolled_back", u.rolledBack());
    return append(u, "failed", data);
  }

  public Mono<Void> rolledBack(Update u, String reason) {
    Map<String, Object> data = data(u);
    data.put("success", false);
    data.put("error", reason);
    data.put("restored_digest", u.fromDigest());
    return append(u, "rolled-back", data);
  }

  /** An update that waits for a person to approve it. */
  public Mono<Void> awaitingApproval(Update u) {
    return append(u, "awaiting-approval", data(u));
  }

  private Mono<Void> append(Update u, String verb, Map<String, Object> data) {
    return outbox
        .appendForTenant(
            u.tenantId(),
            UpdaterTopics.EVENTS,
            Long.toString(u.containerId()),
            "update",
            verb,
            data)
        .then();
  }

  private static Map<String, Object> data(Update u) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("update_id", u.id().toString());
    data.put("container_id", u.containerId());
    data.put("container_name", u.containerName());
    data.put("strategy", u.strategy());
    data.put("trigger", u.trigger());
    data.put("from_image", u.fromImage());
    data.put("from_digest", u.fromDigest());
    data.put("to_image", u.toImage());
    data.put("to_digest", u.toDigest());
    if (u.startedAt() != null) {
      Instant end = u.completedAt() != null ? u.completedAt() : Instant.now();
      data.put("duration", Durations.format(Duration.between(u.startedAt(), end)));
    }
    return data;
  }
}
