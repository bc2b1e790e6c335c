package dev.cumulus.integration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification, written from the Standard Webhooks specification and seed 000's
 * snippet (not from the service's signing code): the signed content is {@code id.timestamp.body},
 * the key is the base64 after {@code whsec_}, any {@code v1,} signature of the space-separated list
 * may match.
 */
final class StandardWebhooks {

  private StandardWebhooks() {}

  static boolean verify(String secret, WebhookReceiver.Received request) {
    String id = request.header("webhook-id");
    String timestamp = request.header("webhook-timestamp");
    String signatures = request.header("webhook-signature");
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
      return false;
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    String expected =
        Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + request.body()));
    for (String signature : signatures.split(" ")) {
      String[] parts = signature.split(",", 2);
      if (parts.length == 2
          && parts[0].equals("v1")
          && MessageDigest.isEqual(
              parts[1].getBytes(StandardCharsets.UTF_8),
              expected.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  /** Seed 000: {@code signature === 'sha256=' + hex(hmac(secret, payload))}. */
  static boolean verifySeed(String secret, WebhookReceiver.Received request) {
    String expected =
        "sha256="
            + HexFormat.of()
                .formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), request.body()));
    return expected.equals(request.header("X-Signature"));
  }

  private static byte[] hmac(byte[] key, String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
