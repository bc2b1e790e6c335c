package dev.cumulus.updater.update.web;

import dev.cumulus.updater.common.domain.Durations;
import dev.cumulus.updater.update.domain.Update;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Updates in seed 002's shape. */
final class UpdateViews {

  private UpdateViews() {}

  static Map<String, Object> item(Update u) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", u.id().toString());
    view.put("container_id", u.containerId());
    view.put("container_name", u.containerName());
    view.put("from_image", u.fromImage());
    view.put("to_image", u.toImage());
    view.put("from_digest", u.fromDigest());
    view.put("to_digest", u.toDigest());
    view.put("strategy", u.strategy());
    view.put("status", u.status());
    view.put("trigger", u.trigger());
    view.put("batch_id", u.batchId() == null ? null : u.batchId().toString());
    view.put("scheduled_at", u.scheduledAt());
    view.put("started_at", u.startedAt());
    view.put("completed_at", u.completedAt());
    view.put(
        "duration",
        u.startedAt() != null && u.completedAt() != null
            ? Durations.format(Duration.between(u.startedAt(), u.completedAt()))
            : null);
    view.put("success", u.success());
    view.put("rollback", u.rolledBack());
    view.put("logs", u.logs());
    return view;
  }
}
