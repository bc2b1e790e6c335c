package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.PlanLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Each plan's per-instance limits: the built-in defaults below, with what {@code
 * cumulus.rds.plans.<plan>.*} sets on top. A configured plan the defaults do not know starts from
 * the default plan's. Every plan is checked at start-up, so a bad setting stops the service there.
 */
@Component
public class RdsPlans {

  /** Free leaves room beside the service's pool of 4 for a few direct sessions. */
  static final Map<String, PlanLimits> DEFAULTS =
      Map.of(
          "free", new PlanLimits(10, Duration.ofSeconds(30), "4MB", "1GB", "1GB"),
          "pro", new PlanLimits(50, Duration.ofMinutes(2), "32MB", "20GB", "50GB"),
          "enterprise", new PlanLimits(200, Duration.ofMinutes(15), "128MB", "200GB", "500GB"));

  private final Map<String, PlanLimits> plans = new HashMap<>();
  private final String defaultPlan;

  public RdsPlans(RdsProperties properties) {
    this.defaultPlan = key(properties.defaultPlan());
    Map<String, RdsProperties.PlanSettings> configured = new HashMap<>();
    if (properties.plans() != null) {
      properties.plans().forEach((name, settings) -> configured.put(key(name), settings));
    }
    PlanLimits fallback =
        merge(
            DEFAULTS.getOrDefault(defaultPlan, DEFAULTS.get("free")), configured.get(defaultPlan));
    Set<String> names = new HashSet<>(DEFAULTS.keySet());
    names.addAll(configured.keySet());
    names.add(defaultPlan);
    for (String name : names) {
      plans.put(name, merge(DEFAULTS.getOrDefault(name, fallback), configured.get(name)));
    }
  }

  /** The limits of a plan; the default plan's when it is null or unknown. */
  public PlanLimits of(String plan) {
    PlanLimits limits = plan == null ? null : plans.get(key(plan));
    return limits != null ? limits : plans.get(defaultPlan);
  }

  private static PlanLimits merge(PlanLimits base, RdsProperties.PlanSettings set) {
    if (set == null) {
      return base;
    }
    try {
      return new PlanLimits(
          set.connectionLimit() != null ? set.connectionLimit() : base.connectionLimit(),
          set.statementTimeout() != null ? set.statementTimeout() : base.statementTimeout(),
          set.workMem() != null ? set.workMem() : base.workMem(),
          set.tempFileLimit() != null ? set.tempFileLimit() : base.tempFileLimit(),
          set.storageLimit() != null ? set.storageLimit() : base.storageLimit());
    } catch (IllegalArgumentException bad) {
      throw new IllegalStateException("cumulus.rds.plans: " + bad.getMessage(), bad);
    }
  }

  private static String key(String plan) {
    return plan.trim().toLowerCase(Locale.ROOT);
  }
}
