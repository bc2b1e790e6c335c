package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.stereotype.Component;

/**
 * Where dumps are kept: one file per backup under the configured directory (directories 0700, files
 * 0600). Blocking file calls: callers run them on a bounded-elastic thread. An S3 bucket is the
 * next step (docs/rds.md).
 */
@Component
public class BackupStore {

  private final Path root;

  public BackupStore(RdsProperties properties) {
    this.root = properties.backups().toAbsolutePath().normalize();
  }

  /** The location (relative path) of a backup's blob. */
  public String location(String serviceId, String backupId) {
    return serviceId.replaceAll("[^A-Za-z0-9._-]", "_") + "/" + backupId + ".sql.gz";
  }

  public OutputStream create(String location) throws IOException {
    Path file = resolve(location);
    directory(root);
    directory(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.newOutputStream(
        file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  public Path file(String location) {
    return resolve(location);
  }

  /** Deletes a backup's file, and its instance's directory once that is empty. */
  public void delete(String location) {
    Path file = resolve(location);
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    } catch (java.nio.file.DirectoryNotEmptyException others) {
      // The instance has other backups.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path resolve(String location) {
    Path file = root.resolve(location).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("Backup location outside the store: " + location);
    }
    return file;
  }

  private static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
