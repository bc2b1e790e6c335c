package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.cors.domain.CorsRule;
import dev.cumulus.storage.lifecycle.application.LifecycleService;
import dev.cumulus.storage.lifecycle.domain.LifecycleConfiguration;
import dev.cumulus.storage.lifecycle.domain.LifecycleRule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * S3's bucket lifecycle ({@code ?lifecycle}) and CORS ({@code ?cors}) sub-resources: XML in and
 * out, the rules themselves in {@link LifecycleService} and {@link CorsService}.
 */
class S3BucketConfigurations {

  /** 1000 lifecycle rules of a few hundred bytes each. */
  private static final int MAX_BODY = 1024 * 1024;

  /** What a Filter holds exactly one of, and what its And holds (two or more, And aside). */
  private static final Set<String> FILTER_ELEMENTS =
      Set.of("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And");

  private static final Set<String> UNSUPPORTED_ACTIONS =
      Set.of("Transition", "NoncurrentVersionTransition", "Transitions");

  private final LifecycleService lifecycle;
  private final CorsService cors;

  S3BucketConfigurations(LifecycleService lifecycle, CorsService cors) {
    this.lifecycle = lifecycle;
    this.cors = cors;
  }

  Mono<ServerResponse> putLifecycle(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .map(S3BucketConfigurations::lifecycleFromXml)
        .flatMap(rules -> lifecycle.put(call.instance(), call.bucket(), rules))
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> getLifecycle(S3Call call) {
    return lifecycle
        .get(call.instance(), call.bucket())
        .flatMap(rules -> S3BucketOperations.xml(lifecycleToXml(rules)));
  }

  Mono<ServerResponse> deleteLifecycle(S3Call call) {
    return lifecycle
        .delete(call.instance(), call.bucket())
        .then(ServerResponse.noContent().build());
  }

  Mono<ServerResponse> putCors(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .map(S3BucketConfigurations::corsFromXml)
        .flatMap(rules -> cors.put(call.instance(), call.bucket(), rules))
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> getCors(S3Call call) {
    return cors.get(call.instance(), call.bucket())
        .flatMap(rules -> S3BucketOperations.xml(corsToXml(rules)));
  }

  Mono<ServerResponse> deleteCors(S3Call call) {
    return cors.delete(call.instance(), call.bucket()).then(ServerResponse.noContent().build());
  }

  // Lifecycle -------------------------------------------------------------------------------

  static LifecycleConfiguration lifecycleFromXml(String body) {
    S3Xml.Node root = root(body, "LifecycleConfiguration");
    List<LifecycleRule> rules = new ArrayList<>();
    for (S3Xml.Node rule : root.all("Rule")) {
      rules.add(rule(rule));
    }
    if (rules.isEmpty()) {
      throw S3Xml.malformed("LifecycleConfiguration needs at least one Rule");
    }
    return new LifecycleConfiguration(rules);
  }

  private static LifecycleRule rule(S3Xml.Node rule) {
    for (S3Xml.Node child : rule.children()) {
      if (UNSUPPORTED_ACTIONS.contains(child.name())) {
        throw notImplemented(
            child.name() + " is not supported: this service has one storage class");
      }
    }
    String status = rule.text("Status");
    if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
      throw S3Xml.malformed("Rule Status must be Enabled or Disabled");
    }
    S3Xml.Node filter = rule.one("Filter");
    String legacyPrefix = rule.text("Prefix");
    if (filter != null && legacyPrefix != null) {
      throw S3Xml.malformed("A Rule has either a Filter or a Prefix, not both");
    }
    String id = rule.text("ID");
    Filter parsed =
        filter != null ? filter(filter) : new Filter(legacyPrefix, List.of(), null, null, false);
    return new LifecycleRule(
        id == null || id.isEmpty() ? UUID.randomUUID().toString() : id,
        parsed.prefix(),
        "Enabled".equals(status),
        expiration(rule.one("Expiration")),
        noncurrent(rule.one("NoncurrentVersionExpiration")),
        days(rule.one("AbortIncompleteMultipartUpload"), "DaysAfterInitiation"),
        parsed.tags(),
        parsed.above(),
        parsed.below(),
        parsed.and());
  }

  private record Filter(
      String prefix, List<LifecycleRule.Tag> tags, Long above, Long below, boolean and) {}

  /**
   * Filter: empty, or exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan and
   * And; And holds at least two of Prefix, Tags and the size bounds (S3 answers MalformedXML
   * otherwise).
   */
  private static Filter filter(S3Xml.Node filter) {
    List<S3Xml.Node> given =
        filter.children().stream().filter(c -> FILTER_ELEMENTS.contains(c.name())).toList();
    if (given.size() > 1) {
      throw S3Xml.malformed(
          "Filter has exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or"
              + " And");
    }
    S3Xml.Node and = filter.one("And");
    if (and == null) {
      return conditions(filter, false);
    }
    int conditions =
        (int)
            and.children().stream()
                .filter(c -> FILTER_ELEMENTS.contains(c.name()) && !c.name().equals("And"))
                .count();
    if (conditions < 2) {
      throw S3Xml.malformed("And needs at least two of Prefix, Tag and the object size bounds");
    }
    for (String single : List.of("Prefix", "ObjectSizeGreaterThan", "ObjectSizeLessThan")) {
      if (and.all(single).size() > 1) {
        throw S3Xml.malformed("And has at most one " + single);
      }
    }
    return conditions(and, true);
  }

  private static Filter conditions(S3Xml.Node node, boolean and) {
    List<LifecycleRule.Tag> tags = new ArrayList<>();
    for (S3Xml.Node tag : node.all("Tag")) {
      String key = tag.text("Key");
      if (key == null) {
        throw S3Xml.malformed("A Tag needs a Key");
      }
      tags.add(new LifecycleRule.Tag(key, tag.text("Value")));
    }
    return new Filter(
        node.text("Prefix"),
        tags,
        size(node, "ObjectSizeGreaterThan"),
        size(node, "ObjectSizeLessThan"),
        and);
  }

  private static Long size(S3Xml.Node node, String element) {
    String text = node.text(element);
    if (text == null) {
      return null;
    }
    try {
      return Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      throw S3Xml.malformed(element + " must be an integer");
    }
  }

  private static LifecycleRule.Expiration expiration(S3Xml.Node expiration) {
    if (expiration == null) {
      return null;
    }
    String date = expiration.text("Date");
    return new LifecycleRule.Expiration(
        integer(expiration, "Days"),
        date == null ? null : date(date),
        bool(expiration.text("ExpiredObjectDeleteMarker")));
  }

  private static LifecycleRule.NoncurrentExpiration noncurrent(S3Xml.Node node) {
    if (node == null) {
      return null;
    }
    Integer days = integer(node, "NoncurrentDays");
    if (days == null) {
      throw S3Xml.malformed("NoncurrentVersionExpiration requires NoncurrentDays");
    }
    return new LifecycleRule.NoncurrentExpiration(days, integer(node, "NewerNoncurrentVersions"));
  }

  private static Integer days(S3Xml.Node node, String element) {
    if (node == null) {
      return null;
    }
    Integer days = integer(node, element);
    if (days == null) {
      throw S3Xml.malformed(node.name() + " requires " + element);
    }
    return days;
  }

  private static Integer integer(S3Xml.Node node, String element) {
    String text = node.text(element);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw S3Xml.malformed(element + " must be an integer");
    }
  }

