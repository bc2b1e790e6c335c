package dev.cumulus.auth.quota.application;

import dev.cumulus.auth.quota.domain.UsageSample;
import dev.cumulus.auth.quota.persistence.StorageUsageClient;
import dev.cumulus.auth.quota.persistence.UsageHistoryRepository;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Takes each tenant's hourly storage sample: every check interval, the tenants without a sample for
 * the current hour are asked for at storage-service ({@link StorageUsageClient}) and their samples
 * inserted, the first per (tenant, hour) winning, so two replicas never store two; a tenant whose
 * usage storage-service cannot give is tried again at the next check. Then samples past the
 * retention are deleted.
 */
@Component
@ConditionalOnProperty(value = "cumulus.auth.usage-history.enabled", matchIfMissing = true)
public class UsageSampler extends PeriodicWork {

  private final UsageHistoryRepository history;
  private final StorageUsageClient storage;
  private final UsageHistoryProperties properties;
  private final Clock clock;

  @Autowired
  public UsageSampler(
      UsageHistoryRepository history,
      StorageUsageClient storage,
      UsageHistoryProperties properties) {
    this(history, storage, properties, Clock.systemUTC());
  }

  UsageSampler(
      UsageHistoryRepository history,
      StorageUsageClient storage,
      UsageHistoryProperties properties,
      Clock clock) {
    super("Usage sampling");
    this.history = history;
    this.storage = storage;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected Duration interval() {
    return properties.checkInterval();
  }

  @Override
  protected Duration firstRunDelay() {
    // Soon after start, so a restart near the hour does not miss it.
    return Duration.ofSeconds(Math.min(30, properties.checkInterval().toSeconds()));
  }

  @Override
  public Mono<Long> runOnce() {
    Instant now = clock.instant();
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    return history
        .tenantsWithoutSample(hour)
        .flatMap(tenant -> sample(tenant, hour), properties.concurrency())
        .filter(stored -> stored)
        .count()
        .flatMap(
            stored -> history.deleteBefore(now.minus(properties.retention())).thenReturn(stored));
  }

  private Mono<Boolean> sample(String tenantId, Instant hour) {
    return storage
        .of(tenantId)
        .flatMap(
            usage ->
                usage
                    .map(
                        u ->
                            history.insertIfAbsent(
                                tenantId,
                                new UsageSample(
                                    hour,
                                    u.storedBytes() + u.parkedBytes(),
                                    u.objects(),
                                    u.buckets())))
                    .orElse(Mono.just(false)));
  }
}
