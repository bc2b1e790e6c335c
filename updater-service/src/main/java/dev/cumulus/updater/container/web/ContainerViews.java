package dev.cumulus.updater.container.web;

import dev.cumulus.updater.common.domain.Durations;
import dev.cumulus.updater.common.domain.Sizes;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.HealthCheck;
import dev.cumulus.updater.container.domain.UpdateSummary;
import dev.cumulus.updater.engine.domain.EngineStats;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Containers in seed 002's JSON shape (snake_case, sizes as {@code 128MB}). */
final class ContainerViews {

  private ContainerViews() {}

  static Map<String, Object> item(Container c) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", c.id());
    view.put("name", c.name());
    view.put("image", c.image());
    view.put("image_digest", c.imageDigest());
    view.put("status", c.status());
    view.put("created_at", c.createdAt());
    view.put("updated_at", c.updatedAt());
    view.put("config", config(c, false));
    view.put("update_policy", policy(c, false));
    view.put("health", health(c, false));
    view.put("update_available", c.updateAvailable());
    view.put("latest_version", latest(c));
    return view;
  }

  static Map<String, Object> details(
      Container c, EngineStats stats, Instant startedAt, List<UpdateSummary> history) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", c.id());
    view.put("name", c.name());
    view.put("image", c.image());
    view.put("image_digest", c.imageDigest());
    view.put("docker_id", c.dockerId());
    view.put("status", c.status());
    view.put("created_at", c.createdAt());
    view.put("updated_at", c.updatedAt());
    view.put("config", config(c, true));
    view.put("update_policy", policy(c, true));
    view.put("health", health(c, true));
    if (stats != null) {
      Map<String, Object> s = stats(stats);
      s.put(
          "uptime",
          startedAt == null
              ? null
              : Durations.format(java.time.Duration.between(startedAt, Instant.now())));
      view.put("stats", s);
    }
    view.put("update_available", c.updateAvailable());
    view.put("latest_version", latest(c));
    view.put("update_history", history.stream().map(ContainerViews::update).toList());
    return view;
  }

  static Map<String, Object> stats(EngineStats s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("cpu_usage", s.cpuPercent());
    view.put("memory_usage", Sizes.format(s.memoryUsage()));
    view.put("memory_limit", s.memoryLimit() == 0 ? null : Sizes.format(s.memoryLimit()));
    view.put(
        "memory_percent",
        s.memoryLimit() == 0 ? 0.0 : Math.round(s.memoryUsage() * 1000.0 / s.memoryLimit()) / 10.0);
    view.put("network_rx", Sizes.format(s.networkRx()));
    view.put("network_tx", Sizes.format(s.networkTx()));
    view.put("block_io_read", Sizes.format(s.blockRead()));
    view.put("block_io_write", Sizes.format(s.blockWrite()));
    view.put("pids", s.pids());
    return view;
  }

  private static Map<String, Object> config(Container c, boolean full) {
    Map<String, Object> view = new LinkedHashMap<>();
    if (full) {
      view.put("image", c.image());
    }
    view.put("ports", c.config().ports());
    view.put("environment", c.config().environment());
    view.put("volumes", c.config().volumes());
    if (full) {
      view.put("networks", c.config().networks());
    }
    view.put("labels", c.config().labels());
    if (full) {
      view.put("restart_policy", c.config().restartPolicy());
      view.put("cpu_limit", c.config().cpuLimit());
      view.put("memory_limit", c.config().memoryLimit());
    }
    return view;
  }

  private static Map<String, Object> policy(Container c, boolean full) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("policy", c.updatePolicy().policy());
    view.put("strategy", c.updatePolicy().strategy());
    view.put("schedule", c.updatePolicy().schedule());
    if (full) {
      view.put("rollback_on_failure", c.updatePolicy().rollbackOnFailure());
      view.put("health_check_timeout", c.updatePolicy().healthCheckTimeout());
    }
    return view;
  }

  private static Map<String, Object> health(Container c, boolean full) {
    Map<String, Object> view = new LinkedHashMap<>();
    HealthCheck check = c.healthCheck();
    view.put(
        "status",
        check == null || !check.active()
            ? "none"
            : c.healthStatus() == null ? "unknown" : c.healthStatus());
    view.put("last_check", c.healthCheckedAt());
    if (full && check != null) {
      view.put("check_interval", check.interval());
      view.put("retries", check.retries());
      view.put("timeout", check.timeout());
    }
    return view;
  }

  private static String latest(Container c) {
    return c.latestDigest() == null
        ? null
        : c.image().replaceAll("[:@][^:/@]*$", "") + "@" + c.latestDigest();
  }

  private static Map<String, Object> update(UpdateSummary u) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", u.id());
    view.put("from_image", u.fromImage());
    view.put("to_image", u.toImage());
    view.put("started_at", u.startedAt());
    view.put("completed_at", u.completedAt());
    view.put("status", u.status());
    view.put("strategy", u.strategy());
    return view;
  }
}
