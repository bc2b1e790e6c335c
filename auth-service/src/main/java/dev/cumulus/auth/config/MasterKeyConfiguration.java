package dev.cumulus.auth.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The master key that encrypts signing keys and S3 secrets at rest: {@code cumulus.auth.master-key}
 * (env {@code CUMULUS_AUTH_MASTER_KEY}). Without one, the {@code dev} profile generates a key once
 * into {@code cumulus.auth.master-key-file} and reuses it; any other profile refuses to start.
 * Retired keys in {@code cumulus.auth.previous-master-keys} still open old values, which {@link
 * MasterKeyRotation} seals again under the current key after start-up.
 */
@Configuration(proxyBeanMethods = false)
public class MasterKeyConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "auth-service",
          "encrypt its signing keys and S3 secrets",
          "cumulus.auth.master-key",
          "CUMULUS_AUTH_MASTER_KEY");

  @Bean
  MasterKey masterKey(AuthProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }

  /**
   * Reseals every value auth-service seals under its master key: each feature that seals a column
   * declares it as a {@link MasterKeyRotation.SealedValues} bean next to its own wiring.
   */
  @Bean
  MasterKeyRotation masterKeyRotation(
      MasterKey masterKey, List<MasterKeyRotation.SealedValues> sealed) {
    return new MasterKeyRotation(masterKey, LOADER.previousEnvironmentVariable(), sealed);
  }
}
