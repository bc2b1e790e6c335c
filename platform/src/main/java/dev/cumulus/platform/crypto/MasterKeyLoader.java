package dev.cumulus.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Where a service's master key comes from: the configured value; without one, in the {@code dev}
 * profile only, a key generated once into a file (0600) and reused; otherwise start-up stops with a
 * message naming the variable to set. Losing or changing the key makes everything it encrypted
 * unreadable, so a dev key file must be kept with the data it protects. To rotate it, the old key
 * goes into the previous keys ({@link #previousProperty()}): still accepted for reading, while
 * {@link MasterKeyRotation} seals what it protects again under the new one.
 *
 * @param service the service, for messages ("auth-service")
 * @param purpose what the key encrypts, for messages ("encrypt its signing keys")
 * @param property the configuration property ("cumulus.auth.master-key")
 * @param environmentVariable its environment variable ("CUMULUS_AUTH_MASTER_KEY")
 */
public record MasterKeyLoader(
    String service, String purpose, String property, String environmentVariable) {

  private static final Logger log = LoggerFactory.getLogger(MasterKeyLoader.class);

  /** The property listing retired keys ("cumulus.auth.previous-master-keys"). */
  public String previousProperty() {
    return property.replace("master-key", "previous-master-keys");
  }

  /** Its environment variable ("CUMULUS_AUTH_PREVIOUS_MASTER_KEYS"). */
  public String previousEnvironmentVariable() {
    return environmentVariable.replace("MASTER_KEY", "PREVIOUS_MASTER_KEYS");
  }

  /** Loads the key a service's settings name; the dev profile may generate it. */
  public MasterKey load(MasterKeySettings settings, Environment environment) {
    return load(
        settings.masterKey(),
        settings.previousMasterKeys(),
        settings.masterKeyFile(),
        environment.acceptsProfiles(Profiles.of("dev")));
  }

  /**
   * @param configured the property's value (null or blank: not configured)
   * @param previous retired keys still accepted for reading, comma-separated (null or blank: none)
   * @param devFile where the dev profile keeps its generated key
   * @param devProfile whether the dev profile is active
   */
  public MasterKey load(String configured, String previous, Path devFile, boolean devProfile) {
    MasterKey current = current(configured, devFile, devProfile);
    if (previous == null || previous.isBlank()) {
      return current;
    }
    List<MasterKey> older = new ArrayList<>();
    for (String base64 : previous.split(",")) {
      if (!base64.isBlank()) {
        older.add(parse(base64, previousProperty() + " (" + previousEnvironmentVariable() + ")"));
      }
    }
    return current.withPrevious(older);
  }

  private MasterKey current(String configured, Path devFile, boolean devProfile) {
    if (configured != null && !configured.isBlank()) {
      return parse(configured, property + " (" + environmentVariable + ")");
    }
    if (!devProfile) {
      throw new IllegalStateException(
          service
              + " needs a master key to "
              + purpose
              + ": set "
              + environmentVariable
              + " to base64 of 32 random bytes (for example the output of `openssl rand -base64"
              + " 32`), or run with the dev profile to have one generated.");
    }
    return parse(devKey(devFile), devFile.toString());
  }

  private MasterKey parse(String base64, String source) {
    try {
      return MasterKey.fromBase64(base64, environmentVariable);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid master key in " + source + ": " + e.getMessage());
    }
  }

  /** Reads the dev master key, creating it (0600) on first start. */
  private static String devKey(Path file) {
    try {
      if (!Files.exists(file)) {
        SecretFiles.writeNew(file, MasterKey.generateBase64());
        log.warn("dev profile: generated a master key into {} (keep it with the data)", file);
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (FileAlreadyExistsException e) {
      // Another instance created it in between.
      return devKey(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the master key file " + file, e);
    }
  }
}
