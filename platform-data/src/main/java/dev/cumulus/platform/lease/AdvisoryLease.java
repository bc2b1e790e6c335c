package dev.cumulus.platform.lease;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Work that one replica at a time does, whichever replicas share the database: a PostgreSQL
 * session-level advisory lock ({@code pg_try_advisory_lock} on the hash of the lease's name), held
 * on a connection of its own while the work runs and released after it. A replica that dies while
 * holding it loses its session, and with it the lock: no lease outlives its holder, and none needs
 * a timeout. The work's own queries use other connections (no long transaction is held).
 */
public final class AdvisoryLease {

  private static final Logger log = LoggerFactory.getLogger(AdvisoryLease.class);

  /** How long releasing may take before the session is given up (and the lock with it). */
  private static final Duration UNLOCK_TIMEOUT = Duration.ofSeconds(10);

  private final ConnectionFactory connections;
  private final String name;

  /**
   * @param name the lease's name, the same on every replica (e.g. {@code storage-blob-janitor})
   */
  public AdvisoryLease(ConnectionFactory connections, String name) {
    this.connections = connections;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Runs {@code work} if no other holder has the lease; empty when another has. The lease is held
   * from before {@code work} is subscribed until it ends (completes, fails or is cancelled).
   */
  public <T> Mono<Optional<T>> runIfFree(Mono<T> work) {
    return Mono.usingWhen(
        Mono.from(connections.create()).map(Session::new),
        session ->
            call(session.connection, "pg_try_advisory_lock")
                .flatMap(
                    locked -> {
                      session.locked = locked;
                      return locked
                          ? work.map(Optional::of).defaultIfEmpty(Optional.empty())
                          : Mono.just(Optional.<T>empty());
                    }),
        this::release,
        (session, error) -> release(session),
        this::release);
  }

  /** The lease's connection, and whether it got the lock ({@code null} while that is unknown). */
  private static final class Session {
    final Connection connection;
    volatile Boolean locked;

    Session(Connection connection) {
      this.connection = connection;
    }
  }

  /**
   * Closing hands a pooled connection back to the pool, so the lock must be gone by then: when
   * unlocking fails (or the lock attempt itself ended unknown and unlocking fails), the session is
   * ended instead, which releases every lock it holds, and the pool drops the dead connection.
   */
  private Mono<Void> release(Session session) {
    if (Boolean.FALSE.equals(session.locked)) {
      return Mono.from(session.connection.close());
    }
    return unlock(session.connection, Boolean.TRUE.equals(session.locked))
        .flatMap(
            released ->
                released ? Mono.from(session.connection.close()) : discard(session.connection));
  }

  /** Whether the unlock statement ran (whatever it answered). */
  private Mono<Boolean> unlock(Connection connection, boolean expectHeld) {
    return call(connection, "pg_advisory_unlock")
        .timeout(UNLOCK_TIMEOUT)
        .map(
            released -> {
              if (!released && expectHeld) {
                log.warn("Lease {} was not held when released", name);
              }
              return true;
            })
        .onErrorResume(
            e -> {
              log.warn("Cannot release lease {}, closing its session: {}", name, e.toString());
              return Mono.just(false);
            });
  }

  /** Ends the physical session under a pooled connection, then hands the (now dead) one back. */
  static Mono<Void> discard(Connection connection) {
    Connection physical = connection;
    while (physical instanceof Wrapped<?> wrapped
        && wrapped.unwrap() instanceof Connection inner
        && inner != physical) {
      physical = inner;
    }
    Mono<Void> endSession = Mono.from(physical.close()).onErrorResume(e -> Mono.empty());
    return physical == connection
        ? endSession
        : endSession.then(Mono.from(connection.close()).onErrorResume(e -> Mono.empty()));
  }

  private Mono<Boolean> call(Connection connection, String function) {
    return Mono.from(
            connection
                .createStatement("SELECT " + function + "(hashtextextended($1, 0))")
                .bind("$1", "cumulus-lease:" + name)
                .execute())
        .flatMap(
            result ->
                Mono.from(
                    result.map((row, meta) -> Boolean.TRUE.equals(row.get(0, Boolean.class)))));
  }
}
