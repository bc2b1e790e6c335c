package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.platform.crypto.OpaqueIds;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.schedule.PeriodicWork;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The RDS Data API's transactions: BeginTransaction takes a connection of the instance's pool and
 * opens a transaction on it; statements naming its id run there, one at a time; Commit/Rollback end
 * it and give the connection back. A transaction idle longer than {@code transaction-idle-timeout}
 * (the Data API's 3 minutes) is rolled back. Transactions live on the node that began them.
 */
@Component
public class DataApiTransactions extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(DataApiTransactions.class);

  private final TenantPools pools;
  private final SqlRunner runner;
  private final Duration idleTimeout;
  private final Map<String, Open> open = new ConcurrentHashMap<>();

  /**
   * An open transaction: its instance, connection, last use; {@code busy} serialises statements.
   */
  private static final class Open {
    final String serviceId;
    final Connection connection;
    volatile long lastUsed = System.nanoTime();
    final java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean();

    Open(String serviceId, Connection connection) {
      this.serviceId = serviceId;
      this.connection = connection;
    }
  }

  public DataApiTransactions(TenantPools pools, SqlRunner runner, RdsProperties properties) {
    super("Rolling back idle Data API transactions");
    this.pools = pools;
    this.runner = runner;
    this.idleTimeout = properties.limits().transactionIdleTimeout();
  }

  public Mono<String> begin(Instance instance) {
    return pools
        .pool(instance.serviceId())
        .flatMap(
            pooled ->
                Mono.from(pooled.pool().create())
                    .flatMap(
                        connection ->
                            runner
                                .begin(connection, pooled.storageExceeded(), pooled.limits())
                                .onErrorResume(
                                    e -> Mono.from(connection.close()).then(Mono.error(e)))
                                .then(
                                    Mono.fromSupplier(
                                        () -> {
                                          String id = newId();
                                          open.put(id, new Open(instance.serviceId(), connection));
                                          return id;
                                        }))))
        .onErrorMap(SqlErrors::translate);
  }

  /** Runs work on the transaction's connection; one statement at a time per transaction. */
  public <T> Mono<T> within(
      Instance instance, String transactionId, Function<Connection, Mono<T>> work) {
    return Mono.defer(
        () -> {
          Open tx = find(instance, transactionId);
          if (!tx.busy.compareAndSet(false, true)) {
            return Mono.error(
                ApiException.badRequest(
                    "Transaction " + transactionId + " is running a statement"));
          }
          tx.lastUsed = System.nanoTime();
          return work.apply(tx.connection)
              .doFinally(
                  signal -> {
                    tx.lastUsed = System.nanoTime();
                    tx.busy.set(false);
                  });
        });
  }

  public Mono<Void> commit(Instance instance, String transactionId) {
    return end(instance, transactionId, true);
  }

  public Mono<Void> rollback(Instance instance, String transactionId) {
    return end(instance, transactionId, false);
  }

  private Mono<Void> end(Instance instance, String transactionId, boolean commit) {
    return Mono.defer(
        () -> {
          Open tx = find(instance, transactionId);
          open.remove(transactionId);
          Mono<Void> ending =
              Mono.from(
                  commit ? tx.connection.commitTransaction() : tx.connection.rollbackTransaction());
          return ending
              .onErrorMap(SqlErrors::translate)
              .onErrorResume(
                  e ->
                      Mono.from(tx.connection.rollbackTransaction())
                          .onErrorResume(ignored -> Mono.empty())
                          .then(Mono.error(e)))
              .doFinally(signal -> Mono.from(tx.connection.close()).subscribe());
        });
  }

  private Open find(Instance instance, String transactionId) {
    Open tx = transactionId == null ? null : open.get(transactionId);
    if (tx == null || !tx.serviceId.equals(instance.serviceId())) {
      throw new ApiException(
          ErrorKind.NOT_FOUND,
          "Transaction " + transactionId + " is not found",
          "TransactionNotFoundException",
          null,
          Map.of(),
          null);
    }
    return tx;
  }

  /** Six checks per idle timeout, at most one a second. */
  @Override
  protected Duration interval() {
    Duration sixth = idleTimeout.dividedBy(6);
    return sixth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : sixth;
  }

  /** Rolls back transactions idle past the timeout. */
  @Override
  protected Mono<Long> runOnce() {
    return rollBackIdle(idleTimeout);
  }

  /** Rolls back transactions idle for longer than {@code idleFor}; how many. */
  public Mono<Long> rollBackIdle(Duration idleFor) {
    long now = System.nanoTime();
    return Flux.fromIterable(open.entrySet())
        .filter(e -> !e.getValue().busy.get() && now - e.getValue().lastUsed > idleFor.toNanos())
        .concatMap(
            e -> {
              Open tx = open.remove(e.getKey());
              if (tx == null) {
                return Mono.empty();
              }
              log.info("Rolling back idle Data API transaction of {}", tx.serviceId);
              return Mono.from(tx.connection.rollbackTransaction())
                  .onErrorResume(ignored -> Mono.empty())
                  .then(Mono.from(tx.connection.close()))
                  .thenReturn(1L);
            })
        .count();
  }

  private static String newId() {
    return OpaqueIds.random(24);
  }

  /** Also gives back the connections of the transactions still open. */
  @Override
  public void stop() {
    super.stop();
    open.keySet()
        .forEach(
            id -> {
              Open tx = open.remove(id);
              if (tx != null) {
                Mono.from(tx.connection.close()).subscribe();
              }
            });
  }
}
