package dev.cumulus.updater.update.config;

import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The update worker of each updater instance ({@code cumulus.updater.updates.*}).
 *
 * @param enabled whether this instance runs scheduled updates and checks at all
 * @param pollInterval how often it looks for due updates and due registry checks
 * @param concurrency updates this instance runs at once
 * @param leaseMargin how long past its health-check timeout an update's lease lasts; an instance
 *     that dies mid-update leaves it to another one after that
 * @param settleTime how long a container without a health check must keep running to pass
 * @param instanceId this instance's name in leases (random by default)
 * @param runTimeout how long past its health-check timeout one update may run (pull, hooks, switch)
 *     before this instance gives up on it: the update fails and the previous container is put back,
 *     so a hung engine or hook never holds a worker slot for good. Shorter than {@code
 *     leaseMargin}, so that no other instance takes the update over while this one still runs it
 * @param cycleTimeout how long one worker cycle (due checks, then claiming) may take before the
 *     worker abandons it and goes on with the next poll
 */
@ConfigurationProperties("cumulus.updater.updates")
public record UpdateProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("4") int concurrency,
    @DefaultValue("10m") Duration leaseMargin,
    @DefaultValue("3s") Duration settleTime,
    @DefaultValue("") String instanceId,
    @DefaultValue("9m") Duration runTimeout,
    @DefaultValue("5m") Duration cycleTimeout) {

  /** The health-check timeout of an update whose options name none (as in the lease's SQL). */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(300);

  public UpdateProperties {
    if (runTimeout.compareTo(leaseMargin) >= 0) {
      throw new IllegalArgumentException(
          "cumulus.updater.updates.run-timeout ("
              + runTimeout
              + ") must be shorter than lease-margin ("
              + leaseMargin
              + "): another instance would take over an update this one still runs");
    }
  }

  public String owner() {
    return instanceId.isBlank() ? DEFAULT_OWNER : instanceId;
  }

  private static final String DEFAULT_OWNER = "updater-" + UUID.randomUUID();
}
