package dev.cumulus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cumulus.platform.config.CumulusProperties;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Start-up's database preparation against the real server. */
class DatabaseBootstrapIT {

  @Test
  void createsAMissingDatabaseOnceAndSaysWhetherAutovacuumIsOff() throws Exception {
    PostgresServer pg = TestInfrastructure.postgres();
    var settings =
        new CumulusProperties.Pg(pg.host(), pg.port(), pg.user(), pg.password(), "postgres");
    String name = PostgresServer.uniqueDatabaseName("bootstrap");
    Logger logger = (Logger) LoggerFactory.getLogger(DatabaseBootstrap.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      new DatabaseBootstrap(settings, name, Duration.ofSeconds(5)).ensureDatabase();
      new DatabaseBootstrap(settings, name, Duration.ofSeconds(5)).ensureDatabase();
    } finally {
      logger.detachAppender(logged);
    }

    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(name), pg.user(), pg.password());
        Statement s = c.createStatement();
        ResultSet autovacuum = s.executeQuery("SHOW autovacuum")) {
      autovacuum.next();
      boolean off = "off".equals(autovacuum.getString(1));
      // Whichever way this server is set, the warning says so, once per start, and only then.
      assertThat(logged.list.stream().filter(e -> e.getMessage().contains("autovacuum = off")))
          .hasSize(off ? 2 : 0);
    }
    assertThat(logged.list.stream().filter(e -> e.getFormattedMessage().startsWith("Created")))
        .hasSize(1);
  }

  @Test
  void readsTheSettingAsPostgreSqlPrintsIt() {
    assertThat(DatabaseBootstrap.autovacuumIsOff("off")).isTrue();
    assertThat(DatabaseBootstrap.autovacuumIsOff("on")).isFalse();
    assertThat(DatabaseBootstrap.autovacuumIsOff(null)).isFalse();
  }
}
