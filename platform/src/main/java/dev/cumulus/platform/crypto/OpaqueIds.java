package dev.cumulus.platform.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random, unguessable ids handed to clients (upload ids, version ids, transaction ids) that the
 * server only stores and compares, never decodes.
 *
 * <p>They are base64url, which may start with {@code -}: the awscli's argument parser then takes
 * the id for an option ({@code --upload-id -x3...} fails), so a leading dash becomes a letter.
 */
public final class OpaqueIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private OpaqueIds() {}

  /** A fresh id of {@code randomBytes} random bytes. */
  public static String random(int randomBytes) {
    byte[] bytes = new byte[randomBytes];
    RANDOM.nextBytes(bytes);
    return of(bytes);
  }

  static String of(byte[] bytes) {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return encoded.startsWith("-") ? "A" + encoded.substring(1) : encoded;
  }
}
