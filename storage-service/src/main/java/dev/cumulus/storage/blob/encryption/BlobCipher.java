package dev.cumulus.storage.blob.encryption;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted blob format: a streaming AEAD in the manner of Tink's AES-GCM-HKDF streaming
 * encryption, so that blobs of any size are sealed and opened in bounded memory and a range read
 * decrypts only the segments it touches.
 *
 * <pre>
 * header   = "CSB" version(1) ownerLength(1) owner(UTF-8) salt(32) noncePrefix(7)
 * blob key = HKDF-SHA256(ikm = owner's data key, salt,
 *                        info = "cumulus-storage-blob:" owner NUL namespace)
 * segment i = AES-256-GCM(blob key, nonce = noncePrefix || i (4 bytes) || last (1 byte),
 *                         plaintext[i * 64 KiB, (i + 1) * 64 KiB)) = ciphertext || 16-byte tag
 * </pre>
 *
 * Every blob has a fresh salt, hence its own key, so nonces never repeat under one key. The index
 * in the nonce detects reordered segments, the last-segment flag a blob cut at a segment boundary,
 * the tag any changed byte. The owner (tenant) in the header names the data key; it is bound into
 * the key derivation, so editing it yields a wrong key, not another tenant's plaintext; so is the
 * namespace (storage instance) the blob was written to, so a blob file moved into another
 * instance's directory does not open there, even under the right tenant. An empty blob is one empty
 * last segment: its tag still proves it complete.
 */
public final class SegmentedAead {

  public static final int SEGMENT_SIZE = 64 * 1024;
  public static final int TAG_SIZE = 16;
  public static final int SEALED_SEGMENT_SIZE = SEGMENT_SIZE + TAG_SIZE;

  private static final byte[] MAGIC = {'C', 'S', 'B'};
  private static final byte VERSION = 1;
  private static final int SALT_SIZE = 32;
  private static final int PREFIX_SIZE = 7;
  private static final int MAX_OWNER_SIZE = 255;

  /** Enough bytes to hold any header. */
  public static final int MAX_HEADER_SIZE =
      MAGIC.length + 2 + MAX_OWNER_SIZE + SALT_SIZE + PREFIX_SIZE;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SegmentedAead() {}

  /** Raised for any blob that does not authenticate: tampered, truncated, reordered, wrong key. */
  public static final class IntegrityException extends RuntimeException {
    public IntegrityException(String message) {
      super(message);
    }

    IntegrityException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A blob's header: whose data key sealed it, and its per-blob salt and nonce prefix. */
  public record Header(String owner, byte[] salt, byte[] noncePrefix) {

    public static Header fresh(String owner) {
      byte[] salt = new byte[SALT_SIZE];
      byte[] prefix = new byte[PREFIX_SIZE];
      RANDOM.nextBytes(salt);
      RANDOM.nextBytes(prefix);
      return new Header(owner, salt, prefix);
    }

    public int length() {
      return MAGIC.length + 2 + ownerBytes().length + SALT_SIZE + PREFIX_SIZE;
    }

    /** Where segment {@code index}'s sealed bytes start in the blob. */
    public long sealedOffset(long index) {
      return length() + index * SEALED_SEGMENT_SIZE;
    }

    public byte[] encode() {
      byte[] owner = ownerBytes();
      return ByteBuffer.allocate(length())
          .put(MAGIC)
          .put(VERSION)
          .put((byte) owner.length)
          .put(owner)
          .put(salt)
          .put(noncePrefix)
          .array();
    }

    /** Parses the header at the start of {@code bytes} (which may go on past it). */
    public static Header parse(ByteBuffer bytes) {
      if (bytes.remaining() < MAGIC.length + 2) {
        throw new IntegrityException("Not an encrypted blob: too short for a header");
      }
      byte[] magic = new byte[MAGIC.length];
      bytes.get(magic);
      if (!Arrays.equals(magic, MAGIC) || bytes.get() != VERSION) {
        throw new IntegrityException("Not an encrypted blob of a known version");
      }
      int ownerLength = Byte.toUnsignedInt(bytes.get());
      if (bytes.remaining() < ownerLength + SALT_SIZE + PREFIX_SIZE) {
        throw new IntegrityException("Not an encrypted blob: truncated header");
      }
      byte[] owner = new byte[ownerLength];
      byte[] salt = new byte[SALT_SIZE];
      byte[] prefix = new byte[PREFIX_SIZE];
      bytes.get(owner).get(salt).get(prefix);
      return new Header(new String(owner, StandardCharsets.UTF_8), salt, prefix);
    }

