package dev.cumulus.integration.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seeds' {@code X-Signature}: {@code sha256=<hex HMAC-SHA256(secret, body)>}, the secret's
 * UTF-8 bytes as the key (seed 000's and 002's verification snippets). Outbound webhooks carry it,
 * inbound webhooks (seed 003) are checked against it.
 */
public final class SeedSignature {

  private SeedSignature() {}

  public static String sign(String secret, byte[] body) {
    return "sha256="
        + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
  }

  /** Whether the header matches; {@code sha256=} may be left out. Constant-time comparison. */
  public static boolean verify(String secret, byte[] body, String header) {
    if (header == null || header.isBlank()) {
      return false;
    }
    String given = header.trim().toLowerCase(Locale.ROOT);
    if (!given.startsWith("sha256=")) {
      given = "sha256=" + given;
    }
    return MessageDigest.isEqual(
        sign(secret, body).getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
