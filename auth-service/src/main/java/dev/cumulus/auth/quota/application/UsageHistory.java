package dev.cumulus.auth.quota.application;

import dev.cumulus.auth.quota.domain.UsageSample;
import dev.cumulus.auth.quota.persistence.UsageHistoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Reading a tenant's stored samples. */
@Service
public class UsageHistory {

  private final UsageHistoryRepository history;
  private final UsageHistoryProperties properties;

  public UsageHistory(UsageHistoryRepository history, UsageHistoryProperties properties) {
    this.history = history;
    this.properties = properties;
  }

  /** The longest range one may ask for: the retention, in whole days. */
  public int maxDays() {
    return (int) Math.max(1, properties.retention().toDays());
  }

  /** The tenant's hourly samples of the last {@code days} days, oldest first. */
  public Mono<List<UsageSample>> lastDays(String tenantId, int days) {
    return history
        .since(
            tenantId,
            Clock.systemUTC().instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(days)))
        .collectList();
  }
}
