package dev.cumulus.storage.blob.encryption;

import dev.cumulus.platform.crypto.SegmentedGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted blob format: a header, then the blob sealed by the platform's {@link SegmentedGcm}
 * (64 KiB AES-256-GCM segments, no associated data) under a key of the blob's own, so that blobs of
 * any size are sealed and opened in bounded memory and a range read decrypts only the segments it
 * touches.
 *
 * <pre>
 * header   = "CSB" version(1) ownerLength(1) owner(UTF-8) salt(32) noncePrefix(7)
 * blob key = HKDF-SHA256(ikm = owner's data key, salt,
 *                        info = "cumulus-storage-blob:" owner NUL namespace)
 * </pre>
 *
 * Every blob has a fresh salt, hence its own key, so nonces never repeat under one key. The owner
 * (tenant) in the header names the data key; it is bound into the key derivation, so editing it
 * yields a wrong key, not another tenant's plaintext; so is the namespace (storage instance) the
 * blob was written to, so a blob file moved into another instance's directory does not open there,
 * even under the right tenant.
 */
public final class BlobCipher {

  public static final int SEGMENT_SIZE = SegmentedGcm.SEGMENT_SIZE;
  public static final int SEALED_SEGMENT_SIZE = SegmentedGcm.SEALED_SEGMENT_SIZE;

  private static final byte[] MAGIC = {'C', 'S', 'B'};
  private static final byte VERSION = 1;
  private static final int SALT_SIZE = 32;
  private static final int PREFIX_SIZE = SegmentedGcm.NONCE_PREFIX_SIZE;
  private static final int MAX_OWNER_SIZE = 255;

  /** Enough bytes to hold any header. */
  public static final int MAX_HEADER_SIZE =
      MAGIC.length + 2 + MAX_OWNER_SIZE + SALT_SIZE + PREFIX_SIZE;

  private static final SecureRandom RANDOM = new SecureRandom();

  private BlobCipher() {}

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
      RANDOM.nextBytes(salt);
      return new Header(owner, salt, SegmentedGcm.newNoncePrefix());
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
    return header.length() + SegmentedGcm.sealedSize(plaintextSize);
  }

  /**
   * Seals a blob: {@link #header()} first, then what each {@link #push} returns, then {@link
   * #finish()}. Not thread-safe; one per blob.
   */
  public static final class Sealer {

    private final Header header;
    private final SegmentedGcm.Sealer segments;

    public Sealer(byte[] dataKey, Header header, String namespace) {
      this.header = header;
      this.segments =
          new SegmentedGcm.Sealer(blobKey(dataKey, header, namespace), header.noncePrefix(), null);
    }

    public byte[] header() {
      return header.encode();
    }

    /** Takes all of {@code plaintext}; returns the segments it completed (often none). */
    public List<byte[]> push(ByteBuffer plaintext) {
      return segments.push(plaintext);
    }

    /** The last segment (possibly of no plaintext). */
    public byte[] finish() {
      return segments.finish();
    }
  }

  /**
   * Opens {@code count} consecutive segments from segment {@code first}, fed the sealed bytes from
   * {@code header.sealedOffset(first)} on, as {@link SegmentedGcm.Opener} does. Not thread-safe.
   */
  public static final class Opener {

    private final SegmentedGcm.Opener segments;

    public Opener(byte[] dataKey, Header header, String namespace, long first, long count) {
      this.segments =
          new SegmentedGcm.Opener(
              blobKey(dataKey, header, namespace), header.noncePrefix(), null, first, count);
    }

    public List<byte[]> push(ByteBuffer sealed) {
      return authenticated(() -> segments.push(sealed));
    }

    /**
     * @throws IntegrityException when the blob ended before its last segment
     */
    public List<byte[]> finish() {
      return authenticated(segments::finish);
    }

    private static List<byte[]> authenticated(Supplier<List<byte[]>> step) {
      try {
        return step.get();
      } catch (SegmentedGcm.IntegrityException e) {
        throw new IntegrityException("Encrypted blob " + e.getMessage(), e);
      }
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
