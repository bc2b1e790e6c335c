package dev.cumulus.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 key derivation, shared by auth-service (which holds S3 secrets and hands
 * out derived keys) and the services that verify signatures with them. A derived key is scoped to
 * one day, region and service, so the secret itself never leaves auth-service.
 */
public final class SigV4Keys {

  private SigV4Keys() {}

  /**
   * kDate = HMAC("AWS4" + secret, date); kRegion = HMAC(kDate, region); kService = HMAC(kRegion,
   * service); kSigning = HMAC(kService, "aws4_request").
   */
  public static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] key = hmacSha256(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmacSha256(key, region);
    key = hmacSha256(key, service);
    return hmacSha256(key, "aws4_request");
  }

  public static byte[] hmacSha256(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
