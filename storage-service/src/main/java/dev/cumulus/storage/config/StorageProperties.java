package dev.cumulus.storage.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Storage settings.
 *
 * @param dataDir root of the object bytes ({@code tmp/} for uploads in flight, {@code blobs/} for
 *     committed objects)
 * @param janitorGrace temporary or unreferenced files older than this are orphans of a crash
 * @param ioThreads threads for blocking file operations (open, fsync, move, delete)
 */
@ConfigurationProperties("cumulus.storage")
public record StorageProperties(Path dataDir, Duration janitorGrace, Integer ioThreads) {

  public StorageProperties {
    dataDir = dataDir == null ? Path.of(".cumulus/data/storage") : dataDir;
    janitorGrace = janitorGrace == null ? Duration.ofMinutes(5) : janitorGrace;
    ioThreads = ioThreads == null ? 4 : ioThreads;
  }
}
