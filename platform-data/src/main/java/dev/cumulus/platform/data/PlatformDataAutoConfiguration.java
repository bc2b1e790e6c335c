package dev.cumulus.platform.data;

import dev.cumulus.platform.config.CumulusProperties;
import dev.cumulus.platform.db.DatabaseBootstrap;
import dev.cumulus.platform.db.PlatformFlywayMigrationStrategy;
import dev.cumulus.platform.events.EventPublisher;
import dev.cumulus.platform.events.EventTypes;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.KafkaEventPublisher;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.OutboxRelay;
import dev.cumulus.platform.events.OutboxSignal;
import dev.cumulus.platform.health.KafkaHealthIndicator;
import dev.cumulus.platform.instance.InstanceConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.ObjectMapper;

/**
 * What a domain service adds to the platform: its own database (created, then the platform's and
 * its own Flyway migrations), Kafka readiness and the outbox publisher, the outbox and inbox, and
 * the instance registry of a service that hosts seed 000 instances.
 */
@AutoConfiguration(
    after = {R2dbcAutoConfiguration.class, R2dbcTransactionManagerAutoConfiguration.class})
public class PlatformDataAutoConfiguration {

  /** Database creation and platform migrations ahead of the service's own Flyway migrations. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(FlywayMigrationStrategy.class)
  @ConditionalOnProperty("cumulus.database.name")
  static class DatabaseStartup {

    @Bean
    DatabaseBootstrap databaseBootstrap(CumulusProperties properties) {
      return new DatabaseBootstrap(
          properties.pg(), properties.database().name(), properties.database().startupWait());
    }

    @Bean
    @ConditionalOnMissingBean
    FlywayMigrationStrategy platformFlywayMigrationStrategy(DatabaseBootstrap bootstrap) {
      return new PlatformFlywayMigrationStrategy(bootstrap);
    }
  }

  /** Kafka connectivity: readiness health and the outbox publisher. */
  @Configuration(proxyBeanMethods = false)
  static class KafkaConnectivity {

    @Bean(destroyMethod = "close")
    Admin cumulusKafkaAdmin(
        CumulusProperties properties, @Value("${spring.application.name}") String app) {
      return Admin.create(
          Map.of(
              AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
              properties.kafka().bootstrapServers(),
              AdminClientConfig.CLIENT_ID_CONFIG,
              app + "-health",
              // Quiet, slow reconnects while the broker is away.
              AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
              10_000));
    }

    @Bean(name = "kafka")
    KafkaHealthIndicator kafkaHealthIndicator(Admin cumulusKafkaAdmin) {
      return new KafkaHealthIndicator(cumulusKafkaAdmin, Duration.ofSeconds(2));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EventPublisher.class)
    KafkaEventPublisher kafkaEventPublisher(
        CumulusProperties properties, @Value("${spring.application.name}") String app) {
      return KafkaEventPublisher.connect(properties.kafka().bootstrapServers(), app + "-outbox");
    }
  }

  /** Transactional outbox and idempotent-consumer inbox on the service's database. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(ConnectionFactory.class)
  @Import(InstanceConfiguration.class)
  static class Events {

    @Bean
    @ConditionalOnMissingBean
    DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
      return DatabaseClient.create(connectionFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
      return TransactionalOperator.create(transactions);
    }

    @Bean
    OutboxSignal outboxSignal() {
      return new OutboxSignal();
    }

    @Bean
    Outbox outbox(
        DatabaseClient db,
        ObjectMapper json,
        OutboxSignal signal,
        @Value("${spring.application.name}") String app) {
      return new Outbox(db, json, EventTypes.serviceName(app), signal);
    }

    @Bean
    Inbox inbox(DatabaseClient db, TransactionalOperator tx) {
      return new Inbox(db, tx);
    }

    @Bean
    @ConditionalOnProperty(value = "cumulus.outbox.enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(
        DatabaseClient db,
        TransactionalOperator tx,
        EventPublisher publisher,
        CumulusProperties properties,
        OutboxSignal signal) {
      return new OutboxRelay(db, tx, publisher, properties.outbox(), signal);
    }
  }
}
