package dev.cumulus.database.rds.config;

import dev.cumulus.database.rds.application.RdsPlanEvents;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
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

  /**
   * auth-service's tenant events (topic cumulus.tenants): a plan change reaches the tenant's
   * instances at once. Listed in spring.cloud.function.definition; binding in application.yml.
   */
  @Bean
  InboxConsumer rdsTenantEvents(Inbox inbox, RdsPlanEvents events) {
    return new InboxConsumer(inbox, "database-service-rds-plans", events::handle);
  }

  @Bean
  MasterKey rdsMasterKey(RdsProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }
}
