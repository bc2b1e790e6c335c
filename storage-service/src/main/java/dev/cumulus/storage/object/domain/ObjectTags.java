package dev.cumulus.storage.object.domain;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * S3 tags and AWS's rules for them: at most 10 per object (50 per bucket), keys of 1 to 128 and
 * values of at most 256 Unicode characters (letters, digits, spaces and {@code + - = . _ : / @}),
 * keys unique and not starting with the reserved {@code aws:}. Object and bucket tags follow the
 * same character and length rules; only their number differs.
 */
public final class ObjectTags {

  public static final int MAX_TAGS = 10;
  public static final int MAX_BUCKET_TAGS = 50;
  public static final int MAX_KEY_LENGTH = 128;
  public static final int MAX_VALUE_LENGTH = 256;
  private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  /** Why tags are refused: S3's error code and message. */
  public record Violation(String code, String message) {}

  private ObjectTags() {}

  /** What is wrong with these object tags, or empty when S3 would take them. */
  public static Optional<Violation> violation(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      return Optional.of(
          new Violation("BadRequest", "Object tags cannot be greater than " + MAX_TAGS));
    }
    return tagViolation(tags);
  }

  /** What is wrong with these bucket tags (PutBucketTagging), or empty when S3 would take them. */
  public static Optional<Violation> bucketViolation(Map<String, String> tags) {
    if (tags.size() > MAX_BUCKET_TAGS) {
      return Optional.of(
          new Violation(
              "BadRequest", "Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS));
    }
    return tagViolation(tags);
  }

  /** The rules of each tag, whatever it tags. */
  private static Optional<Violation> tagViolation(Map<String, String> tags) {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue() == null ? "" : tag.getValue();
      if (key.isEmpty()
          || key.codePointCount(0, key.length()) > MAX_KEY_LENGTH
          || !ALLOWED.matcher(key).matches()) {
        return Optional.of(new Violation("InvalidTag", "The TagKey you have provided is invalid"));
      }
      if (key.startsWith("aws:")) {
        return Optional.of(new Violation("InvalidTag", "Your TagKey cannot be prefixed with aws:"));
      }
      if (value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH
          || !ALLOWED.matcher(value).matches()) {
        return Optional.of(
            new Violation("InvalidTag", "The TagValue you have provided is invalid"));
      }
    }
    return Optional.empty();
  }

  /** A key given twice is refused as S3 refuses it. */
  public static Violation duplicateKey() {
    return new Violation("InvalidTag", "Cannot provide multiple Tags with the same key");
  }

  /**
   * The tags of an {@code x-amz-tagging} header: a URL-encoded query string ({@code a=1&b=2}, a key
   * without {@code =} has the empty value); null or blank for none.
   *
   * @return the tags in the header's order, or a violation (a key given twice)
   */
  public static Parsed parseHeader(String header) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return new Parsed(tags, null);
    }
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key;
      String value;
      try {
        key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return new Parsed(
            tags, new Violation("InvalidArgument", "The header 'x-amz-tagging' is not valid"));
      }
      if (tags.put(key, value) != null) {
        return new Parsed(tags, duplicateKey());
      }
    }
    return new Parsed(Collections.unmodifiableMap(tags), violation(tags).orElse(null));
  }

  /** Parsed tags, and what is wrong with them (null when nothing). */
  public record Parsed(Map<String, String> tags, Violation violation) {}
}