  private static boolean bool(String text) {
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw S3Xml.malformed("ExpiredObjectDeleteMarker must be true or false");
  }

  /** ISO 8601: a timestamp, or a day (taken as its midnight UTC). */
  private static Instant date(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADay) {
        throw S3ErrorCode.INVALID_ARGUMENT.error(
            "Invalid date", "'" + text + "' is not an ISO 8601 date");
      }
    }
  }

  static String lifecycleToXml(LifecycleConfiguration configuration) {
    S3Xml xml = S3Xml.document("LifecycleConfiguration");
    for (LifecycleRule rule : configuration.rules()) {
      xml.open("Rule").element("ID", rule.id());
      filterToXml(xml, rule);
      xml.element("Status", rule.enabled() ? "Enabled" : "Disabled");
      LifecycleRule.Expiration expiration = rule.expiration();
      if (expiration != null) {
        xml.open("Expiration")
            .element("Days", expiration.days())
            .element("Date", expiration.date() == null ? null : S3Xml.timestamp(expiration.date()))
            .element(
                "ExpiredObjectDeleteMarker", expiration.expiredObjectDeleteMarker() ? true : null)
            .close("Expiration");
      }
      if (rule.noncurrentExpiration() != null) {
        xml.open("NoncurrentVersionExpiration")
            .element("NoncurrentDays", rule.noncurrentExpiration().days())
            .element("NewerNoncurrentVersions", rule.noncurrentExpiration().newerVersionsToKeep())
            .close("NoncurrentVersionExpiration");
      }
      if (rule.abortIncompleteUploadDays() != null) {
        xml.open("AbortIncompleteMultipartUpload")
            .element("DaysAfterInitiation", rule.abortIncompleteUploadDays())
            .close("AbortIncompleteMultipartUpload");
      }
      xml.close("Rule");
    }
    return xml.end("LifecycleConfiguration");
  }

  /** The filter as it was put: And when it was given so, else its one condition (or Prefix). */
  private static void filterToXml(S3Xml xml, LifecycleRule rule) {
    xml.open("Filter");
    if (rule.andOperator()) {
      xml.open("And");
    }
    boolean prefix = rule.andOperator() ? !rule.prefix().isEmpty() : !rule.filtersBeyondPrefix();
    if (prefix) {
      xml.element("Prefix", rule.prefix());
    }
    for (LifecycleRule.Tag tag : rule.tags()) {
      xml.open("Tag").element("Key", tag.key()).element("Value", tag.value()).close("Tag");
    }
    xml.element("ObjectSizeGreaterThan", rule.objectSizeGreaterThan())
        .element("ObjectSizeLessThan", rule.objectSizeLessThan());
    if (rule.andOperator()) {
      xml.close("And");
    }
    xml.close("Filter");
  }

  // CORS ------------------------------------------------------------------------------------

  static CorsConfiguration corsFromXml(String body) {
    S3Xml.Node root = root(body, "CORSConfiguration");
    List<CorsRule> rules = new ArrayList<>();
    for (S3Xml.Node rule : root.all("CORSRule")) {
      List<String> origins = rule.texts("AllowedOrigin");
      List<String> methods = rule.texts("AllowedMethod");
      if (origins.isEmpty() || methods.isEmpty()) {
        throw S3Xml.malformed("A CORSRule needs at least one AllowedOrigin and AllowedMethod");
      }
      rules.add(
          new CorsRule(
              rule.text("ID"),
              origins,
              methods,
              rule.texts("AllowedHeader"),
              rule.texts("ExposeHeader"),
              integer(rule, "MaxAgeSeconds")));
    }
    if (rules.isEmpty()) {
      throw S3Xml.malformed("CORSConfiguration needs at least one CORSRule");
    }
    return new CorsConfiguration(rules);
  }

  static String corsToXml(CorsConfiguration configuration) {
    S3Xml xml = S3Xml.document("CORSConfiguration");
    for (CorsRule rule : configuration.rules()) {
      xml.open("CORSRule").element("ID", rule.id());
      rule.allowedHeaders().forEach(h -> xml.element("AllowedHeader", h));
      rule.allowedMethods().forEach(m -> xml.element("AllowedMethod", m));
      rule.allowedOrigins().forEach(o -> xml.element("AllowedOrigin", o));
      rule.exposeHeaders().forEach(h -> xml.element("ExposeHeader", h));
      xml.element("MaxAgeSeconds", rule.maxAgeSeconds()).close("CORSRule");
    }
    return xml.end("CORSConfiguration");
  }

  // -----------------------------------------------------------------------------------------

  private static S3Xml.Node root(String body, String expected) {
    if (body.isBlank()) {
      throw S3Xml.malformed("A " + expected + " body is required");
    }
    S3Xml.Node root = S3Xml.tree(body);
    if (!root.name().equals(expected)) {
      throw S3Xml.malformed("The root element must be " + expected);
    }
    return root;
  }

  private static RuntimeException notImplemented(String details) {
    return S3ErrorCode.NOT_IMPLEMENTED.error(details);
  }
}
