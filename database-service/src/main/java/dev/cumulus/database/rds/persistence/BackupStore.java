package dev.cumulus.database.rds.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where backups' bytes are kept: write a stream, read it back, delete it. Blocking calls: callers
 * run them on a bounded-elastic thread. Two implementations, chosen by {@code
 * cumulus.rds.backup-store.type}: a local directory ({@link LocalBackupStore}) and an S3 bucket
 * ({@link S3BackupStore}). A backup's row names the store that holds it.
 */
public interface BackupStore {

  /** The store's name as recorded in a backup's row: {@code local} or {@code s3}. */
  String name();

  /**
   * Starts writing a backup's object. Its bytes become the object only on {@link Upload#commit()};
   * closing an upload that was not committed discards what was written.
   */
  Upload create(String location) throws IOException;

  /** Reads a backup's object back, streamed. */
  InputStream open(String location) throws IOException;

  /** Deletes a backup's object; one that is already gone is no error. */
  void delete(String location) throws IOException;

  /** An object being written. */
  abstract class Upload extends OutputStream {

    /** Makes what was written the object; the stream is closed afterwards. */
    public abstract void commit() throws IOException;
  }
}
