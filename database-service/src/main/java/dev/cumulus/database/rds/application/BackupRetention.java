package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Deletes backups past their retention every {@code retention-sweep-interval}; nodes share it. */
@Component
public class BackupRetention extends PeriodicWork {

  private final Backups backups;
  private final RdsProperties properties;

  public BackupRetention(Backups backups, RdsProperties properties) {
    super("Backup retention sweep");
    this.backups = backups;
    this.properties = properties;
  }

  @Override
  protected Duration interval() {
    return properties.retentionSweepInterval();
  }

  @Override
  protected Mono<?> runOnce() {
    return backups.deleteExpired(100);
  }
}
