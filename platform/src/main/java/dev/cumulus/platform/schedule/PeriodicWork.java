package dev.cumulus.platform.schedule;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Background work run every {@link #interval()} while the application runs, and at once when one of
 * its {@link #wakeups()} says new work is there: one run at a time (a tick or wake-up that comes
 * during a run starts one more run after it; any further ones are dropped, since that run sees
 * their work too), and a failed run is logged as a warning while the next tick tries again. A
 * subclass names the work and says what one run does.
 */
public abstract class PeriodicWork implements SmartLifecycle {

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String description;
  private volatile Disposable running;

  /**
   * @param description what one run is, for the failure warning, e.g. {@code "TTL sweep"}
   */
  protected PeriodicWork(String description) {
    this.description = description;
  }

  /** How often a run starts. */
  protected abstract Duration interval();

  /** One run. */
  protected abstract Mono<?> runOnce();

  /** When the first run starts after {@link #start()}; one interval by default. */
  protected Duration firstRunDelay() {
    return interval();
  }

  /** Signals that start a run before the next tick (e.g. a commit of new work); none by default. */
  protected Flux<?> wakeups() {
    return Flux.never();
  }

  @Override
  public void start() {
    running =
        Flux.merge(Flux.interval(firstRunDelay(), interval()), wakeups())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    Mono.defer(this::runOnce)
                        .onErrorResume(
                            e -> {
                              log.warn("{} failed", description, e);
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
