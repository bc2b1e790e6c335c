package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The administrative connection to the server holding tenants' databases: creates and drops roles
 * and databases. Never runs a tenant's SQL. Statements go one at a time outside a transaction
 * (CREATE DATABASE refuses to run inside one), so each step must be idempotent.
 */
@Component
public class AdminServer implements DisposableBean {

  private final ConnectionPool pool;

  public AdminServer(RdsProperties properties) {
    RdsProperties.Admin admin = properties.admin();
    PostgresqlConnectionConfiguration.Builder config =
        PostgresqlConnectionConfiguration.builder()
            .host(admin.host())
            .port(admin.port())
            .username(admin.user())
            .database(admin.database())
            .applicationName("cumulus-rds-admin");
    if (admin.password() != null && !admin.password().isEmpty()) {
      config.password(admin.password());
    }
    this.pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config.build()))
                .initialSize(0)
                .maxSize(2)
                .maxIdleTime(Duration.ofMinutes(2))
                .build());
  }

  /** Runs statements in order, each on its own (autocommit). */
  public Mono<Void> execute(String... statements) {
    return Mono.usingWhen(
        pool.create(),
        connection ->
            Flux.fromArray(statements)
                .concatMap(sql -> Flux.from(connection.createStatement(sql).execute()))
                .concatMap(result -> result.getRowsUpdated())
                .then(),
        Connection::close);
  }

  /** Whether a query with one text parameter returns a row. */
  public Mono<Boolean> exists(String query, String parameter) {
    return Mono.usingWhen(
        pool.create(),
        connection ->
            Flux.from(connection.createStatement(query).bind("$1", parameter).execute())
                .concatMap(result -> result.map((row, meta) -> 1))
                .hasElements(),
        Connection::close);
  }

  /** The first column (a number) of the first row of a query with one text parameter. */
  public Mono<Long> number(String query, String parameter) {
    return Mono.usingWhen(
        pool.create(),
        connection ->
            Flux.from(connection.createStatement(query).bind("$1", parameter).execute())
                .concatMap(result -> result.map((row, meta) -> row.get(0, Long.class)))
                .next(),
        Connection::close);
  }

  /** The text first column of every row of a query without parameters. */
  public Flux<String> strings(String query) {
    return Flux.usingWhen(
        pool.create(),
        connection ->
            Flux.from(connection.createStatement(query).execute())
                .concatMap(result -> result.map((row, meta) -> row.get(0, String.class))),
        Connection::close);
  }

  @Override
  public void destroy() {
    pool.dispose();
  }
}
