package dev.cumulus.integration.webhook.domain;

import dev.cumulus.integration.common.SeedSignature;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signing as the Standard Webhooks specification has it: secrets are {@code whsec_<base64 key>};
 * {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}, one per
 * valid secret separated by spaces (two during a rotation). Seed 000's {@code X-Signature:
 * sha256=<hex HMAC-SHA256(secret, body)>} keys the HMAC with the whole secret string, as its
 * verification snippet does.
 */
public final class WebhookSignature {

  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A fresh secret: 24 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header value for every secret, in order. */
  public static String standard(List<String> secrets, String id, long timestamp, String body) {
    byte[] signed = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
    return secrets.stream()
        .map(
            secret ->
                "v1," + Base64.getEncoder().encodeToString(SeedSignature.hmac(key(secret), signed)))
        .collect(Collectors.joining(" "));
  }

  /** Seed 000's {@code X-Signature} value. */
  public static String seed(String secret, String body) {
    return SeedSignature.sign(secret, body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
