package dev.cumulus.storage.quota.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Storage quotas ({@code cumulus.storage.quota.*}).
 *
 * @param cacheTtl how long a tenant's limits from auth-service are reused: a raised or lowered
 *     limit applies at most this much later
 * @param fallbackTtl while auth-service cannot answer, how long the last known limits are reused
 *     before asking again
 * @param metricsInterval how often the per-tenant gauges are read from the usage table
 * @param metricsTenants the gauges cover at most this many tenants, those storing the most
 */
@ConfigurationProperties("cumulus.storage.quota")
public record QuotaProperties(
    Duration cacheTtl, Duration fallbackTtl, Duration metricsInterval, Integer metricsTenants) {

  public QuotaProperties {
    cacheTtl = cacheTtl == null ? Duration.ofSeconds(30) : cacheTtl;
    fallbackTtl = fallbackTtl == null ? Duration.ofSeconds(5) : fallbackTtl;
    metricsInterval = metricsInterval == null ? Duration.ofSeconds(30) : metricsInterval;
    metricsTenants = metricsTenants == null ? 1000 : metricsTenants;
  }
}
