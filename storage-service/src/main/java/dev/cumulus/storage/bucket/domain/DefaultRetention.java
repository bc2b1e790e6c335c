package dev.cumulus.storage.bucket.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A bucket's default Object Lock retention: each new version is retained in {@code mode} for {@code
 * days} or {@code years} (exactly one of them is positive, the other 0) from when it is written.
 */
public record DefaultRetention(RetentionMode mode, int days, int years) {

  public DefaultRetention {
    if (mode == null || (days > 0) == (years > 0) || days < 0 || years < 0) {
      throw new IllegalArgumentException("a default retention needs a mode and Days or Years");
    }
  }

  /** When a version written at {@code written} is retained until. */
  public Instant retainUntil(Instant written) {
    return days > 0
        ? written.plus(Duration.ofDays(days))
        : written.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
  }
}
