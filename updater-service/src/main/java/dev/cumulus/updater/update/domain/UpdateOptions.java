package dev.cumulus.updater.update.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How one update runs.
 *
 * @param rollbackOnFailure go back to the previous container when the new one fails its check
 * @param healthCheckTimeout seconds the new container has to become healthy
 * @param preUpdateScript shell command run inside the old container before the switch (its failure
 *     cancels the update)
 * @param postUpdateScript shell command run inside the new container once healthy (its failure
 *     counts as a failed health check)
 * @param force update even when the registry digest equals the running one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpdateOptions(
    @JsonProperty("rollback_on_failure") Boolean rollbackOnFailure,
    @JsonProperty("health_check_timeout") Integer healthCheckTimeout,
    @JsonProperty("pre_update_script") String preUpdateScript,
    @JsonProperty("post_update_script") String postUpdateScript,
    Boolean force) {

  public UpdateOptions {
    force = force != null && force;
  }

  public static UpdateOptions none() {
    return new UpdateOptions(null, null, null, null, null);
  }
}
