package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.config.RdsProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.stereotype.Component;

/**
 * Backups as files under {@code cumulus.rds.backup-dir} (directories 0700, files 0600), one
 * directory per instance. A file is written as {@code <name>.partial} and renamed on commit, so a
 * dump that failed half-way leaves nothing behind. Always present: it holds the backups written
 * before a bucket was configured.
 */
@Component
public class LocalBackupStore implements BackupStore {

  public static final String NAME = "local";

  private final Path root;

  public LocalBackupStore(RdsProperties properties) {
    this.root = properties.backups().toAbsolutePath().normalize();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The file holding a backup's object (tests look at it). */
  public Path file(String location) {
    Path file = root.resolve(location).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("Backup location outside the store: " + location);
    }
    return file;
  }

  @Override
  public Upload create(String location) throws IOException {
    Path file = file(location);
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    directory(root);
    directory(file.getParent());
    Files.deleteIfExists(partial);
    Files.createFile(
        partial,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE);
    return new Upload() {
      private boolean committed;
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void commit() throws IOException {
        out.close();
        Files.move(
            partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        closed = true;
      }

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          out.close();
          if (!committed) {
            Files.deleteIfExists(partial);
          }
        }
      }
    };
  }

  @Override
  public InputStream open(String location) throws IOException {
    return Files.newInputStream(file(location));
  }

  /** Deletes a backup's file, and its instance's directory once that is empty. */
  @Override
  public void delete(String location) throws IOException {
    Path file = file(location);
    Files.deleteIfExists(file);
    try {
      Files.deleteIfExists(file.getParent());
    } catch (DirectoryNotEmptyException others) {
      // The instance has other backups.
    }
  }

  private static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
