package dev.cumulus.storage.lifecycle.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.lifecycle.domain.LifecycleConfiguration;
import dev.cumulus.storage.lifecycle.domain.LifecycleRule;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * S3's LifecycleConfiguration as JSON: the XML's element names in camelCase, a rule's filter one
 * object whose conditions all apply (S3's {@code And} when it has more than one). What the rules
 * may say is {@link LifecycleConfiguration#violation()}'s, as for the XML.
 */
public final class LifecycleJson {

  private LifecycleJson() {}

  public record Configuration(List<Rule> rules) {}

  /**
   * @param id absent: one is generated, as S3 does
   * @param status {@code Enabled} or {@code Disabled}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(
      String id,
      String status,
      Filter filter,
      Expiration expiration,
      NoncurrentVersionExpiration noncurrentVersionExpiration,
      AbortIncompleteMultipartUpload abortIncompleteMultipartUpload) {}

  /** Absent or empty: the whole bucket. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Filter(
      String prefix, List<Tag> tags, Long objectSizeGreaterThan, Long objectSizeLessThan) {}

  public record Tag(String key, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Expiration(Integer days, Instant date, Boolean expiredObjectDeleteMarker) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NoncurrentVersionExpiration(
      Integer noncurrentDays, Integer newerNoncurrentVersions) {}

  public record AbortIncompleteMultipartUpload(Integer daysAfterInitiation) {}

  static LifecycleConfiguration toDomain(Configuration json) {
    if (json == null || json.rules() == null) {
      throw invalid("rules is required");
    }
    return new LifecycleConfiguration(json.rules().stream().map(LifecycleJson::rule).toList());
  }

  private static LifecycleRule rule(Rule rule) {
    if (rule == null) {
      throw invalid("A rule must be an object");
    }
    if (!"Enabled".equals(rule.status()) && !"Disabled".equals(rule.status())) {
      throw invalid("A rule's status must be Enabled or Disabled");
    }
    Filter filter = rule.filter() == null ? new Filter(null, List.of(), null, null) : rule.filter();
    List<Tag> tags = filter.tags() == null ? List.of() : filter.tags();
    for (Tag tag : tags) {
      if (tag == null || tag.key() == null) {
        throw invalid("A filter tag needs a key");
      }
    }
    int conditions =
        (filter.prefix() == null ? 0 : 1)
            + tags.size()
            + (filter.objectSizeGreaterThan() == null ? 0 : 1)
            + (filter.objectSizeLessThan() == null ? 0 : 1);
    return new LifecycleRule(
        rule.id() == null || rule.id().isEmpty() ? UUID.randomUUID().toString() : rule.id(),
        filter.prefix(),
        "Enabled".equals(rule.status()),
        expiration(rule.expiration()),
        noncurrent(rule.noncurrentVersionExpiration()),
        abort(rule.abortIncompleteMultipartUpload()),
        tags.stream().map(t -> new LifecycleRule.Tag(t.key(), t.value())).toList(),
        filter.objectSizeGreaterThan(),
        filter.objectSizeLessThan(),
        conditions > 1);
  }

  private static LifecycleRule.Expiration expiration(Expiration json) {
    return json == null
        ? null
        : new LifecycleRule.Expiration(
            json.days(), json.date(), Boolean.TRUE.equals(json.expiredObjectDeleteMarker()));
  }

  private static LifecycleRule.NoncurrentExpiration noncurrent(NoncurrentVersionExpiration json) {
    if (json == null) {
      return null;
    }
    if (json.noncurrentDays() == null) {
      throw invalid("noncurrentVersionExpiration requires noncurrentDays");
    }
    return new LifecycleRule.NoncurrentExpiration(
        json.noncurrentDays(), json.newerNoncurrentVersions());
  }

  private static Integer abort(AbortIncompleteMultipartUpload json) {
    if (json == null) {
      return null;
    }
    if (json.daysAfterInitiation() == null) {
      throw invalid("abortIncompleteMultipartUpload requires daysAfterInitiation");
    }
    return json.daysAfterInitiation();
  }

  static Configuration fromDomain(LifecycleConfiguration configuration) {
    return new Configuration(configuration.rules().stream().map(LifecycleJson::rule).toList());
  }

  private static Rule rule(LifecycleRule rule) {
    LifecycleRule.Expiration e = rule.expiration();
    LifecycleRule.NoncurrentExpiration n = rule.noncurrentExpiration();
    return new Rule(
        rule.id(),
        rule.enabled() ? "Enabled" : "Disabled",
        new Filter(
            rule.prefix(),
            rule.tags().stream().map(t -> new Tag(t.key(), t.value())).toList(),
            rule.objectSizeGreaterThan(),
            rule.objectSizeLessThan()),
        e == null
            ? null
            : new Expiration(e.days(), e.date(), e.expiredObjectDeleteMarker() ? true : null),
        n == null ? null : new NoncurrentVersionExpiration(n.days(), n.newerVersionsToKeep()),
        rule.abortIncompleteUploadDays() == null
            ? null
            : new AbortIncompleteMultipartUpload(rule.abortIncompleteUploadDays()));
  }

  private static RuntimeException invalid(String details) {
    return StorageErrors.invalidRequest(details);
  }
}
