package dev.cumulus.auth.quota.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hourly storage samples ({@code cumulus.auth.usage-history.*}).
 *
 * @param enabled take samples at all
 * @param checkInterval how often the sampler looks for tenants without this hour's sample (the
 *     sample is taken within this much of the hour's start, and retried this often while
 *     storage-service does not answer)
 * @param retention how long samples are kept; {@code GET /api/tenants/usage-history/} reads at most
 *     this far back
 * @param concurrency how many tenants are asked for at once
 */
@ConfigurationProperties("cumulus.auth.usage-history")
public record UsageHistoryProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5m") Duration checkInterval,
    @DefaultValue("90d") Duration retention,
    @DefaultValue("4") int concurrency) {}
