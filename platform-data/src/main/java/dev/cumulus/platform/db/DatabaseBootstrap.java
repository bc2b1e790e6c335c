package dev.cumulus.platform.db;

import dev.cumulus.platform.config.CumulusProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure this service's database exists before Flyway migrates it: waits for the server to
 * answer, then creates the database when missing and closes it to {@code PUBLIC}. Plain JDBC, at
 * start-up only.
 */
public class DatabaseBootstrap {

  private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final String DUPLICATE_DATABASE = "42P04";
  // "tuple concurrently updated": another replica changed the same database's ACL meanwhile.
  private static final String CONCURRENT_UPDATE = "XX000";

  private final CumulusProperties.Pg pg;
  private final String database;
  private final Duration startupWait;

  public DatabaseBootstrap(CumulusProperties.Pg pg, String database, Duration startupWait) {
    if (database == null || !SAFE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "cumulus.database.name must match " + SAFE_NAME + " but was: " + database);
    }
    this.pg = pg;
    this.database = database;
    this.startupWait = startupWait;
  }

  /**
   * Creates the database if it does not exist yet and revokes {@code PUBLIC}'s CONNECT on it; safe
   * when replicas race to do it.
   */
  public void ensureDatabase() {
    try (Connection connection = connectWithRetry()) {
      warnIfAutovacuumIsOff(connection);
      if (!exists(connection)) {
        create(connection);
      }
      revokePublicConnect(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare database " + database, e);
    }
  }

  private void create(Connection connection) throws SQLException {
    try (Statement create = connection.createStatement()) {
      create.execute("CREATE DATABASE \"" + database + "\"");
      log.info("Created database {} on {}:{}", database, pg.host(), pg.port());
    } catch (SQLException e) {
      // Another replica created it between our check and our CREATE.
      if (!DUPLICATE_DATABASE.equals(e.getSQLState())
          && !SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  /**
   * PostgreSQL lets every role ({@code PUBLIC}) connect to a new database: on a server that also
   * holds tenants' databases (rdsdatabase instances), a tenant's role could connect to this one and
   * list its tables. The owner and superusers keep CONNECT; so does a role granted it explicitly.
   * Done at every start, so a database made before this rule is closed too, but only while PUBLIC
   * still has it: concurrent GRANT/REVOKE on one database can fail with "tuple concurrently
   * updated", hence a replica that loses that race checks again instead of failing.
   */
  private void revokePublicConnect(Connection connection) throws SQLException {
    for (int attempt = 1; attempt <= 3 && publicMayConnect(connection); attempt++) {
      try (Statement revoke = connection.createStatement()) {
        revoke.execute("REVOKE CONNECT ON DATABASE \"" + database + "\" FROM PUBLIC");
        SQLWarning warning = revoke.getWarnings();
        if (warning != null) {
          // Neither owner nor superuser: PostgreSQL warns and changes nothing. Not ours to fix.
          log.warn(
              "Cannot revoke CONNECT on database {} from PUBLIC ({}): every role of the server"
                  + " may connect to it",
              database,
              warning.getMessage());
          return;
        }
      } catch (SQLException e) {
        if (attempt == 3 || !CONCURRENT_UPDATE.equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }

  private boolean publicMayConnect(Connection connection) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT has_database_privilege('public', ?, 'CONNECT')")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }

  /**
   * Cumulus updates and deletes rows all day (the outbox, object versions): without autovacuum
   * their dead versions pile up, indexes bloat and planner statistics go stale, which slows every
   * service down over days. The server's setting is the operator's; this only says so.
   */
  private void warnIfAutovacuumIsOff(Connection connection) throws SQLException {
    try (Statement show = connection.createStatement();
        ResultSet setting = show.executeQuery("SHOW autovacuum")) {
      if (setting.next() && autovacuumIsOff(setting.getString(1))) {
        log.warn(
            "PostgreSQL at {}:{} runs with autovacuum = off: dead rows of the outbox and object"
                + " versions will pile up and plans go stale; Cumulus expects autovacuum on",
            pg.host(),
            pg.port());
      }
    }
  }

  static boolean autovacuumIsOff(String setting) {
    return setting != null && setting.trim().equalsIgnoreCase("off");
  }

  private boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private Connection connectWithRetry() throws SQLException {
    String url = pg.jdbcUrl(pg.maintenanceDatabase());
    Instant deadline = Instant.now().plus(startupWait);
    while (true) {
      try {
        return DriverManager.getConnection(url, pg.user(), pg.password());
      } catch (SQLException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        log.warn(
            "PostgreSQL at {}:{} not answering yet ({}); retrying",
            pg.host(),
            pg.port(),
            e.getMessage());
        sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
    }
  }
}
