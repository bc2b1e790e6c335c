package dev.cumulus.storage.lifecycle.domain;

import dev.cumulus.storage.object.domain.ObjectTags;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A bucket's lifecycle rules (S3's LifecycleConfiguration), in the order they were given. */
public record LifecycleConfiguration(List<LifecycleRule> rules) {

  public static final int MAX_RULES = 1000;
  public static final int MAX_ID_LENGTH = 255;

  public LifecycleConfiguration {
    rules = List.copyOf(rules);
  }

  /** Why S3 refuses a configuration: its error code and message. */
  public record Violation(String code, String message) {
    static Optional<Violation> invalidArgument(String message) {
      return Optional.of(new Violation("InvalidArgument", message));
    }

    static Optional<Violation> invalidRequest(String message) {
      return Optional.of(new Violation("InvalidRequest", message));
    }
  }

  /** What S3 refuses in a configuration that is well-formed XML; empty when it is acceptable. */
  public Optional<Violation> violation() {
    if (rules.isEmpty()) {
      return Violation.invalidArgument("At least one rule is required");
    }
    if (rules.size() > MAX_RULES) {
      return Violation.invalidArgument(
          "A lifecycle configuration can have at most " + MAX_RULES + " rules");
    }
    Set<String> ids = new HashSet<>();
    for (LifecycleRule rule : rules) {
      if (!ids.add(rule.id())) {
        return Violation.invalidArgument(
            "Rule ID must be unique. Found same ID for more than one rule");
      }
      Optional<String> problem = violation(rule);
      if (problem.isPresent()) {
        return problem.map(m -> new Violation("InvalidArgument", m));
      }
      Optional<Violation> filter = filterViolation(rule);
      if (filter.isPresent()) {
        return filter;
      }
    }
    return Optional.empty();
  }

  /** S3 stores sizes up to 50 TB; a filter bound beyond that can never matter. */
  public static final long MAX_FILTER_SIZE = 50L * 1024 * 1024 * 1024 * 1024;

  private static Optional<Violation> filterViolation(LifecycleRule rule) {
    Long above = rule.objectSizeGreaterThan();
    Long below = rule.objectSizeLessThan();
    if ((above != null && (above < 0 || above > MAX_FILTER_SIZE))
        || (below != null && (below <= 0 || below > MAX_FILTER_SIZE))) {
      return Violation.invalidArgument(
          "Object size filters must be between 0 and "
              + MAX_FILTER_SIZE
              + " bytes (rule "
              + rule.id()
              + ")");
    }
    if (above != null && below != null && above >= below) {
      return Violation.invalidArgument(
          "ObjectSizeGreaterThan must be less than ObjectSizeLessThan (rule " + rule.id() + ")");
    }
    Set<String> keys = new HashSet<>();
    for (LifecycleRule.Tag tag : rule.tags()) {
      if (!keys.add(tag.key())) {
        return Violation.invalidRequest("Duplicate Tag Keys are not allowed.");
      }
      if (tag.key().isEmpty()
          || tag.key().length() > ObjectTags.MAX_KEY_LENGTH
          || tag.value().length() > ObjectTags.MAX_VALUE_LENGTH) {
        return Violation.invalidArgument("The TagKey or TagValue you have provided is invalid");
      }
    }
    if (!rule.tags().isEmpty() && rule.abortIncompleteUploadDays() != null) {
      return Violation.invalidRequest(
          "AbortIncompleteMultipartUpload cannot be specified with Tags.");
    }
    if ((above != null || below != null) && rule.abortIncompleteUploadDays() != null) {
      return Violation.invalidRequest(
          "AbortIncompleteMultipartUpload cannot be specified with an object size filter.");
    }
    if (!rule.tags().isEmpty()
        && rule.expiration() != null
        && rule.expiration().expiredObjectDeleteMarker()) {
      return Violation.invalidRequest(
          "ExpiredObjectDeleteMarker cannot be specified with a tag-based filter.");
    }
    return Optional.empty();
  }

  private static Optional<String> violation(LifecycleRule rule) {
    if (rule.id().length() > MAX_ID_LENGTH) {
      return Optional.of("ID length should not exceed allowed limit of " + MAX_ID_LENGTH);
    }
    if (rule.expiration() == null
        && rule.noncurrentExpiration() == null
        && rule.abortIncompleteUploadDays() == null) {
      return Optional.of("At least one action needs to be specified in a rule");
    }
    LifecycleRule.Expiration expiration = rule.expiration();
    if (expiration != null) {
      int given =
          (expiration.days() != null ? 1 : 0)
              + (expiration.date() != null ? 1 : 0)
              + (expiration.expiredObjectDeleteMarker() ? 1 : 0);
      if (given == 0) {
        return Optional.of(
            "Expiration requires one of Days, Date or ExpiredObjectDeleteMarker (rule "
                + rule.id()
                + ")");
      }
      if (given > 1) {
        return Optional.of(
            "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle"
                + " Expiration Policy, nor Days with Date");
      }
      if (expiration.days() != null && expiration.days() <= 0) {
        return Optional.of("'Days' for Expiration action must be a positive integer");
      }
      Instant date = expiration.date();
      if (date != null && !date.equals(date.truncatedTo(ChronoUnit.DAYS))) {
        return Optional.of("'Date' must be at midnight GMT");
      }
    }
    if (rule.noncurrentExpiration() != null) {
      if (rule.noncurrentExpiration().days() <= 0) {
        return Optional.of(
            "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
      }
      Integer keep = rule.noncurrentExpiration().newerVersionsToKeep();
      if (keep != null && (keep < 1 || keep > 100)) {
        return Optional.of("'NewerNoncurrentVersions' must be between 1 and 100");
      }
    }
    if (rule.abortIncompleteUploadDays() != null && rule.abortIncompleteUploadDays() <= 0) {
      return Optional.of(
          "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive"
              + " integer");
    }
    return Optional.empty();
  }

  /** The first enabled rule that expires this current version, with when (x-amz-expiration). */
  public Optional<Expiry> expiryOf(String key, Instant lastModified) {
    return expiryOf(key, lastModified, null, java.util.Map.of());
  }

  /**
   * The first enabled rule that expires this current version of this size and tags ({@code size}
   * null: not known, rules filtering by tags or size left out).
   */
  public Optional<Expiry> expiryOf(
      String key, Instant lastModified, Long size, java.util.Map<String, String> tags) {
    return rules.stream()
        .flatMap(
            r ->
                r
                    .expiryOf(key, lastModified, size, tags)
                    .map(at -> new Expiry(at, r.id()))
                    .stream())
        .min(java.util.Comparator.comparing(Expiry::at));
  }

  /** Whether a rule needs the object's tags or size to tell whether it applies. */
  public boolean needsObjectFacts() {
    return rules.stream().anyMatch(r -> r.enabled() && r.filtersBeyondPrefix());
  }

  /** When an object expires and by which rule. */
  public record Expiry(Instant at, String ruleId) {}
}
