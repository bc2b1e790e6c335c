package dev.cumulus.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key from configuration that encrypts other keys and secrets at rest (AES-GCM, 96-bit
 * random nonce). The caller's associated data (a row's key id, a tenant id) binds each ciphertext
 * to its owner, so it cannot be swapped onto another row.
 */
public final class MasterKey {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final String source;

  private MasterKey(byte[] raw, String source) {
    this.key = new SecretKeySpec(raw, "AES");
    this.source = source;
  }

  /** Parses base64 of exactly 32 bytes. */
  public static MasterKey fromBase64(String base64) {
    return fromBase64(base64, "the master key");
  }

  /**
   * Parses base64 of exactly 32 bytes.
   *
   * @param source where the key came from (an environment variable's name), named when a decryption
   *     fails because data was encrypted under another key
   */
  public static MasterKey fromBase64(String base64, String source) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the master key is not valid base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "the master key must be 32 bytes (base64 of 32 random bytes), not " + raw.length);
    }
    return new MasterKey(raw, source);
  }

  /** 32 fresh random bytes, base64-encoded. */
  public static String generateBase64() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** nonce || ciphertext+tag */
  public byte[] encrypt(byte[] plaintext, String associatedData) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  public byte[] decrypt(byte[] nonceAndCiphertext, String associatedData) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(
          nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot decrypt " + associatedData + ": was it encrypted under another " + source + "?",
          e);
    }
  }
}
