package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.auth.bootstrap.AdminBootstrap;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.keys.application.KeyRing;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * What two instances starting (or rotating) at once would do, run concurrently against the shared
 * database: the advisory locks leave exactly one active key and one administrator.
 */
class ConcurrentStartIT extends AuthIT {

  @Autowired KeyRing keys;
  @Autowired AdminBootstrap bootstrap;
  @Autowired DatabaseClient db;

  private long count(String sql) {
    return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
  }

  @Test
  void concurrentRotationsAndBootstrapsLeaveOneActiveKeyAndOneAdministrator() {
    Flux.range(0, 3)
        .flatMap(i -> keys.rotate(Actor.SYSTEM).subscribeOn(Schedulers.parallel()))
        .then()
        .block(Duration.ofSeconds(60));
    Flux.range(0, 3)
        .flatMap(i -> bootstrap.run().subscribeOn(Schedulers.parallel()))
        .then()
        .block(Duration.ofSeconds(60));

    assertThat(count("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL")).isEqualTo(1);
    assertThat(
            count("SELECT count(*) FROM users WHERE username = 'admin' AND tenant_id = 'default'"))
        .isEqualTo(1);
    // Every retired key stays published until its tokens have expired.
    assertThat(
            count(
                "SELECT count(*) FROM signing_keys WHERE retired_at IS NOT NULL"
                    + " AND not_after < retired_at + interval '24 hours'"))
        .isZero();
    keys.reload().block(Duration.ofSeconds(10));
    assertThat(get("/.well-known/jwks.json", null, 200).path("keys").toString())
        .contains(keys.activeKey().kid());
  }

  @Test
  void aKeyOlderThanTheRotationIntervalIsReplacedByTheScheduledCheck() {
    keys.reload().block(Duration.ofSeconds(10));
    String old = keys.activeKey().kid();
    db.sql("UPDATE signing_keys SET created_at = now() - interval '31 days' WHERE kid = :kid")
        .bind("kid", old)
        .fetch()
        .rowsUpdated()
        .block(Duration.ofSeconds(10));

    // What the maintenance tick does (default rotation interval: 30 days).
    keys.reload().then(keys.rotateIfDue()).block(Duration.ofSeconds(30));

    String current = keys.activeKey().kid();
    assertThat(current).isNotEqualTo(old);
    assertThat(get("/.well-known/jwks.json", null, 200).path("keys").toString())
        .contains(old)
        .contains(current);
    // Not due again: a second check keeps the new key.
    keys.reload().then(keys.rotateIfDue()).block(Duration.ofSeconds(30));
    assertThat(keys.activeKey().kid()).isEqualTo(current);
  }
}
