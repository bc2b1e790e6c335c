package dev.cumulus.platform.lease;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
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
        Mono.from(connections.create()),
        connection ->
            call(connection, "pg_try_advisory_lock")
                .flatMap(
                    locked ->
                        locked
                            ? work.map(Optional::of)
                                .defaultIfEmpty(Optional.empty())
                                .flatMap(result -> unlock(connection).thenReturn(result))
                                .onErrorResume(
                                    e -> unlock(connection).then(Mono.<Optional<T>>error(e)))
                            : Mono.just(Optional.<T>empty())),
        // Closing hands a pooled connection back: the lock must be gone by then. If unlocking
        // failed, the session is most likely broken, and its lock went with it.
        connection -> Mono.from(connection.close()),
        (connection, error) -> Mono.from(connection.close()),
        connection -> unlock(connection).then(Mono.from(connection.close())));
  }

  private Mono<Void> unlock(Connection connection) {
    return call(connection, "pg_advisory_unlock")
        .doOnNext(
            released -> {
              if (!released) {
                log.warn("Lease {} was not held when released", name);
              }
            })
        .onErrorResume(
            e -> {
              log.warn("Cannot release lease {}: {}", name, e.toString());
              return Mono.empty();
            })
        .then();
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
