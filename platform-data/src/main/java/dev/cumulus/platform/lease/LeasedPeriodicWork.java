package dev.cumulus.platform.lease;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Background work every replica schedules and one at a time runs: after {@code initialDelay} and
 * then every {@code interval}, each replica tries the {@link AdvisoryLease}; the one that gets it
 * runs a pass, the others skip that tick. A pass that outlasts the interval makes the next tick
 * wait, never overlap; a failed pass is logged and the schedule goes on.
 */
public class LeasedPeriodicWork implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LeasedPeriodicWork.class);

  private final AdvisoryLease lease;
  private final Duration initialDelay;
  private final Duration interval;
  private final Supplier<Mono<?>> pass;
  private Disposable passes;

  public LeasedPeriodicWork(
      AdvisoryLease lease, Duration initialDelay, Duration interval, Supplier<Mono<?>> pass) {
    this.lease = lease;
    this.initialDelay = initialDelay;
    this.interval = interval;
    this.pass = pass;
  }

  /** One pass now if this replica gets the lease; whether it did. */
  public Mono<Boolean> runOnce() {
    return lease.runIfFree(Mono.defer(pass).then(Mono.just(true))).map(ran -> ran.isPresent());
  }

  @Override
  public synchronized void start() {
    if (passes != null) {
      return;
    }
    passes =
        Flux.interval(initialDelay, interval)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    runOnce()
                        .onErrorResume(
                            e -> {
                              log.warn("{} pass failed: {}", lease.name(), e.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public synchronized void stop() {
    if (passes != null) {
      passes.dispose();
      passes = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return passes != null;
  }
}
