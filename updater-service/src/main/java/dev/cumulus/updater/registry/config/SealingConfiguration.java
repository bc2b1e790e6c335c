package dev.cumulus.updater.registry.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.SealedColumn;
import dev.cumulus.platform.crypto.SecretSealer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

/** updater-service's master key (platform's loader: configured, or generated in dev). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SealingProperties.class)
class SealingConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "updater-service",
          "seal tenants' registry passwords",
          "cumulus.updater.sealing.master-key",
          "CUMULUS_UPDATER_MASTER_KEY");

  @Bean
  MasterKey updaterMasterKey(SealingProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }

  /**
   * Registry passwords, sealed under this key (its only use), bound to their login's id: a sealed
   * password copied onto another tenant's login does not open.
   */
  @Bean
  SecretSealer registrySecrets(MasterKey updaterMasterKey) {
    return new SecretSealer(updaterMasterKey);
  }

  /** Seals the passwords again under the current key once previous keys are configured. */
  @Bean
  MasterKeyRotation updaterMasterKeyRotation(MasterKey updaterMasterKey, DatabaseClient db) {
    return new MasterKeyRotation(
        updaterMasterKey,
        LOADER.previousEnvironmentVariable(),
        List.of(
            new SealedColumn(
                db,
                "registry passwords",
                "registry_logins",
                "id",
                "password_sealed",
                UnaryOperator.identity())));
  }
}
