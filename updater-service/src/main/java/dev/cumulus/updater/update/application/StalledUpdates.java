package dev.cumulus.updater.update.application;

import dev.cumulus.updater.common.domain.Durations;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.EngineContainer;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.domain.UpdateLog;
import dev.cumulus.updater.update.domain.UpdateStatus;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Ends an update that ran past its deadline: a pull that never finishes, a hook that never exits,
 * an engine that stopped answering. Its work is cancelled by then; this puts the previous container
 * back under its name and running, and fails the update (which releases its lease) with its events,
 * so the worker slot is free for the next update.
 */
@Component
public class StalledUpdates {

  private static final Logger log = LoggerFactory.getLogger(StalledUpdates.class);

  /** The clean-up itself must not hang either (an engine or database still stuck). */
  static final Duration CLEAN_UP_TIMEOUT = Duration.ofMinutes(1);

  private final ContainerService containers;
  private final ContainerEngine engine;
  private final UpdateRepository updates;
  private final UpdateEvents events;
  private final TransactionalOperator tx;

  public StalledUpdates(
      ContainerService containers,
      ContainerEngine engine,
      UpdateRepository updates,
      UpdateEvents events,
      TransactionalOperator tx) {
    this.containers = containers;
    this.engine = engine;
    this.updates = updates;
    this.events = events;
    this.tx = tx;
  }

  /** Fails the update that ran for {@code ran}, restoring its previous container. */
  public Mono<Update> giveUp(Update update, Duration ran) {
    String reason = "Update timed out after " + Durations.format(ran);
    log.warn("Update {} timed out after {}: giving up", update.id(), ran);
    return containers
        .findAnyTenant(update.containerId())
        .flatMap(this::restore)
        .defaultIfEmpty(false)
        .onErrorResume(
            failure -> {
              log.warn("Update {}: restoring its container failed", update.id(), failure);
              return Mono.just(false);
            })
        .flatMap(restored -> fail(update, reason, restored))
        .timeout(CLEAN_UP_TIMEOUT);
  }

  private Mono<Update> fail(Update update, String reason, boolean restored) {
    Mono<Void> note =
        restored
            ? updates.log(update.id(), UpdateLog.warn("Previous container restored"))
            : Mono.empty();
    return updates
        .log(update.id(), UpdateLog.error(reason))
        .then(note)
        .then(
            tx.transactional(
                updates
                    .finish(update.id(), UpdateStatus.FAILED, false, restored)
                    .flatMap(
                        done ->
                            events
                                .failed(done, reason)
                                .then(restored ? events.rolledBack(done, reason) : Mono.empty())
                                .thenReturn(done))));
  }

  /**
   * The previous container back under its name and running; emits whether anything had to move.
   * When it is gone (the switch was done), the engine's state stands and the container's status
   * says so.
   */
  private Mono<Boolean> restore(Container c) {
    if (c.dockerId() == null) {
      return Mono.just(false);
    }
    return engine
        .inspect(c.dockerId())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(old -> old.isEmpty() ? Mono.just(false) : putBack(c, old.get()))
        .flatMap(moved -> containers.settle(c).thenReturn(moved));
  }

  private Mono<Boolean> putBack(Container c, EngineContainer old) {
    String name = c.engineName();
    boolean setAside = !name.equals(old.name());
    // Whatever runs beside it (rolling) or under its name (recreate) is the unfinished new one.
    Mono<Void> dropNew =
        setAside
            ? engine.remove(name).then(engine.rename(old.id(), name))
            : engine.remove(name + UpdateRunner.CANDIDATE_SUFFIX);
    return dropNew
        .then(old.running() ? Mono.<Void>empty() : engine.start(old.id()))
        .thenReturn(setAside || !old.running());
  }
}
