package dev.cumulus.storage.blob.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Tenants' bytes are readable by the storage-service user only: directories 0700, files 0600, set
 * at creation (no window in which the umask's 0644 applies). Where the file system has no POSIX
 * permissions the defaults stand.
 */
final class PrivateFiles {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<?>[] DIRECTORY =
      POSIX
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
          }
          : new FileAttribute<?>[0];
  private static final FileAttribute<?>[] FILE =
      POSIX
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
          }
          : new FileAttribute<?>[0];

  private PrivateFiles() {}

  /** Creates {@code dir} and any missing parents, each 0700. */
  static void createDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, DIRECTORY);
    }
  }

  /** A new file, 0600, open for writing. */
  static FileChannel createForWriting(Path file) throws IOException {
    return FileChannel.open(
        file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE);
  }
}
