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

  /** An opaque token standing for "after this key". */
  public static String token(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key a token stands for; empty when the token is malformed. */
  public static Optional<String> afterKey(String token) {
    try {
      return Optional.of(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
