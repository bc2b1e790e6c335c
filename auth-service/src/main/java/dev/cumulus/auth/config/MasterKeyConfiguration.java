package dev.cumulus.auth.config;

import dev.cumulus.auth.keys.domain.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The master key that encrypts signing keys at rest: {@code cumulus.auth.master-key} (env {@code
 * CUMULUS_AUTH_MASTER_KEY}). Without one, the {@code dev} profile generates a key once into {@code
 * cumulus.auth.master-key-file} and reuses it; any other profile refuses to start.
 */
@Configuration(proxyBeanMethods = false)
public class MasterKeyConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MasterKeyConfiguration.class);

  @Bean
  MasterKey masterKey(AuthProperties properties, Environment environment) {
    String configured = properties.masterKey();
    if (configured != null && !configured.isBlank()) {
      return parse(configured, "cumulus.auth.master-key (CUMULUS_AUTH_MASTER_KEY)");
    }
    if (!environment.acceptsProfiles(Profiles.of("dev"))) {
      throw new IllegalStateException(
          "auth-service needs a master key to encrypt its signing keys: set"
              + " CUMULUS_AUTH_MASTER_KEY to base64 of 32 random bytes (for example the output of"
              + " `openssl rand -base64 32`), or run with the dev profile to have one generated.");
    }
    return parse(devKey(properties.masterKeyFile()), properties.masterKeyFile().toString());
  }

  private static MasterKey parse(String base64, String source) {
    try {
      return MasterKey.fromBase64(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid master key in " + source + ": " + e.getMessage());
    }
  }

  /** Reads the dev master key, creating it (0600) on first start. */
  static String devKey(Path file) {
    try {
      if (!Files.exists(file)) {
        SecretFiles.writeNew(file, MasterKey.generateBase64());
        log.warn("dev profile: generated a master key into {} (keep it with the database)", file);
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (FileAlreadyExistsException e) {
      // Another instance created it in between.
      return devKey(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the master key file " + file, e);
    }
  }

  /** Files holding secrets: created atomically, readable by the owner only. */
  public static final class SecretFiles {

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
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
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
}
