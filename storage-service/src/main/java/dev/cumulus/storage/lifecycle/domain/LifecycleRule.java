package dev.cumulus.storage.lifecycle.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One S3 lifecycle rule: which objects (a key prefix, "" being the whole bucket, and optionally
 * tags the object must all carry and bounds its size must lie strictly within) and what happens to
 * them. Ages follow S3: an action is due at the first midnight UTC after the start time plus the
 * days.
 *
 * @param tags tags (key and value) an object must all have; empty: any tags
 * @param objectSizeGreaterThan objects of at most this many bytes are left alone, or null
 * @param objectSizeLessThan objects of at least this many bytes are left alone, or null
 * @param andOperator the filter was given as {@code And} (returned the same way by GET); never null
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
    Integer abortIncompleteUploadDays,
    List<Tag> tags,
    Long objectSizeGreaterThan,
    Long objectSizeLessThan,
    Boolean andOperator) {

  /** A tag of a filter; an absent Value is the empty one, as in S3. */
  public record Tag(String key, String value) {
    public Tag {
      value = value == null ? "" : value;
    }
  }

  /** A rule filtering by prefix only. */
  public LifecycleRule(
      String id,
      String prefix,
      boolean enabled,
      Expiration expiration,
      NoncurrentExpiration noncurrentExpiration,
      Integer abortIncompleteUploadDays) {
    this(
        id,
        prefix,
        enabled,
        expiration,
        noncurrentExpiration,
        abortIncompleteUploadDays,
        List.of(),
        null,
        null,
        false);
  }

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
    tags = tags == null ? List.of() : List.copyOf(tags);
    // Boxed so that rules stored before filters had it (no such field) still read: never null.
    andOperator = Boolean.TRUE.equals(andOperator);
  }

  /** The filter's tags as one object, what a version's tags must contain. */
  public Map<String, String> tagMap() {
    Map<String, String> map = new LinkedHashMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  /** Whether the filter looks at more than the key (tags or size). */
  public boolean filtersBeyondPrefix() {
    return !tags.isEmpty() || objectSizeGreaterThan != null || objectSizeLessThan != null;
  }

  /** Sizes above this lie within the filter (-1 when it has no lower bound). */
  public long sizeAbove() {
    return objectSizeGreaterThan == null ? -1 : objectSizeGreaterThan;
  }

  /** Sizes below this lie within the filter ({@link Long#MAX_VALUE} when it has no upper bound). */
  public long sizeBelow() {
    return objectSizeLessThan == null ? Long.MAX_VALUE : objectSizeLessThan;
  }

  public boolean matches(String key) {
    return key.startsWith(prefix);
  }

  /** The whole filter: the key's prefix, every tag (key and value), the size strictly in bounds. */
  public boolean matches(String key, long size, Map<String, String> objectTags) {
    return matches(key)
        && size > sizeAbove()
        && size < sizeBelow()
        && tags.stream().allMatch(t -> t.value().equals(objectTags.get(t.key())));
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
    return expiryOf(key, lastModified, null, Map.of());
  }

  /**
   * {@link #expiryOf(String, Instant)} for an object of this size and tags; with {@code size} null
   * (not known), a rule filtering by tags or size does not apply.
   */
  public Optional<Instant> expiryOf(
      String key, Instant lastModified, Long size, Map<String, String> objectTags) {
    boolean selected =
        size == null ? matches(key) && !filtersBeyondPrefix() : matches(key, size, objectTags);
    if (!enabled || expiration == null || !selected) {
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
