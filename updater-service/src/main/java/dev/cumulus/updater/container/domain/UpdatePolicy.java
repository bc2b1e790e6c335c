package dev.cumulus.updater.container.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When and how a container follows new images.
 *
 * @param policy {@code auto} (a new digest found on schedule is applied), {@code approve} (it waits
 *     for approval), {@code manual} (only "update now")
 * @param strategy {@code rolling} (new beside old, switch when healthy) or {@code recreate}
 * @param schedule cron (5 or 6 fields) of the registry checks, or null
 * @param healthCheckTimeout seconds an updated container has to become healthy
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpdatePolicy(
    String policy,
    String strategy,
    String schedule,
    @JsonProperty("rollback_on_failure") Boolean rollbackOnFailure,
    @JsonProperty("health_check_timeout") Integer healthCheckTimeout) {

  public UpdatePolicy {
    policy = policy == null ? "manual" : policy;
    strategy = strategy == null ? "rolling" : strategy;
    rollbackOnFailure = rollbackOnFailure == null || rollbackOnFailure;
    healthCheckTimeout = healthCheckTimeout == null ? 300 : healthCheckTimeout;
  }

  public static UpdatePolicy defaults() {
    return new UpdatePolicy(null, null, null, null, null);
  }

  /** This policy with the fields the patch names replaced. */
  public UpdatePolicy merge(PolicyPatch patch) {
    return new UpdatePolicy(
        patch.policy() != null ? patch.policy() : policy,
        patch.strategy() != null ? patch.strategy() : strategy,
        patch.schedule() != null
            ? (patch.schedule().isBlank() ? null : patch.schedule())
            : schedule,
        patch.rollbackOnFailure() != null ? patch.rollbackOnFailure() : rollbackOnFailure,
        patch.healthCheckTimeout() != null ? patch.healthCheckTimeout() : healthCheckTimeout);
  }

  /** A partial policy: null fields stay as they are. */
  public record PolicyPatch(
      String policy,
      String strategy,
      String schedule,
      Boolean rollbackOnFailure,
      Integer healthCheckTimeout) {}
}
