package dev.cumulus.updater.container.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of what a caller asks for, field by field (seed 002's {@code error.fields}). */
public final class ContainerRules {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
  private static final Pattern IMAGE =
      Pattern.compile(
          "[a-z0-9]+([._:/@-][a-zA-Z0-9_.-]+)*(:[\\w][\\w.-]{0,127})?" + "(@sha256:[a-f0-9]{64})?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?B?)", Pattern.CASE_INSENSITIVE);
  private static final Set<String> POLICIES = Set.of("auto", "approve", "manual");
  private static final Set<String> STRATEGIES = Set.of("rolling", "recreate");
  private static final Set<String> RESTARTS =
      Set.of("no", "always", "unless-stopped", "on-failure");

  private ContainerRules() {}

  public static Map<String, List<String>> checkName(String name) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    if (name == null || name.isBlank()) {
      add(errors, "name", "is required");
    } else if (!NAME.matcher(name).matches()) {
      add(errors, "name", "must be 1-63 letters, digits, '_', '.' or '-', starting alphanumeric");
    }
    return errors;
  }

  public static void checkImage(String image, Map<String, List<String>> errors) {
    if (image == null || image.isBlank()) {
      add(errors, "image", "is required");
    } else if (!IMAGE.matcher(image).matches()) {
      add(errors, "image", "is not a valid image reference");
    }
  }

  public static void checkConfig(ContainerConfig config, Map<String, List<String>> errors) {
    Set<String> hostPorts = new java.util.HashSet<>();
    for (ContainerConfig.Port port : config.ports()) {
      if (port.container() < 1 || port.container() > 65535) {
        add(errors, "config.ports", "container port must be 1-65535");
      }
      if (port.host() < 0 || port.host() > 65535) {
        add(errors, "config.ports", "host port must be 0-65535");
      }
      if (!port.protocol().equals("tcp") && !port.protocol().equals("udp")) {
        add(errors, "config.ports", "protocol must be tcp or udp");
      }
      if (port.host() > 0 && !hostPorts.add(port.host() + "/" + port.protocol())) {
        add(errors, "config.ports", "host port " + port.host() + " is listed twice");
      }
    }
    for (ContainerConfig.Mount mount : config.volumes()) {
      if (mount.host() == null
          || !mount.host().startsWith("/")
          || mount.container() == null
          || !mount.container().startsWith("/")) {
        add(errors, "config.volumes", "host and container must be absolute paths");
      }
      if (!mount.mode().equals("rw") && !mount.mode().equals("ro")) {
        add(errors, "config.volumes", "mode must be rw or ro");
      }
    }
    String restart = config.restartPolicy().split(":")[0];
    if (!RESTARTS.contains(restart)) {
      add(errors, "config.restart_policy", "must be one of " + RESTARTS);
    }
    if (config.memoryLimit() != null && memoryBytes(config.memoryLimit()) < 0) {
      add(errors, "config.memory_limit", "must be a size such as 512MB");
    }
    if (config.cpuLimit() != null && nanoCpus(config.cpuLimit()) < 0) {
      add(errors, "config.cpu_limit", "must be a number of CPUs such as 1.0");
    }
  }

  public static void checkPolicy(UpdatePolicy policy, Map<String, List<String>> errors) {
    if (!POLICIES.contains(policy.policy())) {
      add(errors, "update_policy.policy", "must be one of " + POLICIES);
    }
    if (!STRATEGIES.contains(policy.strategy())) {
      add(errors, "update_policy.strategy", "must be rolling or recreate");
    }
    if (policy.schedule() != null && !CronSchedule.isValid(policy.schedule())) {
      add(errors, "update_policy.schedule", "is not a valid cron expression");
    }
    if (policy.healthCheckTimeout() < 1 || policy.healthCheckTimeout() > 3600) {
      add(errors, "update_policy.health_check_timeout", "must be 1-3600 seconds");
    }
  }

  public static void checkHealth(HealthCheck check, Map<String, List<String>> errors) {
    if (check == null) {
      return;
    }
    if (check.interval() < 1 || check.timeout() < 1 || check.retries() < 1) {
      add(errors, "health_check", "interval, timeout and retries must be positive");
    }
    if (check.enabled() && check.command().isEmpty()) {
      add(errors, "health_check.command", "is required when the check is enabled");
    }
  }

  /** Bytes of a size like {@code 512MB} or {@code 1GB}; -1 when unreadable. */
  public static long memoryBytes(String size) {
    if (size == null) {
      return 0;
    }
    var m = SIZE.matcher(size.trim());
    if (!m.matches()) {
      return -1;
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2).toUpperCase(Locale.ROOT).replace("B", "");
    long factor =
        switch (unit) {
          case "K" -> 1L << 10;
          case "M" -> 1L << 20;
          case "G" -> 1L << 30;
          case "T" -> 1L << 40;
          default -> 1;
        };
    return (long) (value * factor);
  }

  /** Nano CPUs of {@code 1.5}; -1 when unreadable. */
  public static long nanoCpus(String cpus) {
    if (cpus == null) {
      return 0;
    }
    try {
      double value = Double.parseDouble(cpus.trim());
      return value <= 0 ? -1 : (long) (value * 1e9);
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }

  private static void add(Map<String, List<String>> errors, String field, String message) {
    errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
  }
}
