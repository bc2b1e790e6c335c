package dev.cumulus.auth.bootstrap;

import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.application.KeyRing;
import dev.cumulus.auth.session.application.RefreshTokenHousekeeping;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs once Flyway has migrated (runners come after every bean) and before readiness turns UP:
 * signing keys, then the administrator. Then keeps the key ring fresh, rotates keys when due and
 * drops long-expired refresh tokens.
 */
@Component
public class AuthStartup implements ApplicationRunner, DisposableBean {

  private final KeyRing keys;
  private final AdminBootstrap admin;
  private final RefreshTokenHousekeeping refreshTokens;
  private final Duration checkInterval;
  private volatile KeyMaintenance maintenance;

  public AuthStartup(
      KeyRing keys,
      AdminBootstrap admin,
      RefreshTokenHousekeeping refreshTokens,
      AuthProperties properties) {
    this.keys = keys;
    this.admin = admin;
    this.refreshTokens = refreshTokens;
    this.checkInterval = properties.keys().checkInterval();
  }

  @Override
  public void run(ApplicationArguments args) {
    // Start-up is the one place blocking is fine: nothing is served until this is done.
    keys.initialise().then(admin.run()).block(Duration.ofMinutes(2));
    // Started here rather than as a lifecycle bean: no rotation may race the first key's creation.
    KeyMaintenance started = new KeyMaintenance(keys, refreshTokens, checkInterval);
    started.start();
    maintenance = started;
  }

  @Override
  public void destroy() {
    KeyMaintenance running = maintenance;
    if (running != null) {
      running.stop();
    }
  }

  /** Every check interval: other instances' keys reloaded, a due rotation, old tokens dropped. */
  static final class KeyMaintenance extends PeriodicWork {

    private final KeyRing keys;
    private final RefreshTokenHousekeeping refreshTokens;
    private final Duration interval;

    KeyMaintenance(KeyRing keys, RefreshTokenHousekeeping refreshTokens, Duration interval) {
      super("Signing key maintenance");
      this.keys = keys;
      this.refreshTokens = refreshTokens;
      this.interval = interval;
    }

    @Override
    protected Duration interval() {
      return interval;
    }

    @Override
    protected Mono<?> runOnce() {
      return keys.reload().then(keys.rotateIfDue()).then(refreshTokens.deleteExpired());
    }
  }
}
