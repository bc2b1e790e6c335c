package dev.cumulus.gateway.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-instance traffic metrics ({@code cumulus.gateway.instance-metrics.*}, docs/identity.md).
 *
 * @param enabled record and serve them at all
 * @param flushInterval how often the in-memory counters are added to Redis
 * @param retention how long a minute's counts stay in Redis (the key's TTL)
 * @param maxKeys at most this many (tenant, instance, minute) counters per flush interval; requests
 *     beyond are not counted (a bound on memory whatever paths callers invent)
 * @param keyPrefix Redis key prefix
 */
@ConfigurationProperties("cumulus.gateway.instance-metrics")
public record InstanceMetricsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5s") Duration flushInterval,
    @DefaultValue("24h") Duration retention,
    @DefaultValue("50000") int maxKeys,
    @DefaultValue("cumulus:instance-metrics:") String keyPrefix) {}
