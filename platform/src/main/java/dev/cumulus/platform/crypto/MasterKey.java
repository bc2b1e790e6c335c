package dev.cumulus.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key from configuration that encrypts other keys and secrets at rest (AES-GCM, 96-bit
 * random nonce). The caller's associated data (a row's key id, a tenant id) binds each ciphertext
 * to its owner, so it cannot be swapped onto another row.
 *
 * <p>Rotation: a key may carry previous keys ({@link #withPrevious}). It encrypts under the current
 * key only and decrypts under any of them; {@link #reencrypt} moves a value sealed under a previous
 * key to the current one. Ciphertexts name no key: GCM's tag tells which key sealed a value (a
 * wrong key fails authentication), so values written before rotation existed need no migration.
 */
public final class MasterKey {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final List<SecretKey> previous;
  private final String source;

  private MasterKey(SecretKey key, List<SecretKey> previous, String source) {
    this.key = key;
    this.previous = List.copyOf(previous);
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
    return new MasterKey(new SecretKeySpec(raw, "AES"), List.of(), source);
  }

  /** 32 fresh random bytes, base64-encoded. */
  public static String generateBase64() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /**
   * This key, also accepting values sealed under {@code older} keys (their own previous keys are
   * ignored); a key equal to the current one is left out.
   */
  public MasterKey withPrevious(List<MasterKey> older) {
    List<SecretKey> accepted = new ArrayList<>(previous);
    for (MasterKey old : older) {
      if (!old.key.equals(key) && !accepted.contains(old.key)) {
        accepted.add(old.key);
      }
    }
    return new MasterKey(key, accepted, source);
  }

  /** Whether previous keys are configured: values sealed under them may wait for re-encryption. */
  public boolean hasPrevious() {
    return !previous.isEmpty();
  }

  /** nonce || ciphertext+tag, under the current key. */
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

  /** Opens a value sealed under the current key or a previous one. */
  public byte[] decrypt(byte[] nonceAndCiphertext, String associatedData) {
    return openAny(nonceAndCiphertext, associatedData).plaintext();
  }

  /**
   * The value sealed again under the current key when a previous key sealed it; empty when the
   * current key did already.
   *
   * @throws IllegalStateException when no configured key opens it
   */
  public Optional<byte[]> reencrypt(byte[] nonceAndCiphertext, String associatedData) {
    Opened opened = openAny(nonceAndCiphertext, associatedData);
    return opened.byCurrentKey()
        ? Optional.empty()
        : Optional.of(encrypt(opened.plaintext(), associatedData));
  }

  private record Opened(byte[] plaintext, boolean byCurrentKey) {}

  /** Tries the current key, then the previous ones in order. */
  private Opened openAny(byte[] nonceAndCiphertext, String associatedData) {
    byte[] plain = open(key, nonceAndCiphertext, associatedData);
    if (plain != null) {
      return new Opened(plain, true);
    }
    for (SecretKey old : previous) {
      plain = open(old, nonceAndCiphertext, associatedData);
      if (plain != null) {
        return new Opened(plain, false);
      }
    }
    throw unreadable(associatedData);
  }

  /** The plaintext, or null when this key did not seal the value (or it was altered). */
  private static byte[] open(SecretKey with, byte[] nonceAndCiphertext, String associatedData) {
    if (nonceAndCiphertext.length < NONCE_BYTES + TAG_BITS / 8) {
      return null;
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          with,
          new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(
          nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private IllegalStateException unreadable(String associatedData) {
    return new IllegalStateException(
        "Cannot decrypt "
            + associatedData
            + ": was it encrypted under another "
            + source
            + (previous.isEmpty() ? "" : " (none of the previous keys opens it either)")
            + "?");
  }
}
