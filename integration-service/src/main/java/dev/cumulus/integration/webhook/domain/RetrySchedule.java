package dev.cumulus.integration.webhook.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: the configured delays in turn, each moved by a random
 * share of itself ({@code jitter}) so that retries of one outage do not arrive together.
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

  public RetrySchedule {
    delays = List.copyOf(delays);
  }

  /**
   * The wait after attempt {@code attempt} (1-based) failed; empty when it was the last.
   *
   * @param retryAfter the receiver's {@code Retry-After}, honoured instead of the schedule's delay
   */
  public Optional<Duration> after(int attempt, Duration retryAfter, Duration maxRetryAfter) {
    if (attempt > delays.size()) {
      return Optional.empty();
    }
    if (retryAfter != null) {
      return Optional.of(retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter);
    }
    Duration base = delays.get(attempt - 1);
    double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
    return Optional.of(Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * factor))));
  }
}
