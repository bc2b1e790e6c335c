package dev.cumulus.function.containers.web;

import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.CrashLoop;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed 001's JSON shapes of a function, field for field and in the seed's order. */
final class ContainerFunctionViews {

  private ContainerFunctionViews() {}

  /** The answer to a create: the request as stored, {@code status} Pending. */
  static Map<String, Object> created(ContainerFunction f) {
    Map<String, Object> view = head(f);
    putCommandAndEnv(view, f);
    putExtras(view, f);
    view.put("status", f.status());
    putTimes(view, f);
    return view;
  }

  /** An item of the list: no command or env, with {@code available_replicas}. */
  static Map<String, Object> summary(ContainerFunction f) {
    Map<String, Object> view = head(f);
    view.put("status", f.status());
    view.put("available_replicas", f.availableReplicas());
    putTimes(view, f);
    return view;
  }

  /**
   * One function in full; beyond the seed: resources, restarts, stopped, a failure message and the
   * crash back-off.
   */
  static Map<String, Object> detail(ContainerFunction f) {
    Map<String, Object> view = head(f);
    putCommandAndEnv(view, f);
    putExtras(view, f);
    view.put("status", f.status());
    view.put("available_replicas", f.availableReplicas());
    view.put("restarts", f.restarts());
    if (f.statusMessage() != null) {
      view.put("message", f.statusMessage());
    }
    if (f.crashLoop().crashes() > 0) {
      view.put("crash_loop", crashLoop(f.crashLoop()));
    }
    putTimes(view, f);
    return view;
  }

  /** Replicas that keep exiting: crashes in a row, the last exit code and the back-off. */
  private static Map<String, Object> crashLoop(CrashLoop loop) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("crashes_in_row", loop.crashes());
    view.put("last_exit_code", loop.lastExitCode());
    view.put("last_crash_at", seconds(loop.lastCrashAt()));
    view.put("backoff_seconds", loop.backoff().toSeconds());
    view.put("restart_at", seconds(loop.restartAt()));
    return view;
  }

  private static Map<String, Object> head(ContainerFunction f) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", f.id().toString());
    view.put("user_id", f.userId());
    view.put("name", f.name());
    view.put("namespace", f.namespace());
    view.put("image", f.image());
    view.put("replicas", f.replicas());
    return view;
  }

  private static void putCommandAndEnv(Map<String, Object> view, ContainerFunction f) {
    if (f.command() != null) {
      view.put("command", f.command());
    }
    view.put("env", f.env());
  }

  private static void putExtras(Map<String, Object> view, ContainerFunction f) {
    if (f.resources() != null) {
      Map<String, Object> resources = new LinkedHashMap<>();
      if (f.resources().cpu() != null) {
        resources.put("cpu", f.resources().cpu());
      }
      if (f.resources().memory() != null) {
        resources.put("memory", f.resources().memory());
      }
      view.put("resources", resources);
    }
    if (f.registryCredentials() != null) {
      // The user name only: the password is never answered.
      view.put("registry_credentials", Map.of("username", f.registryCredentials().username()));
    }
    if (f.stopped()) {
      view.put("stopped", true);
    }
  }

  private static void putTimes(Map<String, Object> view, ContainerFunction f) {
    view.put("created_at", seconds(f.createdAt()));
    view.put("updated_at", seconds(f.updatedAt()));
  }

  /** RFC 3339 in whole seconds, as the seed shows times. */
  static String seconds(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
