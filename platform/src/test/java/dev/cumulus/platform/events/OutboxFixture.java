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

/** An outbox wired by hand on one database, as a service would have it (no Spring context). */
final class OutboxFixture {

  final DatabaseClient db;
  final TransactionalOperator tx;

  OutboxFixture(PostgresServer pg, String database) {
    ConnectionFactory factory =
        ConnectionFactories.get(
            ConnectionFactoryOptions.parse(pg.r2dbcUrl(database).replace("r2dbc:", "r2dbc:pool:"))
                .mutate()
                .option(ConnectionFactoryOptions.USER, pg.user())
                .option(ConnectionFactoryOptions.PASSWORD, pg.password())
                .build());
    this.db = DatabaseClient.create(factory);
    this.tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
  }

  static void migrate(PostgresServer pg, String database) {
    Flyway.configure()
        .dataSource(pg.jdbcUrl(database), pg.user(), pg.password())
        .locations("classpath:db/platform")
        .load()
        .migrate();
  }

  OutboxRelay relay(EventPublisher publisher, int batchSize) {
    var settings =
        new CumulusProperties.Outbox(true, Duration.ofMillis(50), batchSize, Duration.ofDays(7));
    return new OutboxRelay(db, tx, publisher, settings);
  }
}
