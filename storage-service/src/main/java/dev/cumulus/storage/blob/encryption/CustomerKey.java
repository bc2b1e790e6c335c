package dev.cumulus.storage.blob.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key the client holds and sends with each request (S3's SSE-C): it seals the object's bytes and
 * is never stored. What is stored is its {@link #fingerprint}, a random salt and an HMAC of the
 * salt under the key, enough to tell the next request's key right from wrong without keeping
 * anything that opens the bytes.
 */
public final class CustomerKey {

  public static final int KEY_SIZE = 32;
  private static final int SALT_SIZE = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] DATA_KEY_LABEL =
      "cumulus-storage-sse-c-data-key".getBytes(StandardCharsets.UTF_8);

  private final byte[] key;

  /**
   * @param key the client's 256-bit AES key
   */
  public CustomerKey(byte[] key) {
    if (key == null || key.length != KEY_SIZE) {
      throw new IllegalArgumentException("An SSE-C key has 32 bytes");
    }
    this.key = key.clone();
  }

  /**
   * The key {@link BlobCipher} derives each blob's key from: derived from, never equal to, the
   * client's, so the two uses of one secret stay apart.
   */
  byte[] dataKey() {
    return hmac(key, DATA_KEY_LABEL);
  }

  /** A fresh salted fingerprint of the key, to store with the object. */
  public byte[] fingerprint() {
    byte[] salt = new byte[SALT_SIZE];
    RANDOM.nextBytes(salt);
    return fingerprint(salt);
  }

  /** Whether this is the key a stored {@link #fingerprint} was made from (constant time). */
  public boolean matches(byte[] fingerprint) {
    if (fingerprint == null || fingerprint.length != SALT_SIZE + 32) {
      return false;
    }
    return MessageDigest.isEqual(fingerprint, fingerprint(Arrays.copyOf(fingerprint, SALT_SIZE)));
  }

  private byte[] fingerprint(byte[] salt) {
    byte[] mac = hmac(key, salt);
    byte[] out = Arrays.copyOf(salt, SALT_SIZE + mac.length);
    System.arraycopy(mac, 0, out, SALT_SIZE, mac.length);
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "CustomerKey[redacted]";
  }
}
