package dev.cumulus.platform.lease;

import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * {@link PeriodicWork} every replica schedules and one at a time runs: at each tick a replica tries
 * the {@link AdvisoryLease}; the one that gets it runs a pass, the others skip that tick. The
 * schedule (no overlap, failures logged and retried at the next tick) is {@code PeriodicWork}'s.
 */
public class LeasedPeriodicWork extends PeriodicWork {

  private final AdvisoryLease lease;
  private final Duration initialDelay;
  private final Duration interval;
  private final Supplier<Mono<?>> pass;

  public LeasedPeriodicWork(
      AdvisoryLease lease, Duration initialDelay, Duration interval, Supplier<Mono<?>> pass) {
    super(lease.name() + " pass");
    this.lease = lease;
    this.initialDelay = initialDelay;
    this.interval = interval;
    this.pass = pass;
  }

  @Override
  protected Duration interval() {
    return interval;
  }

  @Override
  protected Duration firstRunDelay() {
    return initialDelay;
  }

  /** One pass now if this replica gets the lease; whether it did. */
  @Override
  public Mono<Boolean> runOnce() {
    return lease.runIfFree(Mono.defer(pass).then(Mono.just(true))).map(ran -> ran.isPresent());
  }
}
