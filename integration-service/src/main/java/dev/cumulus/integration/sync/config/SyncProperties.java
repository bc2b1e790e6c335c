package dev.cumulus.integration.sync.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sync jobs ({@code cumulus.integration.sync.*}).
 *
 * @param pageSize records fetched per request; progress is saved after each page
 * @param pollInterval how often due jobs are looked for (a trigger wakes the runner at once)
 * @param lease how long a running job is hidden from other nodes without progress; after it a job
 *     whose node died resumes from its saved cursor
 * @param maxAttempts failed pages in a row before a job fails
 * @param retryDelay the wait after a failed page
 * @param requestTimeout one page request to an external source
 */
@ConfigurationProperties("cumulus.integration.sync")
public record SyncProperties(
    @DefaultValue("50") int pageSize,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("60s") Duration lease,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("10s") Duration retryDelay,
    @DefaultValue("15s") Duration requestTimeout) {}
