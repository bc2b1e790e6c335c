package dev.cumulus.database.rds.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds the managed PostgreSQL settings and loads the key sealing tenants' passwords. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RdsProperties.class)
class RdsConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "database-service",
          "encrypt managed PostgreSQL passwords at rest",
          "cumulus.rds.master-key",
          "CUMULUS_RDS_MASTER_KEY");

  @Bean
  MasterKey rdsMasterKey(RdsProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }
}
