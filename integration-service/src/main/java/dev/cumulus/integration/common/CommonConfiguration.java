package dev.cumulus.integration.common;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.crypto.SecretSealer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The master key and what seals with it. */
@Configuration(proxyBeanMethods = false)
public class CommonConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "integration-service",
          "encrypt webhook and integration secrets",
          "cumulus.integration.master-key",
          "CUMULUS_INTEGRATION_MASTER_KEY");

  @Bean
  MasterKey integrationMasterKey(CommonProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }

  @Bean
  SecretSealer secretSealer(MasterKey integrationMasterKey) {
    return new SecretSealer(integrationMasterKey);
  }
}
