package dev.cumulus.function.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** function-service's master key (platform's loader: configured, or generated in dev). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SealingProperties.class)
class SealingConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "function-service",
          "seal functions' environment variables",
          "cumulus.function.sealing.master-key",
          "CUMULUS_FUNCTION_MASTER_KEY");

  @Bean
  MasterKey functionMasterKey(SealingProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }
}
