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
 */
@ConfigurationProperties("cumulus.updater.updates")
public record UpdateProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("4") int concurrency,
    @DefaultValue("10m") Duration leaseMargin,
    @DefaultValue("3s") Duration settleTime,
    @DefaultValue("") String instanceId) {

  public String owner() {
    return instanceId.isBlank() ? DEFAULT_OWNER : instanceId;
  }

  private static final String DEFAULT_OWNER = "updater-" + UUID.randomUUID();
}
