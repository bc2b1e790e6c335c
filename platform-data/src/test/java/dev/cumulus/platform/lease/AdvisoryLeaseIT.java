package dev.cumulus.platform.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The advisory lease on a real database, through a pool of one connection as services use it. */
class AdvisoryLeaseIT {

  static final Duration WAIT = Duration.ofSeconds(10);

  private final PostgresServer pg = TestInfrastructure.postgres();
  private final AtomicBoolean unlockFails = new AtomicBoolean();
  private ConnectionPool pool;
  private ConnectionFactory leases;
  private DatabaseClient observer;
  private ConnectionFactory direct;
  private String database;

  @BeforeEach
  void pool() {
    database = pg.createDatabase("advisory_lease");
    direct = ConnectionFactories.get(pg.r2dbcOptions(database).build());
    pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(direct).initialSize(1).maxSize(1).build());
    leases = failingUnlocks(pool);
    observer = DatabaseClient.create(direct);
  }

  @AfterEach
  void close() {
    pool.dispose();
  }

  @Test
  void oneHolderAtATimeAndFreeAgainAfterIt() throws Exception {
    AdvisoryLease lease = new AdvisoryLease(leases, "test-lease");
    AdvisoryLease other = new AdvisoryLease(direct, "test-lease");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Disposable holder =
        other
            .runIfFree(
                Mono.fromRunnable(held::countDown)
                    .then(
                        Mono.fromCallable(() -> release.await(20, TimeUnit.SECONDS))
                            .subscribeOn(Schedulers.boundedElastic())))
            .subscribe();
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lease.runIfFree(Mono.just(1)).block(WAIT)).isEmpty();
    assertThat(new LeasedPeriodicWork(lease, WAIT, WAIT, () -> Mono.just(1)).runOnce().block(WAIT))
        .isFalse();
    release.countDown();
    awaitAdvisoryLocks(0);
    assertThat(lease.runIfFree(Mono.just(1)).block(WAIT)).contains(1);
    holder.dispose();
  }

  @Test
  void aFailedUnlockEndsTheSessionInsteadOfPoolingItWithTheLock() throws Exception {
    AdvisoryLease lease = new AdvisoryLease(leases, "test-lease");
    unlockFails.set(true);
    assertThat(lease.runIfFree(Mono.just(1)).block(WAIT)).contains(1);
    // The session (healthy, but its unlock failed) was ended: its lock went with it...
    awaitAdvisoryLocks(0);
    unlockFails.set(false);
    // ...and the pool of one replaced the dead connection: the lease is free for the next pass.
    assertThat(lease.runIfFree(Mono.just(2)).block(WAIT)).contains(2);
    assertThat(lease.runIfFree(Mono.just(3)).block(WAIT)).contains(3);
    awaitAdvisoryLocks(0);
  }

  @Test
  void leasedWorkRunsOnItsScheduleAndKeepsGoingAfterAFailedPass() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    LeasedPeriodicWork work =
        new LeasedPeriodicWork(
            new AdvisoryLease(leases, "test-work"),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            () ->
                passes.incrementAndGet() == 1
                    ? Mono.error(new IllegalStateException("first pass fails"))
                    : Mono.empty());
    work.start();
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (passes.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(passes.get()).isGreaterThanOrEqualTo(3);
    } finally {
      work.stop();
    }
    assertThat(work.isRunning()).isFalse();
  }

  void awaitAdvisoryLocks(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long count;
    while ((count = advisoryLocks()) != expected) {
      assertThat(System.nanoTime())
          .as("%d advisory locks, not %d", count, expected)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  long advisoryLocks() {
    return observer
        .sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        .map(row -> row.get(0, Long.class))
        .one()
        .block(WAIT);
  }

  /**
   * The pool's connections, whose unlock statement fails (a timeout) while {@link #unlockFails}.
   */
  private ConnectionFactory failingUnlocks(ConnectionFactory pooled) {
    return new ConnectionFactory() {
      @Override
      public Publisher<? extends Connection> create() {
        return Mono.from(pooled.create()).map(AdvisoryLeaseIT.this::failingUnlock);
      }

      @Override
      public ConnectionFactoryMetadata getMetadata() {
        return pooled.getMetadata();
      }
    };
  }

  private Connection failingUnlock(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class, Wrapped.class},
            (proxy, method, args) -> {
              if (method.getName().equals("unwrap")) {
                return connection;
              }
              if (method.getName().equals("createStatement")
                  && unlockFails.get()
                  && ((String) args[0]).contains("pg_advisory_unlock")) {
                return failingStatement();
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Statement failingStatement() {
    return (Statement)
        Proxy.newProxyInstance(
            AdvisoryLeaseIT.class.getClassLoader(),
            new Class<?>[] {Statement.class},
            (proxy, method, args) ->
                method.getName().equals("execute")
                    ? Mono.error(new R2dbcTimeoutException("unlock timed out"))
                    : proxy);
  }
}
