package dev.cumulus.platform.events;

import dev.cumulus.platform.config.CumulusProperties;
import dev.cumulus.platform.testsupport.PostgresServer;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** An outbox wired by hand on one database, as a service would have it (no Spring context). */
public final class OutboxFixture {

  public final DatabaseClient db;
  public final TransactionalOperator tx;
  final OutboxSignal signal = new OutboxSignal();

  public OutboxFixture(PostgresServer pg, String database) {
    ConnectionFactory factory =
        ConnectionFactories.get(
            pg.r2dbcOptions(database)
                // r2dbc:pool:postgresql://…: pooled, as the services run.
                .option(ConnectionFactoryOptions.DRIVER, "pool")
                .option(ConnectionFactoryOptions.PROTOCOL, "postgresql")
                .build());
    this.db = DatabaseClient.create(factory);
    this.tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
  }

  public static void migrate(PostgresServer pg, String database) {
    Flyway.configure()
        .dataSource(pg.jdbcUrl(database), pg.user(), pg.password())
        .locations("classpath:db/platform")
        .load()
        .migrate();
  }

  public Outbox outbox(String service) {
    return new Outbox(db, JsonMapper.builder().build(), service, signal);
  }

  OutboxRelay relay(EventPublisher publisher, int batchSize) {
    return relay(publisher, batchSize, Duration.ofMillis(50));
  }

  OutboxRelay relay(EventPublisher publisher, int batchSize, Duration pollInterval) {
    return relay(publisher, batchSize, pollInterval, Duration.ofMillis(20));
  }

  OutboxRelay relay(
      EventPublisher publisher, int batchSize, Duration pollInterval, Duration batchWindow) {
    var settings =
        new CumulusProperties.Outbox(
            true, pollInterval, batchWindow, batchSize, Duration.ofDays(7));
    return new OutboxRelay(db, tx, publisher, settings, signal);
  }
}
