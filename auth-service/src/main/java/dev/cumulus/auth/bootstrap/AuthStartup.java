package dev.cumulus.auth.bootstrap;

import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.application.KeyRing;
import dev.cumulus.auth.session.application.RefreshTokenHousekeeping;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs once Flyway has migrated (runners come after every bean) and before readiness turns UP:
 * signing keys, then the administrator. Then keeps the key ring fresh, rotates keys when due and
 * drops long-expired refresh tokens.
 */
@Component
public class AuthStartup implements ApplicationRunner, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(AuthStartup.class);

  private final KeyRing keys;
  private final AdminBootstrap admin;
  private final RefreshTokenHousekeeping refreshTokens;
  private final Duration checkInterval;
  private volatile Disposable maintenance;

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
    maintenance =
        Flux.interval(checkInterval, checkInterval)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    keys.reload()
                        .then(keys.rotateIfDue())
                        .then(refreshTokens.deleteExpired())
                        .then()
                        .onErrorResume(
                            e -> {
                              log.warn("Signing key maintenance failed: {}", e.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void destroy() {
    if (maintenance != null) {
      maintenance.dispose();
    }
  }
}
