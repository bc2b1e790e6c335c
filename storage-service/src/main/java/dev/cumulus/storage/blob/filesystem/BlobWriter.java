package dev.cumulus.storage.blob.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * One upload's temporary file. {@link #write}, {@link #finish} and {@link #abort} block: the store
 * calls them on its I/O threads. {@link #hash} is CPU work the store runs on another thread, one
 * batch behind the writes: batches are written in order and hashed in order, one at a time each.
 */
final class BlobWriter {

  /**
   * Every this many bytes written, the file is synced in the background while the upload goes on,
   * so the final sync only has the tail left: syncing 64 MiB at the end took ~80 ms here, a quarter
   * of the upload. (Java has no sync_file_range to merely start write-back.)
   */
  static final long EARLY_SYNC = 4L * 1024 * 1024;

  private final Path temp;
  private final MessageDigest md5;
  private final Executor syncer;
  private FileChannel channel;
  private boolean aborted;
  private long size;
  private long unsynced;
  private CompletableFuture<Void> syncing = CompletableFuture.completedFuture(null);

  /**
   * @param temp the file to create (it must not exist)
   * @param hash whether to compute the MD5 of the bytes
   * @param syncer where the early syncs of a large upload run (they block)
   */
  BlobWriter(Path temp, boolean hash, Executor syncer) {
    this.temp = temp;
    this.md5 = hash ? newMd5() : null;
    this.syncer = syncer;
  }

  /** Appends the buffers' readable bytes with one gathering write; does not release them. */
  void write(List<DataBuffer> batch) throws IOException {
    long bytes = byteCount(batch);
    List<ByteBuffer> views = new ArrayList<>(batch.size());
    for (DataBuffer buffer : batch) {
      try (DataBuffer.ByteBufferIterator parts = buffer.readableByteBuffers()) {
        parts.forEachRemaining(views::add);
      }
    }
    ByteBuffer[] sources = views.toArray(ByteBuffer[]::new);
    FileChannel out = open();
    long written = 0;
    while (written < bytes) {
      written += out.write(sources);
    }
    size += bytes;
    unsynced += bytes;
    if (unsynced >= EARLY_SYNC && syncing.isDone()) {
      unsynced = 0;
      syncing = CompletableFuture.runAsync(() -> sync(out), syncer);
    }
  }

  /** An early sync; one that fails leaves the work to the final one, which reports errors. */
  private static void sync(FileChannel out) {
    try {
      out.force(false);
    } catch (IOException e) {
      // closed by abort() or finish(), or an I/O error that the final force(false) will meet again
    }
  }

  /**
   * Adds the buffers' readable bytes to the MD5 (a no-op when not hashing); does not release them.
   * Batches must come in the order they were written.
   */
  void hash(List<DataBuffer> batch) {
    if (md5 == null) {
      return;
    }
    for (DataBuffer buffer : batch) {
      try (DataBuffer.ByteBufferIterator parts = buffer.readableByteBuffers()) {
        parts.forEachRemaining(md5::update);
      }
    }
  }

  /**
   * Makes the bytes durable and moves them to {@code target}, durably too: a blob that is
   * referenced by committed metadata survives a crash.
   *
   * @return the MD5 in hex, or null when not hashing
   */
  String finish(Path target) throws IOException {
    FileChannel out = open(); // an empty upload still becomes a file
    // Not waiting for an early sync still in flight: this force covers everything written, and
    // waiting here, on an I/O thread, for a sync queued on another I/O thread could deadlock the
    // pool when every thread finishes an upload at once. close() waits for a running force.
    out.force(false); // fdatasync: data and the size needed to read it back
    out.close();
    Path dir = target.getParent();
    PrivateFiles.createDirectories(dir);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
    return md5 == null ? null : HexFormat.of().formatHex(md5.digest());
  }

  /** Bytes appended so far. */
  long size() {
    return size;
  }

  /**
   * Closes and deletes the temporary file; never throws. May run while a write is in flight (the
   * upload was cancelled): that write fails, and no later step reopens the file.
   */
  synchronized void abort() {
    aborted = true;
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // the file is deleted next
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // left to the janitor
    }
  }

  private synchronized FileChannel open() throws IOException {
    if (aborted) {
      throw new ClosedChannelException();
    }
    if (channel == null) {
      PrivateFiles.createDirectories(temp.getParent());
      channel = PrivateFiles.createForWriting(temp);
    }
    return channel;
  }

  /** Makes a rename durable; not every platform can open a directory, which is fine there. */
  static void forceDirectory(Path dir) {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // best effort where directories cannot be synced
    }
  }

  /** The readable bytes of a batch. */
  static long byteCount(List<DataBuffer> batch) {
    long bytes = 0;
    for (DataBuffer buffer : batch) {
      bytes += buffer.readableByteCount();
    }
    return bytes;
  }

  /** The MD5 of bytes held in memory, in hex. */
  static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(newMd5().digest(bytes));
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
