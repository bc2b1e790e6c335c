package dev.cumulus.updater.update.application;

import dev.cumulus.platform.schedule.PeriodicWork;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.update.config.UpdateProperties;
import dev.cumulus.updater.update.domain.ClaimedUpdate;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Each updater instance's worker: every poll interval (and at once when a request arrives here) it
 * claims due updates with a lease in PostgreSQL and runs them, and runs the due scheduled registry
 * checks it wins. Schedules live in the database, so they survive restarts, and each runs on
 * exactly one instance however many there are.
 */
@Component
public class UpdateWorker extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(UpdateWorker.class);
  private static final int CHECKS_PER_CYCLE = 20;

  private final UpdateRepository updates;
  private final ContainerService containers;
  private final UpdateRunner runner;
  private final ObjectProvider<UpdateService> service;
  private final UpdateProperties properties;
  private final Sinks.Many<Boolean> kicks = Sinks.many().multicast().directBestEffort();
  private final AtomicInteger running = new AtomicInteger();
  private final Disposable.Composite work = Disposables.composite();

  public UpdateWorker(
      UpdateRepository updates,
      ContainerService containers,
      UpdateRunner runner,
      ObjectProvider<UpdateService> service,
      UpdateProperties properties) {
    super("Update worker cycle");
    this.updates = updates;
    this.containers = containers;
    this.runner = runner;
    this.service = service;
    this.properties = properties;
  }

  /** Look for due work now rather than at the next poll. */
  public void kick() {
    kicks.tryEmitNext(true);
  }

  /** One cycle: due registry checks, then due updates. Public for tests that drive it. */
  public Mono<Void> cycle() {
    return dueChecks().then(claimAndRun());
  }

  private Mono<Void> dueChecks() {
    Instant now = Instant.now();
    return containers
        .dueChecks(now, CHECKS_PER_CYCLE)
        .concatMap(
            c ->
                containers
                    .nextCheck(c.id())
                    .flatMap(due -> containers.claimCheck(c, due, now))
                    .filter(won -> won)
                    .flatMap(won -> service.getObject().policyCheck(c))
                    .onErrorResume(
                        failure -> {
                          log.warn("Scheduled check of container {} failed", c.id(), failure);
                          return Mono.empty();
                        }))
        .then();
  }

  private Mono<Void> claimAndRun() {
    int free = properties.concurrency() - running.get();
    if (free <= 0) {
      return Mono.empty();
    }
    // PostgreSQL keeps microseconds: the lease then ends exactly where the deadline expects.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return updates
        .claimDue(properties.owner(), now, properties.leaseMargin(), free)
        .doOnNext(
            claimed -> {
              Update update = claimed.update();
              running.incrementAndGet();
              // Held only while it runs: stop() cancels it, an ended one leaves the composite.
              Disposable.Swap slot = Disposables.swap();
              work.add(slot);
              slot.update(
                  runner
                      .run(update, deadline(claimed, now))
                      .doFinally(
                          signal -> {
                            running.decrementAndGet();
                            work.remove(slot);
                          })
                      .subscribe(
                          done -> log.info("Update {} ended {}", done.id(), done.status()),
                          failure -> log.error("Update {} crashed", update.id(), failure)));
            })
        .then();
  }

  /**
   * Its health-check timeout plus {@code run-timeout}: the lease minus the rest of its margin, so
   * this instance gives up (and releases the update) before another one could take it over.
   */
  private Duration deadline(ClaimedUpdate claimed, Instant claimedAt) {
    return Duration.between(claimedAt, claimed.leaseUntil())
        .minus(properties.leaseMargin())
        .plus(properties.runTimeout());
  }

  @Override
  protected Duration interval() {
    return properties.pollInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return kicks.asFlux();
  }

  @Override
  protected Mono<Void> runOnce() {
    // One stuck cycle (a registry or database that stopped answering) must not stop the loop:
    // the next poll starts a fresh one.
    return cycle().timeout(properties.cycleTimeout());
  }

  @Override
  public void start() {
    if (properties.enabled()) {
      super.start();
    }
  }

  @Override
  public void stop() {
    super.stop();
    work.dispose();
  }
}
