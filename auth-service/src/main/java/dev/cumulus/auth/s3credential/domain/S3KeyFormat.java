package dev.cumulus.auth.s3credential.domain;

import dev.cumulus.auth.session.domain.Secrets;
import java.util.regex.Pattern;

/**
 * The shape of S3 access key pairs, as AWS clients expect them: a 20-character access key id
 * ({@code CK} + 18 upper-case letters or digits) and a 40-character secret of the base64 alphabet.
 */
public final class S3KeyFormat {

  private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("CK[A-Z0-9]{18}");

  private S3KeyFormat() {}

  /** A new pair; the secret is shown to its owner once and stored only encrypted. */
  public record NewPair(String accessKeyId, String secretAccessKey) {}

  public static NewPair generate() {
    // 18 of 36 characters (~93 bits) make ids unguessable too; 40 of 64 give the secret 240 bits.
    return new NewPair("CK" + Secrets.random(ID_ALPHABET, 18), Secrets.random(SECRET_ALPHABET, 40));
  }

  public static boolean isAccessKeyId(String value) {
    return value != null && ACCESS_KEY_ID.matcher(value).matches();
  }
}
