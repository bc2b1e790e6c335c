package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser upload's POST policy (AWS's "Creating a POST policy"): the base64 JSON document with
 * its {@code expiration} and {@code conditions} ({@code {"field": "value"}}, {@code ["eq",
 * "$field", "value"]}, {@code ["starts-with", "$field", "prefix"]}, {@code ["content-length-range",
 * min, max]}), checked against a form as S3 checks it: the expiration, then each condition in
 * order, then that every field of the form is named by a condition (but {@code policy}, {@code
 * x-amz-signature}, {@code file} and {@code x-ignore-*}). The file's size is checked as it streams
 * ({@link LengthRange}).
 */
final class S3PostPolicy {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The fields no condition has to name. */
  private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "file");

  /** The fields {@code starts-with} may test, with {@code x-amz-meta-*}; others only {@code eq}. */
  private static final Set<String> STARTS_WITH =
      Set.of(
          "key",
          "acl",
          "content-type",
          "cache-control",
          "content-disposition",
          "content-encoding",
          "expires",
          "success_action_redirect",
          "redirect");

  /** The sizes {@code content-length-range} allows, both ends included. */
  record LengthRange(long min, long max) {

    static final LengthRange ANY = new LengthRange(0, Long.MAX_VALUE);

    LengthRange and(LengthRange other) {
      return new LengthRange(Math.max(min, other.min), Math.min(max, other.max));
    }
  }

  /** One condition: {@code op} null when S3 could not take it (it then fails as written). */
  private record Condition(String op, String field, String value, LengthRange range, String text) {}

  private final Instant expiration;
  private final List<Condition> conditions;

  private S3PostPolicy(Instant expiration, List<Condition> conditions) {
    this.expiration = expiration;
    this.conditions = conditions;
  }

  /**
   * @throws dev.cumulus.platform.error.ApiException 400 {@code InvalidPolicyDocument} when it is
   *     not base64 JSON with an expiration and conditions
   */
  static S3PostPolicy parse(String base64) {
    JsonNode root;
    try {
      String json = new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
      root = JSON.readTree(json);
    } catch (IllegalArgumentException | JacksonException e) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    JsonNode expiration = root.get("expiration");
    if (expiration == null) {
      throw invalid("Invalid Policy: Missing expiration.");
    }
    Instant expires;
    try {
      expires = Instant.parse(expiration.asString());
    } catch (DateTimeParseException | JacksonException e) {
      throw invalid("Invalid Policy: Invalid expiration.");
    }
    JsonNode conditions = root.get("conditions");
    if (conditions == null || !conditions.isArray()) {
      throw invalid("Invalid Policy: Missing conditions.");
    }
    List<Condition> parsed = new ArrayList<>();
    for (JsonNode condition : conditions) {
      parsed.add(condition(condition));
    }
    return new S3PostPolicy(expires, List.copyOf(parsed));
  }

  private static Condition condition(JsonNode node) {
    if (node.isObject()) {
      if (node.size() != 1) {
        throw invalid(
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one"
                + " property specified.");
      }
      var entry = node.properties().iterator().next();
      JsonNode value = entry.getValue();
      String text = "[\"eq\", \"$" + entry.getKey() + "\", " + value + "]";
      return value.isString()
          ? new Condition(
              "eq", entry.getKey().toLowerCase(Locale.ROOT), value.asString(), null, text)
          : new Condition(null, null, null, null, text);
    }
    String text = render(node);
    if (!node.isArray() || node.size() != 3 || !node.get(0).isString()) {
      return new Condition(null, null, null, null, text);
    }
    String op = node.get(0).asString().toLowerCase(Locale.ROOT);
    JsonNode first = node.get(1);
    JsonNode second = node.get(2);
    if (op.equals("content-length-range")) {
      return first.isIntegralNumber() && second.isIntegralNumber()
          ? new Condition(op, null, null, new LengthRange(first.asLong(), second.asLong()), text)
          : new Condition(null, null, null, null, text);
    }
    boolean match = op.equals("eq") || op.equals("starts-with");
    if (!match || !first.isString() || !second.isString() || !first.asString().startsWith("$")) {
      return new Condition(null, null, null, null, text);
    }
    String field = first.asString().substring(1).toLowerCase(Locale.ROOT);
    return new Condition(op, field, second.asString(), null, text);
  }

  /** A condition as S3 quotes it in its errors: {@code ["eq", "$key", "a"]}. */
  private static String render(JsonNode node) {
    if (!node.isArray()) {
      return node.toString();
    }
    List<String> parts = new ArrayList<>();
    node.forEach(element -> parts.add(element.toString()));
    return "[" + String.join(", ", parts) + "]";
  }

  /**
   * Checks the form against the policy.
   *
   * @param fields the form's fields by lower-cased name, with {@code bucket} (the request's) and
   *     {@code key} (with {@code ${filename}} replaced)
   * @param names the form's field names as sent
   * @return the sizes the file may have
   * @throws dev.cumulus.platform.error.ApiException 403 {@code AccessDenied} "Invalid according to
   *     Policy: ..." for an expired policy, a failed condition or a field no condition names
   */
  LengthRange check(Map<String, String> fields, List<String> names, Instant now) {
    if (now.isAfter(expiration)) {
      throw denied("Invalid according to Policy: Policy expired.");
    }
    Set<String> named = new java.util.HashSet<>();
    LengthRange range = LengthRange.ANY;
    for (Condition condition : conditions) {
      if (condition.op() == null) {
        throw failed(condition);
      }
      if (condition.range() != null) {
        range = range.and(condition.range());
        continue;
      }
      named.add(condition.field());
      String value = fields.get(condition.field());
      if (!holds(condition, value)) {
        throw failed(condition);
      }
    }
    Set<String> extra = new TreeSet<>();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!EXEMPT.contains(lower) && !lower.startsWith("x-ignore-") && !named.contains(lower)) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw denied(
          "Invalid according to Policy: Extra input fields: "
              + extra.stream().collect(Collectors.joining(", ")));
    }
    return range;
  }

  private static boolean holds(Condition condition, String value) {
    if (condition.op().equals("eq")) {
      return condition.value().equals(value == null ? "" : value);
    }
    String field = condition.field();
    if (!STARTS_WITH.contains(field) && !field.startsWith("x-amz-meta-")) {
      return false;
    }
    String actual = value == null ? "" : value;
    if (field.equals("content-type")) {
      // A Content-Type may list several types: each must start with the prefix.
      for (String type : actual.split(",")) {
        if (!type.strip().startsWith(condition.value())) {
          return false;
        }
      }
      return true;
    }
    return actual.startsWith(condition.value());
  }

  private static RuntimeException failed(Condition condition) {
    return denied("Invalid according to Policy: Policy Condition failed: " + condition.text());
  }

  private static RuntimeException denied(String message) {
    return StorageErrors.of(ErrorKind.FORBIDDEN, "AccessDenied", message, null);
  }

  private static RuntimeException invalid(String message) {
    return StorageErrors.of(ErrorKind.BAD_REQUEST, "InvalidPolicyDocument", message, null);
  }
}
