package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Deletes backups past their retention every {@code retention-sweep-interval}; nodes share it. */
@Component
public class BackupRetention implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BackupRetention.class);

  private final Backups backups;
  private final RdsProperties properties;
  private volatile Disposable running;

  public BackupRetention(Backups backups, RdsProperties properties) {
    this.backups = backups;
    this.properties = properties;
  }

  @Override
  public void start() {
    running =
        Flux.interval(properties.retentionSweepInterval())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    backups
                        .deleteExpired(100)
                        .onErrorResume(
                            e -> {
                              log.warn("Backup retention sweep failed", e);
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
