package dev.cumulus.storage.lifecycle.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One S3 lifecycle rule: which keys (a prefix; "" is the whole bucket) and what happens to them.
 * Ages follow S3: an action is due at the first midnight UTC after the start time plus the days.
 *
 * @param expiration what happens to current versions, or null
 * @param noncurrentExpiration when noncurrent versions are removed for good, or null
 * @param abortIncompleteUploadDays days after initiation an unfinished multipart upload is aborted,
 *     or null
 */
public record LifecycleRule(
    String id,
    String prefix,
    boolean enabled,
    Expiration expiration,
    NoncurrentExpiration noncurrentExpiration,
    Integer abortIncompleteUploadDays) {

  /**
   * Expiration of current versions: after {@code days}, on {@code date}, or (alone) removal of
   * delete markers that no longer hide any version.
   */
  public record Expiration(Integer days, Instant date, boolean expiredObjectDeleteMarker) {}

  /**
   * @param days days after a version became noncurrent (its successor was written)
   * @param newerVersionsToKeep this many newest noncurrent versions stay regardless, or null
   */
  public record NoncurrentExpiration(int days, Integer newerVersionsToKeep) {
    public int keep() {
      return newerVersionsToKeep == null ? 0 : newerVersionsToKeep;
    }
  }

  public LifecycleRule {
    prefix = prefix == null ? "" : prefix;
  }

  public boolean matches(String key) {
    return key.startsWith(prefix);
  }

  /**
   * Current versions last modified before the returned instant are expired at {@code now}; empty
   * when the rule expires no current version (yet).
   */
  public Optional<Instant> currentVersionCutoff(Instant now) {
    if (!enabled || expiration == null) {
      return Optional.empty();
    }
    if (expiration.days() != null) {
      return Optional.of(ageCutoff(now, expiration.days()));
    }
    if (expiration.date() != null && !now.isBefore(expiration.date())) {
      return Optional.of(now);
    }
    return Optional.empty();
  }

  public boolean removesExpiredDeleteMarkers() {
    return enabled && expiration != null && expiration.expiredObjectDeleteMarker();
  }

  /** Versions that became noncurrent before the returned instant are due at {@code now}. */
  public Optional<Instant> noncurrentCutoff(Instant now) {
    return enabled && noncurrentExpiration != null
        ? Optional.of(ageCutoff(now, noncurrentExpiration.days()))
        : Optional.empty();
  }

  /** Uploads initiated before the returned instant are aborted at {@code now}. */
  public Optional<Instant> incompleteUploadCutoff(Instant now) {
    return enabled && abortIncompleteUploadDays != null
        ? Optional.of(ageCutoff(now, abortIncompleteUploadDays))
        : Optional.empty();
  }

  /**
   * When the current version last modified at {@code lastModified} expires (S3's {@code
   * x-amz-expiration}); empty when this rule does not expire it.
   */
  public Optional<Instant> expiryOf(String key, Instant lastModified) {
    if (!enabled || expiration == null || !matches(key)) {
      return Optional.empty();
    }
    if (expiration.days() != null) {
      return Optional.of(nextMidnight(lastModified.plus(Duration.ofDays(expiration.days()))));
    }
    return Optional.ofNullable(expiration.date());
  }

  /**
   * Due at {@code now} ⇔ nextMidnight(start + days) ≤ now ⇔ start + days < today's midnight: one
   * instant to compare every start time with, so the database can do the filtering.
   */
  static Instant ageCutoff(Instant now, int days) {
    return now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
  }

  static Instant nextMidnight(Instant instant) {
    return instant.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
  }
}
