package dev.cumulus.storage.object.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Object key rules (S3: 1 to 1,024 bytes of UTF-8) and continuation tokens. */
public final class ObjectKeys {

  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /** Why the key is not acceptable, or empty when it is. */
  public static Optional<String> violation(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("Object key is required");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      return Optional.of(
          "Object key is " + bytes + " bytes long; at most " + MAX_KEY_BYTES + " are allowed");
    }
    if (key.indexOf('\0') >= 0) {
      return Optional.of("Object key must not contain NUL characters");
    }
    return Optional.empty();
  }

  /**
   * Validates a key before any byte is read, so bad input never reaches the disk.
   *
   * @throws InvalidKeyException when the key is not acceptable
   */
  public static void check(String key) {
    violation(key)
        .ifPresent(
            reason -> {
              boolean tooLong = key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES;
              throw new InvalidKeyException(reason, tooLong);
            });
  }

  /**
   * Sorts after every key that starts with a given prefix ({@code prefix + PAST}): keys are
   * compared as UTF-8 bytes (C collation), and U+10FFFF is the highest code point.
   */
  public static final String PAST = "\uDBFF\uDFFF";

  /**
   * The common prefix a key rolls up into in a listing with a delimiter: the key up to and
   * including the first delimiter after {@code prefix}; null when the key has none (or no delimiter
   * is asked for).
   */
  public static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter == null || delimiter.isEmpty()) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  /** An opaque token standing for "after this key". */
  public static String token(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where a listing continues: after the key a continuation token stands for, "" without a token;
   * empty when the token is malformed.
   */
  public static Optional<String> after(String continuationToken) {
    return continuationToken == null || continuationToken.isEmpty()
        ? Optional.of("")
        : afterKey(continuationToken);
  }

  /**
   * The key a token stands for; empty when the token is malformed, or stands for what no key can be
   * (one with a NUL character: PostgreSQL's text could not even compare it).
   */
  public static Optional<String> afterKey(String token) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return key.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
