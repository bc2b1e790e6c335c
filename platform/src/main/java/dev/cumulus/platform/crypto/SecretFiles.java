package dev.cumulus.platform.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding secrets: created atomically, readable by the owner only. */
public final class SecretFiles {

  private SecretFiles() {}

  /** Writes a new file with mode 0600; fails with FileAlreadyExistsException if it exists. */
  public static void writeNew(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path temp =
        supportsPosix(parent)
            ? Files.createTempFile(
                parent,
                ".secret",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(parent, ".secret", ".tmp");
    try {
      Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
      // A hard link fails if the target exists: no instance ever overwrites another's secret.
      try {
        Files.createLink(file, temp);
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file); // no REPLACE_EXISTING: also refuses an existing file
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean supportsPosix(Path dir) {
    return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