    private byte[] ownerBytes() {
      byte[] owner = this.owner.getBytes(StandardCharsets.UTF_8);
      if (owner.length > MAX_OWNER_SIZE) {
        throw new IllegalArgumentException("Owner id longer than " + MAX_OWNER_SIZE + " bytes");
      }
      return owner;
    }
  }

  /** The stored size of a blob of {@code plaintextSize} bytes. */
  public static long sealedSize(Header header, long plaintextSize) {
    long segments = plaintextSize == 0 ? 1 : (plaintextSize + SEGMENT_SIZE - 1) / SEGMENT_SIZE;
    return header.length() + plaintextSize + segments * TAG_SIZE;
  }

  /**
   * Seals a plaintext stream: {@link #header()} first, then what each {@link #push} returns, then
   * {@link #finish()}. A full segment is held back until more plaintext arrives, because only then
   * is it known not to be the last. Not thread-safe; one per blob.
   */
  public static final class Sealer {

    private final Header header;
    private final Segments segments;
    private final byte[] pending = new byte[SEGMENT_SIZE];
    private int filled;
    private long index;

    public Sealer(byte[] dataKey, Header header, String namespace) {
      this.header = header;
      this.segments = new Segments(dataKey, header, namespace);
    }

    public byte[] header() {
      return header.encode();
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
   * {@code header.sealedOffset(first)} on. The feed should carry one byte past the last wanted
   * segment when there is one: that byte is how a full segment is known not to be the blob's last.
   * Returns plaintext only after its segment authenticated. Not thread-safe.
   */
  public static final class Opener {

    private final Segments segments;
    private final long end;
    private final byte[] pending = new byte[SEALED_SEGMENT_SIZE + 1];
    private int filled;
    private long index;

    public Opener(byte[] dataKey, Header header, String namespace, long first, long count) {
      this.segments = new Segments(dataKey, header, namespace);
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
     * The feed ended: what is pending is the blob's last segment, unless every wanted segment was
     * already opened.
     *
     * @throws IntegrityException when the blob ended before its last segment
     */
    public List<byte[]> finish() {
      if (index >= end) {
        return List.of();
      }
      if (filled < TAG_SIZE) {
        throw new IntegrityException("Encrypted blob is truncated (segment " + index + ")");
      }
      byte[] last = segments.open(pending, filled, index++, true);
      filled = 0;
      return List.of(last);
    }
  }

  /** AES-GCM over segments under the blob key; one Cipher reused across segments. */
  private static final class Segments {

    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final Cipher cipher;

    Segments(byte[] dataKey, Header header, String namespace) {
      this.key = new SecretKeySpec(blobKey(dataKey, header, namespace), "AES");
      this.noncePrefix = header.noncePrefix();
      try {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] seal(byte[] plaintext, int length, long index, boolean last) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, nonce(index, last));
        return cipher.doFinal(plaintext, 0, length);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    byte[] open(byte[] sealed, int length, long index, boolean last) {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, nonce(index, last));
        return cipher.doFinal(sealed, 0, length);
      } catch (AEADBadTagException e) {
        throw new IntegrityException(
            "Encrypted blob does not authenticate at segment "
                + index
                + " (tampered, truncated, reordered, or sealed under another key)",
            e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }

    private GCMParameterSpec nonce(long index, boolean last) {
      if (index > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("Blob too large for the segment counter");
      }
      ByteBuffer nonce = ByteBuffer.allocate(PREFIX_SIZE + 5);
      nonce.put(noncePrefix).putInt((int) index).put((byte) (last ? 1 : 0));
      return new GCMParameterSpec(TAG_SIZE * 8, nonce.array());
    }
  }

  /**
   * HKDF-SHA256 (RFC 5869), one 32-byte block: extract with the salt, expand with the owner and
   * namespace.
   */
  static byte[] blobKey(byte[] dataKey, Header header, String namespace) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(header.salt(), "HmacSHA256"));
      byte[] pseudoRandomKey = mac.doFinal(dataKey);
      mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
      mac.update(
          ("cumulus-storage-blob:" + header.owner() + "\0" + namespace)
              .getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
