package dev.cumulus.auth.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
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

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "auth-service",
          "encrypt its signing keys",
          "cumulus.auth.master-key",
          "CUMULUS_AUTH_MASTER_KEY");

  @Bean
  MasterKey masterKey(AuthProperties properties, Environment environment) {
    return LOADER.load(
        properties.masterKey(),
        properties.masterKeyFile(),
        environment.acceptsProfiles(Profiles.of("dev")));
  }
}
