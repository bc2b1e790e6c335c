package dev.cumulus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cumulus.platform.config.CumulusProperties;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
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
  void closesItsDatabaseToPublicNewOrMadeBeforeAndItsOwnerStillConnects() throws Exception {
    PostgresServer pg = TestInfrastructure.postgres();
    var settings =
        new CumulusProperties.Pg(pg.host(), pg.port(), pg.user(), pg.password(), "postgres");
    String fresh = PostgresServer.uniqueDatabaseName("bootstrap");
    String older = pg.createDatabase("bootstrap"); // as an earlier bootstrap left it: PUBLIC may
    String outsider = "bootstrap_outsider_" + fresh.substring(fresh.length() - 8);
    try (Connection admin =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + outsider + " LOGIN PASSWORD 'outsider-pw'");
      try {
        assertThat(publicMayConnect(s, older)).isTrue();

        new DatabaseBootstrap(settings, fresh, Duration.ofSeconds(5)).ensureDatabase();
        new DatabaseBootstrap(settings, older, Duration.ofSeconds(5)).ensureDatabase();

        for (String database : new String[] {fresh, older}) {
          assertThat(publicMayConnect(s, database)).as(database).isFalse();
          // Any other role is refused by the server itself (a tenant's rds_* role, say) ...
          assertThatThrownBy(
                  () -> DriverManager.getConnection(pg.jdbcUrl(database), outsider, "outsider-pw"))
              .as("an outsider connecting to " + database)
              .isInstanceOfSatisfying(
                  SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
          // ... while the service's own login still connects.
          try (Connection own =
              DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password())) {
            assertThat(own.isValid(2)).isTrue();
          }
        }
        // A later start finds nothing left to do and does not fail.
        new DatabaseBootstrap(settings, fresh, Duration.ofSeconds(5)).ensureDatabase();
        assertThat(publicMayConnect(s, fresh)).isFalse();
      } finally {
        s.execute("DROP DATABASE IF EXISTS \"" + fresh + "\" WITH (FORCE)");
        s.execute("DROP DATABASE IF EXISTS \"" + older + "\" WITH (FORCE)");
        s.execute("DROP ROLE IF EXISTS " + outsider);
      }
    }
  }

  private static boolean publicMayConnect(Statement s, String database) throws SQLException {
    try (ResultSet r =
        s.executeQuery("SELECT has_database_privilege('public', '" + database + "', 'CONNECT')")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  @Test
  void readsTheSettingAsPostgreSqlPrintsIt() {
    assertThat(DatabaseBootstrap.autovacuumIsOff("off")).isTrue();
    assertThat(DatabaseBootstrap.autovacuumIsOff("on")).isFalse();
    assertThat(DatabaseBootstrap.autovacuumIsOff(null)).isFalse();
  }
}
