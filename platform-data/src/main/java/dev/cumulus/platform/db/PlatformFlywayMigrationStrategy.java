package dev.cumulus.platform.db;

import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Start-up migration: create the service's database if missing, migrate the platform's own tables
 * (outbox, inbox) with their own history table, then the service's migrations. Keeping the two
 * histories apart lets platform and services number their migrations independently.
 */
public class PlatformFlywayMigrationStrategy implements FlywayMigrationStrategy {

  static final String PLATFORM_LOCATION = "classpath:db/platform";
  static final String PLATFORM_HISTORY_TABLE = "cumulus_platform_schema_history";

  private final DatabaseBootstrap bootstrap;

  public PlatformFlywayMigrationStrategy(DatabaseBootstrap bootstrap) {
    this.bootstrap = bootstrap;
  }

  @Override
  public void migrate(Flyway serviceFlyway) {
    bootstrap.ensureDatabase();
    Flyway.configure()
        .dataSource(serviceFlyway.getConfiguration().getDataSource())
        .locations(PLATFORM_LOCATION)
        .table(PLATFORM_HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    serviceFlyway.migrate();
  }
}
