package dev.cumulus.storage.object.domain;

import dev.cumulus.storage.bucket.domain.RetentionMode;
import java.time.Instant;

/** One version's S3 Object Lock retention: kept in {@code mode} until {@code retainUntil}. */
public record Retention(RetentionMode mode, Instant retainUntil) {

  public Retention {
    if (mode == null || retainUntil == null) {
      throw new IllegalArgumentException("a retention needs a mode and a retain-until date");
    }
  }

  /** Whether it still protects its version at {@code now}. */
  public boolean activeAt(Instant now) {
    return retainUntil.isAfter(now);
  }
}
