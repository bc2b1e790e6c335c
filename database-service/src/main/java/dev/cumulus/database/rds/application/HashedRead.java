package dev.cumulus.database.rds.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stored backup read once, its SHA-256 taken on the way: restore streams it into psql and checks
 * the hash at the end instead of reading the object a second time before. {@link #sha256Hex()}
 * reads whatever the layers above left unread, so the hash always covers the whole object.
 */
final class HashedRead extends InputStream {

  private final InputStream stored;
  private final MessageDigest sha;
  private String hex;

  HashedRead(InputStream stored) {
    this.stored = stored;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = stored.read();
    if (b >= 0) {
      sha.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = stored.read(buffer, offset, length);
    if (n > 0) {
      sha.update(buffer, offset, n);
    }
    return n;
  }

  // skip() is InputStream's: it reads (through read above), so skipped bytes are hashed too.

  /** The hash of the whole object (what is left is read first). */
  String sha256Hex() throws IOException {
    if (hex == null) {
      transferTo(OutputStream.nullOutputStream());
      hex = HexFormat.of().formatHex(sha.digest());
    }
    return hex;
  }

  @Override
  public void close() throws IOException {
    stored.close();
  }
}
