package dev.cumulus.platform.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Streaming AEAD in segments (the STREAM construction, as in Tink's streaming AEAD), for data of
 * any size sealed and opened in bounded memory: AES-256-GCM over 64 KiB segments, each with a
 * 16-byte tag, under one key per stream and
 *
 * <pre>
 * nonce of segment i = noncePrefix (7 bytes) || i (4 bytes) || last (1 byte)
 * </pre>
 *
 * The index in the nonce detects reordered segments, the last flag a stream cut at a segment
 * boundary, the tag any changed byte; an empty stream is one empty last segment, whose tag still
 * proves it complete. A format's header, its key (one per stream, so that nonces never repeat) and
 * its associated data are the caller's: database-service's backups (BackupCipher) and
 * storage-service's blobs (BlobCipher) wrap it in theirs.
 */
public final class SegmentedGcm {

  public static final int SEGMENT_SIZE = 64 * 1024;
  public static final int TAG_SIZE = 16;
  public static final int SEALED_SEGMENT_SIZE = SEGMENT_SIZE + TAG_SIZE;
  public static final int NONCE_PREFIX_SIZE = 7;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SegmentedGcm() {}

  /** A segment that does not authenticate: tampered, truncated, reordered, or another key's. */
  public static final class IntegrityException extends RuntimeException {
    private final long segment;

    IntegrityException(String message, long segment, Throwable cause) {
      super(message, cause);
      this.segment = segment;
    }

    /** The index of the segment that failed. */
    public long segment() {
      return segment;
    }
  }

  /** A fresh random nonce prefix: one per stream. */
  public static byte[] newNoncePrefix() {
    byte[] prefix = new byte[NONCE_PREFIX_SIZE];
    RANDOM.nextBytes(prefix);
    return prefix;
  }

  /** The sealed size of {@code plaintextSize} bytes, without the caller's header. */
  public static long sealedSize(long plaintextSize) {
    long segments = plaintextSize == 0 ? 1 : (plaintextSize + SEGMENT_SIZE - 1) / SEGMENT_SIZE;
    return plaintextSize + segments * TAG_SIZE;
  }

  /**
   * Seals a plaintext stream: what each {@link #push} returns, then {@link #finish()}. A full
   * segment is held back until more plaintext arrives, because only then is it known not to be the
   * last. Not thread-safe; one per stream.
   */
  public static final class Sealer {

    private final Segments segments;
    private final byte[] pending = new byte[SEGMENT_SIZE];
    private int filled;
    private long index;

    /** {@code aad}: associated data bound into every segment (null: none). */
    public Sealer(byte[] key, byte[] noncePrefix, byte[] aad) {
      this.segments = new Segments(key, noncePrefix, aad);
    }

    /** Takes all of {@code plaintext}; returns the segments it completed (often none). */
    public List<byte[]> push(ByteBuffer plaintext) {
      List<byte[]> sealed = new ArrayList<>(1);
      while (plaintext.hasRemaining()) {
        if (filled == SEGMENT_SIZE) {
          sealed.add(segments.seal(pending, filled, index++, false));
          filled = 0;
        }
        int n = Math.min(plaintext.remaining(), SEGMENT_SIZE - filled);
        plaintext.get(pending, filled, n);
        filled += n;
      }
      return sealed;
    }

    /** The last segment (possibly of no plaintext). */
    public byte[] finish() {
      byte[] last = segments.seal(pending, filled, index++, true);
      filled = 0;
      return last;
    }
  }

  /**
   * Opens {@code count} consecutive segments from segment {@code first}, fed the sealed bytes from
   * that segment on. The feed should carry one byte past the last wanted segment when there is one:
   * that byte is how a full segment is known not to be the stream's last. Returns plaintext only
   * after its segment authenticated. Not thread-safe.
   */
  public static final class Opener {

    private final Segments segments;
    private final long end;
    private final byte[] pending = new byte[SEALED_SEGMENT_SIZE + 1];
    private int filled;
    private long index;

    /** Every segment of a stream, from the first. */
    public Opener(byte[] key, byte[] noncePrefix, byte[] aad) {
      this(key, noncePrefix, aad, 0, Long.MAX_VALUE);
    }

    public Opener(byte[] key, byte[] noncePrefix, byte[] aad, long first, long count) {
      this.segments = new Segments(key, noncePrefix, aad);
      this.index = first;
      this.end = first + count;
    }

    public List<byte[]> push(ByteBuffer sealed) {
      List<byte[]> opened = new ArrayList<>(1);
      while (sealed.hasRemaining() && index < end) {
        int n = Math.min(sealed.remaining(), pending.length - filled);
        sealed.get(pending, filled, n);
        filled += n;
        if (filled == pending.length) {
          // A byte beyond this segment exists, so it is not the last one.
          opened.add(segments.open(pending, SEALED_SEGMENT_SIZE, index++, false));
          pending[0] = pending[SEALED_SEGMENT_SIZE];
          filled = 1;
        }
      }
      return opened;
    }

    /**
     * The feed ended: what is pending is the stream's last segment, unless every wanted segment was
     * already opened.
     *
     * @throws IntegrityException when the stream ended before its last segment
     */
    public List<byte[]> finish() {
      if (index >= end) {
        return List.of();
      }
      if (filled < TAG_SIZE) {
        throw new IntegrityException("is truncated (segment " + index + ")", index, null);
      }
      byte[] last = segments.open(pending, filled, index++, true);
      filled = 0;
      return List.of(last);
    }
  }

  /** AES-GCM over segments under one key; one Cipher reused across segments. */
  private static final class Segments {

    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;
    private final Cipher cipher;

    Segments(byte[] key, byte[] noncePrefix, byte[] aad) {
      if (key.length != 32) {
        throw new IllegalArgumentException("An AES-256 key has 32 bytes");
      }
      if (noncePrefix.length != NONCE_PREFIX_SIZE) {
        throw new IllegalArgumentException("A nonce prefix has " + NONCE_PREFIX_SIZE + " bytes");
      }
      this.key = new SecretKeySpec(key, "AES");
      this.noncePrefix = noncePrefix.clone();
      this.aad = aad == null ? null : aad.clone();
      try {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] seal(byte[] plaintext, int length, long index, boolean last) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, nonce(index, last));
        if (aad != null) {
          cipher.updateAAD(aad);
        }
        return cipher.doFinal(plaintext, 0, length);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    byte[] open(byte[] sealed, int length, long index, boolean last) {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, nonce(index, last));
        if (aad != null) {
          cipher.updateAAD(aad);
        }
        return cipher.doFinal(sealed, 0, length);
      } catch (AEADBadTagException e) {
        throw new IntegrityException(
            "does not authenticate at segment "
                + index
                + " (tampered, truncated, reordered, or sealed under another key)",
            index,
            e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }

    private GCMParameterSpec nonce(long index, boolean last) {
      if (index > 0xFFFF_FFFFL) {
        // 256 TiB: refused rather than reuse a nonce.
        throw new IllegalStateException("Stream too large for the segment counter");
      }
      return new GCMParameterSpec(
          TAG_SIZE * 8,
          ByteBuffer.allocate(NONCE_PREFIX_SIZE + 5)
              .put(noncePrefix)
              .putInt((int) index)
              .put((byte) (last ? 1 : 0))
              .array());
    }
  }
}
