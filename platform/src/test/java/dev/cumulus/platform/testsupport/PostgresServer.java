package dev.cumulus.platform.testsupport;

import io.r2dbc.spi.ConnectionFactoryOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A reachable PostgreSQL server on which tests create throw-away databases. */
public record PostgresServer(String host, int port, String user, String password) {

  /** Parses {@code postgresql://user[:password]@host[:port][/db]}. */
  static PostgresServer fromUrl(String url) {
    URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
    String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
    String[] credentials = userInfo.split(":", 2);
    return new PostgresServer(
        uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        credentials[0],
        credentials.length > 1 ? credentials[1] : "");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** R2DBC connection options for the database, with this server's credentials. */
  public ConnectionFactoryOptions.Builder r2dbcOptions(String database) {
    return ConnectionFactoryOptions.parse(r2dbcUrl(database))
        .mutate()
        .option(ConnectionFactoryOptions.USER, user)
        .option(ConnectionFactoryOptions.PASSWORD, password);
  }

  /** Creates an empty database with a unique name and returns its name. */
  public String createDatabase(String prefix) {
    String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + name, e);
    }
  }

  /** A name for a database the code under test must create itself. */
  public static String uniqueDatabaseName(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
  }
}
