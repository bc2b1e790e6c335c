package dev.cumulus.database.rds.domain;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted backup format: the gzip stream sealed with AES-256-GCM in chunks, so that a dump of
 * any size is encrypted and decrypted in bounded memory.
 *
 * <pre>
 * object  = header chunk*
 * header  = "CRB" version(1) noncePrefix(7)
 * chunk i = AES-256-GCM(data key, nonce = noncePrefix || i (4 bytes) || last (1 byte),
 *                       aad = "cumulus-rds-backup:" backupId,
 *                       gzip[i * 64 KiB, (i + 1) * 64 KiB)) = ciphertext || 16-byte tag
 * </pre>
 *
 * Every backup has its own random data key (wrapped by the service's master key, kept in its row),
 * so nonces never repeat under one key. The index in the nonce detects reordered chunks, the
 * last-chunk flag a stream cut at a chunk boundary, the tag any changed byte; the backup id as
 * associated data keeps an object from opening as another backup. The last chunk may hold no
 * plaintext: its tag still proves the stream complete.
 */
public final class BackupCipher {

  /** Rows written before encryption: the object is the gzip stream itself. */
  public static final String FORMAT_GZIP = "gzip";

  /** The object is the gzip stream sealed as above. */
  public static final String FORMAT_ENCRYPTED = "gzip+aes256gcm-chunked-v1";

  public static final int CHUNK_SIZE = 64 * 1024;
  private static final int TAG_SIZE = 16;
  private static final int SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
  private static final byte[] MAGIC = {'C', 'R', 'B'};
  private static final byte VERSION = 1;
  private static final int PREFIX_SIZE = 7;
  private static final int HEADER_SIZE = MAGIC.length + 1 + PREFIX_SIZE;
  private static final SecureRandom RANDOM = new SecureRandom();

  private BackupCipher() {}

  /** A backup that does not authenticate: tampered, truncated, reordered, or another key's. */
  public static final class IntegrityException extends IOException {
    public IntegrityException(String message) {
      super(message);
    }
  }

  /** 32 random bytes: one backup's data key. */
  public static byte[] newDataKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  /** What the master key binds a backup's wrapped data key to. */
  public static String keyContext(String backupId) {
    return "cumulus-rds-backup-key:" + backupId;
  }

  /**
   * Seals what is written into {@code out}; {@link SealingStream#finish()} writes the last chunk
   * without closing {@code out}, {@code close()} finishes and closes it.
   */
  public static SealingStream sealing(OutputStream out, byte[] dataKey, String backupId)
      throws IOException {
    return new SealingStream(out, dataKey, backupId);
  }

  /** Opens a sealed stream; a chunk's plaintext is returned only once its tag checked out. */
  public static InputStream opening(InputStream in, byte[] dataKey, String backupId)
      throws IOException {
    return new OpeningStream(in, dataKey, backupId);
  }

  /** Seals chunk by chunk; a full chunk waits until more bytes show it is not the last. */
  public static final class SealingStream extends FilterOutputStream {

    private final Chunks chunks;
    private final byte[] pending = new byte[CHUNK_SIZE];
    private int filled;
    private long index;
    private boolean finished;

    private SealingStream(OutputStream out, byte[] dataKey, String backupId) throws IOException {
      super(out);
      byte[] prefix = new byte[PREFIX_SIZE];
      RANDOM.nextBytes(prefix);
      this.chunks = new Chunks(dataKey, prefix, backupId);
      out.write(ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).put(VERSION).put(prefix).array());
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (finished) {
        throw new IOException("Sealed stream already finished");
      }
      while (len > 0) {
        if (filled == CHUNK_SIZE) {
          out.write(chunks.seal(pending, filled, index++, false));
          filled = 0;
        }
        int n = Math.min(len, CHUNK_SIZE - filled);
        System.arraycopy(b, off, pending, filled, n);
        filled += n;
        off += n;
        len -= n;
      }
    }

    /** Seals the last chunk (possibly empty); the underlying stream stays open. */
    public void finish() throws IOException {
      if (!finished) {
        finished = true;
        out.write(chunks.seal(pending, filled, index++, true));
        filled = 0;
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      try {
        finish();
      } finally {
        out.close();
      }
    }
  }

  private static final class OpeningStream extends InputStream {

    private final InputStream in;
    private final Chunks chunks;
    // One sealed chunk and one byte more: the byte tells a full chunk is not the last.
    private final byte[] sealed = new byte[SEALED_CHUNK_SIZE + 1];
    private int sealedFilled;
    private byte[] plain = new byte[0];
    private int plainPos;
    private long index;
    private boolean done;

    OpeningStream(InputStream in, byte[] dataKey, String backupId) throws IOException {
      this.in = in;
      byte[] header = in.readNBytes(HEADER_SIZE);
      if (header.length < HEADER_SIZE
          || !Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)
          || header[MAGIC.length] != VERSION) {
        throw new IntegrityException("Backup is not an encrypted backup of a known version");
      }
      byte[] prefix = Arrays.copyOfRange(header, MAGIC.length + 1, HEADER_SIZE);
      this.chunks = new Chunks(dataKey, prefix, backupId);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (plainPos == plain.length) {
        if (done) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, plain.length - plainPos);
      System.arraycopy(plain, plainPos, b, off, n);
      plainPos += n;
      return n;
    }

    /** Reads and opens the next chunk. */
    private void next() throws IOException {
      while (sealedFilled < sealed.length) {
        int n = in.read(sealed, sealedFilled, sealed.length - sealedFilled);
        if (n < 0) {
          break;
        }
        sealedFilled += n;
      }
      if (sealedFilled == sealed.length) {
        plain = chunks.open(sealed, SEALED_CHUNK_SIZE, index++, false);
        sealed[0] = sealed[SEALED_CHUNK_SIZE];
        sealedFilled = 1;
      } else {
        if (sealedFilled < TAG_SIZE) {
          throw new IntegrityException("Backup is truncated (chunk " + index + ")");
        }
        plain = chunks.open(sealed, sealedFilled, index++, true);
        sealedFilled = 0;
        done = true;
      }
      plainPos = 0;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** AES-GCM over chunks under one backup's data key; one Cipher reused. */
  private static final class Chunks {

    private final SecretKeySpec key;
    private final byte[] prefix;
    private final byte[] aad;
    private final Cipher cipher;

    Chunks(byte[] dataKey, byte[] prefix, String backupId) {
      if (dataKey.length != 32) {
        throw new IllegalArgumentException("A backup data key has 32 bytes");
      }
      this.key = new SecretKeySpec(dataKey, "AES");
      this.prefix = prefix;
      this.aad = ("cumulus-rds-backup:" + backupId).getBytes(StandardCharsets.UTF_8);
      try {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] seal(byte[] plaintext, int length, long index, boolean last) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, nonce(index, last));
        cipher.updateAAD(aad);
        return cipher.doFinal(plaintext, 0, length);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    byte[] open(byte[] sealed, int length, long index, boolean last) throws IOException {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, nonce(index, last));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed, 0, length);
      } catch (AEADBadTagException e) {
        throw new IntegrityException(
            "Backup does not authenticate at chunk "
                + index
                + " (tampered, truncated, reordered, or sealed under another key)");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }

    private GCMParameterSpec nonce(long index, boolean last) {
      if (index > 0xFFFF_FFFFL) {
        // 256 TiB: refused rather than reuse a nonce.
        throw new IllegalStateException("Backup too large for the chunk counter");
      }
      return new GCMParameterSpec(
          TAG_SIZE * 8,
          ByteBuffer.allocate(PREFIX_SIZE + 5)
              .put(prefix)
              .putInt((int) index)
              .put((byte) (last ? 1 : 0))
              .array());
    }
  }
}
