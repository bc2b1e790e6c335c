package dev.cumulus.database.rds.domain;

import dev.cumulus.platform.crypto.SegmentedGcm;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The encrypted backup format: the gzip stream sealed with platform's {@link SegmentedGcm}
 * (AES-256-GCM in 64 KiB chunks), so that a dump of any size is encrypted and decrypted in bounded
 * memory.
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

  public static final int CHUNK_SIZE = SegmentedGcm.SEGMENT_SIZE;
  private static final byte[] MAGIC = {'C', 'R', 'B'};
  private static final byte VERSION = 1;
  private static final int HEADER_SIZE = MAGIC.length + 1 + SegmentedGcm.NONCE_PREFIX_SIZE;
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

  private static byte[] associatedData(String backupId) {
    return ("cumulus-rds-backup:" + backupId).getBytes(StandardCharsets.UTF_8);
  }

  /** Seals chunk by chunk as bytes are written. */
  public static final class SealingStream extends FilterOutputStream {

    private final SegmentedGcm.Sealer sealer;
    private boolean finished;

    private SealingStream(OutputStream out, byte[] dataKey, String backupId) throws IOException {
      super(out);
      byte[] prefix = SegmentedGcm.newNoncePrefix();
      this.sealer = new SegmentedGcm.Sealer(dataKey, prefix, associatedData(backupId));
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
      for (byte[] chunk : sealer.push(ByteBuffer.wrap(b, off, len))) {
        out.write(chunk);
      }
    }

    /** Seals the last chunk (possibly empty); the underlying stream stays open. */
    public void finish() throws IOException {
      if (!finished) {
        finished = true;
        out.write(sealer.finish());
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
    private final SegmentedGcm.Opener opener;
    private final byte[] sealed = new byte[SegmentedGcm.SEALED_SEGMENT_SIZE];
    private final Deque<byte[]> opened = new ArrayDeque<>();
    private int plainPos;
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
      this.opener = new SegmentedGcm.Opener(dataKey, prefix, associatedData(backupId));
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
      while (opened.isEmpty() || plainPos == opened.peek().length) {
        if (!opened.isEmpty()) {
          opened.remove();
          plainPos = 0;
        } else if (done) {
          return -1;
        } else {
          next();
        }
      }
      byte[] plain = opened.peek();
      int n = Math.min(len, plain.length - plainPos);
      System.arraycopy(plain, plainPos, b, off, n);
      plainPos += n;
      return n;
    }

    /** Feeds the next sealed bytes to the opener; at the end, opens the last chunk. */
    private void next() throws IOException {
      try {
        int n = in.read(sealed);
        if (n < 0) {
          opened.addAll(opener.finish());
          done = true;
        } else {
          opened.addAll(opener.push(ByteBuffer.wrap(sealed, 0, n)));
        }
      } catch (SegmentedGcm.IntegrityException e) {
        throw new IntegrityException("Backup " + e.getMessage());
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
