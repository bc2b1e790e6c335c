package dev.cumulus.database.rds.config;

import dev.cumulus.database.rds.application.RdsPlanEvents;
import dev.cumulus.database.rds.persistence.S3BackupStore;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Binds the managed PostgreSQL settings and loads the key sealing tenants' passwords and backups'
 * data keys.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RdsProperties.class)
class RdsConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "database-service",
          "encrypt managed PostgreSQL passwords and backups at rest",
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

  /** The S3 backup store, when {@code cumulus.rds.backup-store.type} is {@code s3}. */
  @Bean
  @ConditionalOnProperty(name = "cumulus.rds.backup-store.type", havingValue = "s3")
  S3BackupStore s3BackupStore(RdsProperties properties) {
    return new S3BackupStore(properties.backupStore().s3());
  }

  @Bean
  MasterKey rdsMasterKey(RdsProperties properties, Environment environment) {
    return LOADER.load(properties, environment);
  }
}
