package dev.cumulus.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files a storage-service under test wrote, for tests that look at the disk. */
public final class BlobFiles {

  private BlobFiles() {}

  /** The regular files anywhere under {@code dir}; none when it does not exist. */
  public static List<Path> under(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  /** One instance's blob files under a data directory ({@code blobs/<serviceId>/}). */
  public static List<Path> of(Path dataDir, String serviceId) throws IOException {
    return under(dataDir.resolve("blobs").resolve(serviceId));
  }
}
