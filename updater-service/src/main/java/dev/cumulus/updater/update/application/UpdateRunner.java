package dev.cumulus.updater.update.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.container.application.ContainerSpecs;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerStatus;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.RunSpec;
import dev.cumulus.updater.registry.application.RegistryLogins;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.domain.UpdateLog;
import dev.cumulus.updater.update.domain.UpdateStatus;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs one claimed update, health-gated: pull the new image, start it, wait for its health check,
 * then switch and stop the old container. When the new one fails, the old one is back in service
 * (it never stopped with {@code rolling}; with {@code recreate} it is renamed back and started) and
 * the update ends {@code rolled_back} with its events, so notifications and the WebSocket hear of
 * it.
 *
 * <p>{@code rolling} runs the new container beside the old one; a container that publishes host
 * ports cannot have two copies, so it is recreated instead (the update's log says so).
 */
@Component
public class UpdateRunner {

  private static final Logger log = LoggerFactory.getLogger(UpdateRunner.class);
  private static final int STOP_TIMEOUT_SECONDS = 10;
  private static final List<String> SHELL = List.of("/bin/sh", "-c");

  /** The new container's name beside the old one during a rolling update. */
  static final String CANDIDATE_SUFFIX = "-next";

  private final ContainerService containers;
  private final ContainerEngine engine;
  private final HealthGate gate;
  private final UpdateRepository updates;
  private final UpdateEvents events;
  private final TransactionalOperator tx;
  private final StalledUpdates stalled;
  private final RegistryLogins logins;

  public UpdateRunner(
      ContainerService containers,
      ContainerEngine engine,
      HealthGate gate,
      UpdateRepository updates,
      UpdateEvents events,
      TransactionalOperator tx,
      StalledUpdates stalled,
      RegistryLogins logins) {
    this.containers = containers;
    this.engine = engine;
    this.gate = gate;
    this.updates = updates;
    this.events = events;
    this.tx = tx;
    this.stalled = stalled;
    this.logins = logins;
  }

  /** How the switch ended. */
  private record Outcome(boolean healthy, boolean rolledBack, String dockerId, String reason) {}

  /** Everything one run needs to know. */
  private record Plan(
      Update update,
      Container container,
      String runImage,
      String toDigest,
      boolean rollback,
      Duration healthTimeout) {}

  /**
   * Runs the update; past {@code deadline} its work is cancelled and {@link StalledUpdates} fails
   * it and puts the previous container back, so a hung pull, hook or engine call never keeps a
   * worker slot.
   */
  public Mono<Update> run(Update update, Duration deadline) {
    return run(update).timeout(deadline, Mono.defer(() -> stalled.giveUp(update, deadline)));
  }

  private Mono<Update> run(Update update) {
    return containers
        .findAnyTenant(update.containerId())
        .flatMap(container -> start(update, container))
        .switchIfEmpty(
            Mono.defer(() -> fail(update, null, "the container no longer exists", false)))
        .onErrorResume(
            failure -> {
              log.warn("Update {} failed unexpectedly", update.id(), failure);
              return containers
                  .findAnyTenant(update.containerId())
                  .flatMap(containers::settle)
                  .then(fail(update, null, reason(failure), false));
            });
  }

  private Mono<Update> start(Update update, Container container) {
    if (container.dockerId() == null) {
      return fail(update, container, "the container has not been created yet", false);
    }
    return step(update, UpdateLog.info("Starting update process (" + update.strategy() + ")"))
        .then(
            tx.transactional(
                containers
                    .setStatus(container, ContainerStatus.UPDATING)
                    .flatMap(updating -> events.started(update).thenReturn(updating))))
        .flatMap(updating -> pull(update, updating));
  }

  private Mono<Update> pull(Update update, Container container) {
    return step(update, UpdateLog.info("Pulling " + update.toImage()))
        .then(
            logins
                .credentialsFor(update.tenantId(), ImageReference.parse(update.toImage()))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty()))
        .flatMap(login -> engine.pull(update.toImage(), login.orElse(null)))
        .flatMap(
            pulled -> {
              String toDigest = ContainerService.digestOf(update.toImage(), pulled);
              String fromDigest =
                  update.fromDigest() != null ? update.fromDigest() : container.imageDigest();
              Update known = withDigests(update, fromDigest, toDigest);
              return updates
                  .digests(update.id(), fromDigest, toDigest)
                  .then(step(update, UpdateLog.info("Pulled " + toDigest)))
                  .then(Mono.defer(() -> decide(known, container, toDigest)));
            })
        .onErrorResume(
            ApiException.class,
            pullFailed ->
                restore(container).then(fail(update, container, reason(pullFailed), false)));
  }

  private Mono<Update> decide(Update update, Container container, String toDigest) {
    boolean upToDate = toDigest != null && toDigest.equals(container.imageDigest());
    if (upToDate && !update.options().force() && !"rollback".equals(update.trigger())) {
      return step(update, UpdateLog.info("Already running " + toDigest + ": nothing to do"))
          .then(restore(container))
          .then(finish(update, UpdateStatus.COMPLETED, true, false))
          .flatMap(done -> tx.transactional(events.succeeded(done).thenReturn(done)));
    }
    String runImage =
        toDigest == null
            ? update.toImage()
            : ImageReference.parse(update.toImage()).pinned(toDigest);
    boolean rollback =
        update.options().rollbackOnFailure() != null
            ? update.options().rollbackOnFailure()
            : container.updatePolicy().rollbackOnFailure();
    int timeout =
        update.options().healthCheckTimeout() != null
            ? update.options().healthCheckTimeout()
            : container.updatePolicy().healthCheckTimeout();
    Plan plan =
        new Plan(update, container, runImage, toDigest, rollback, Duration.ofSeconds(timeout));
    return preHook(plan).flatMap(ok -> ok ? switchOver(plan) : Mono.empty());
  }

  /** The pre-update script, inside the old container; its failure cancels the update. */
  private Mono<Boolean> preHook(Plan plan) {
    String script = plan.update().options().preUpdateScript();
    if (script == null || script.isBlank()) {
      return Mono.just(true);
    }
    return step(plan.update(), UpdateLog.info("Running pre-update script"))
        .then(engine.exec(plan.container().dockerId(), shell(script), Duration.ofMinutes(5)))
        .flatMap(
            result ->
                result.succeeded()
                    ? Mono.just(true)
                    : restore(plan.container())
                        .then(
                            fail(
                                plan.update(),
                                plan.container(),
                                "pre-update script exited with " + result.exitCode(),
                                false))
                        .thenReturn(false));
  }

  private Mono<Update> switchOver(Plan plan) {
    RunSpec spec =
        ContainerSpecs.of(plan.container(), plan.runImage(), plan.container().engineName());
    boolean rolling = "rolling".equals(plan.update().strategy()) && !spec.publishesHostPorts();
    Mono<Void> note =
        "rolling".equals(plan.update().strategy()) && !rolling
            ? step(
                plan.update(),
                UpdateLog.warn("Publishes host ports: recreating instead of running side by side"))
            : Mono.empty();
    Mono<Outcome> outcome = rolling ? rolling(plan, spec) : recreate(plan, spec);
    return note.then(outcome).flatMap(result -> conclude(plan, result));
  }

  /** New beside old; the old one keeps serving until the new one is healthy. */
  private Mono<Outcome> rolling(Plan plan, RunSpec spec) {
    String oldId = plan.container().dockerId();
    String candidate = spec.name() + CANDIDATE_SUFFIX;
    return engine
        .remove(candidate)
        .then(step(plan.update(), UpdateLog.info("Starting new container beside the old one")))
        .then(engine.run(spec.withName(candidate)))
        .flatMap(
            newId ->
                healthy(plan, newId)
                    .flatMap(
                        verdict -> {
                          if (verdict.healthy() || !plan.rollback()) {
                            return step(
                                    plan.update(), UpdateLog.info("Switching to the new container"))
                                .then(engine.stop(oldId, STOP_TIMEOUT_SECONDS, false))
                                .then(engine.remove(oldId))
                                .then(engine.rename(newId, spec.name()))
                                .thenReturn(
                                    new Outcome(verdict.healthy(), false, newId, verdict.reason()));
                          }
                          return step(plan.update(), UpdateLog.info("Removing the new container"))
                              .then(engine.remove(newId))
                              .thenReturn(new Outcome(false, true, oldId, verdict.reason()));
                        }))
        .onErrorResume(
            ApiException.class,
            failed ->
                engine
                    .remove(candidate)
                    .onErrorResume(ApiException.class, e -> Mono.empty())
                    .thenReturn(new Outcome(false, true, oldId, reason(failed))));
  }

  /** Old stopped and set aside, new started in its place; the old one returns on failure. */
  private Mono<Outcome> recreate(Plan plan, RunSpec spec) {
    String oldId = plan.container().dockerId();
    String aside = spec.name() + "-previous";
    // Whatever runs under the container's name now (the failed new one) goes; the old one returns.
    Mono<Void> restoreOld =
        engine
            .remove(spec.name())
            .then(engine.rename(oldId, spec.name()))
            .then(engine.start(oldId));
    return engine
        .remove(aside)
        .then(step(plan.update(), UpdateLog.info("Stopping the old container")))
        .then(engine.stop(oldId, STOP_TIMEOUT_SECONDS, false))
        .then(engine.rename(oldId, aside))
        .then(step(plan.update(), UpdateLog.info("Starting the new container")))
        .then(
            engine
                .run(spec)
                .flatMap(
                    newId ->
                        healthy(plan, newId)
                            .flatMap(
                                verdict -> {
                                  if (verdict.healthy() || !plan.rollback()) {
                                    return step(
                                            plan.update(),
                                            UpdateLog.info("Removing the old container"))
                                        .then(engine.remove(oldId))
                                        .thenReturn(
                                            new Outcome(
                                                verdict.healthy(), false, newId, verdict.reason()));
                                  }
                                  return step(
                                          plan.update(),
                                          UpdateLog.info("Bringing the old container back"))
                                      .then(restoreOld)
                                      .thenReturn(
                                          new Outcome(false, true, oldId, verdict.reason()));
                                }))
                .onErrorResume(
                    ApiException.class,
                    failed ->
                        restoreOld.thenReturn(new Outcome(false, true, oldId, reason(failed)))));
  }

  /** The health gate, then the post-update script inside the new container. */
  private Mono<HealthGate.Verdict> healthy(Plan plan, String newId) {
    return step(plan.update(), UpdateLog.info("Waiting for the health check"))
        .then(gate.await(newId, plan.container().healthCheck(), plan.healthTimeout()))
        .flatMap(
            verdict -> {
              String script = plan.update().options().postUpdateScript();
              if (!verdict.healthy() || script == null || script.isBlank()) {
                return Mono.just(verdict);
              }
              return step(plan.update(), UpdateLog.info("Running post-update script"))
                  .then(engine.exec(newId, shell(script), Duration.ofMinutes(5)))
                  .map(
                      result ->
                          result.succeeded()
                              ? verdict
                              : new HealthGate.Verdict(
                                  false, "post-update script exited with " + result.exitCode()));
            })
        .flatMap(
            verdict ->
                containers
                    .health(plan.container().id(), verdict.healthy() ? "healthy" : "unhealthy")
                    .thenReturn(verdict));
  }

  private Mono<Update> conclude(Plan plan, Outcome outcome) {
    Update update = plan.update();
    Container container = plan.container();
    if (outcome.healthy()) {
      // A rollback pins a digest; the container keeps the tag its owner asked for.
      String image = "rollback".equals(update.trigger()) ? container.image() : update.toImage();
      return step(update, UpdateLog.info("Update completed: " + outcome.reason()))
          .then(
              tx.transactional(
                  containers
                      .replaced(container, outcome.dockerId(), image, plan.toDigest())
                      .then(finish(update, UpdateStatus.COMPLETED, true, false))
                      .flatMap(done -> events.succeeded(done).thenReturn(done))));
    }
    if (outcome.rolledBack()) {
      return step(update, UpdateLog.error("Health check failed: " + outcome.reason()))
          .then(step(update, UpdateLog.warn("Rolled back to " + update.fromDigest())))
          .then(
              tx.transactional(
                  containers
                      .setStatus(container, ContainerStatus.RUNNING)
                      .then(finish(update, UpdateStatus.ROLLED_BACK, false, true))
                      .flatMap(
                          done ->
                              events
                                  .failed(done, outcome.reason())
                                  .then(events.rolledBack(done, outcome.reason()))
                                  .thenReturn(done))));
    }
    // Rollback disabled: the new container stays, marked as failing.
    return step(update, UpdateLog.error("Health check failed: " + outcome.reason()))
        .then(
            tx.transactional(
                containers
                    .replaced(container, outcome.dockerId(), update.toImage(), plan.toDigest())
                    .flatMap(c -> containers.setStatus(c, ContainerStatus.ERROR))
                    .then(finish(update, UpdateStatus.FAILED, false, false))
                    .flatMap(done -> events.failed(done, outcome.reason()).thenReturn(done))));
  }

  private Mono<Update> fail(Update update, Container container, String reason, boolean rolled) {
    return step(update, UpdateLog.error(reason))
        .then(
            tx.transactional(
                finish(update, UpdateStatus.FAILED, false, rolled)
                    .flatMap(done -> events.failed(done, reason).thenReturn(done))));
  }

  /** The container back to its engine state after an update that changed nothing. */
  private Mono<Container> restore(Container container) {
    return containers.settle(container);
  }

  private Mono<Update> finish(Update update, String status, boolean success, boolean rolled) {
    return updates.finish(update.id(), status, success, rolled);
  }

  private Mono<Void> step(Update update, UpdateLog entry) {
    return updates.log(update.id(), entry);
  }

  private static List<String> shell(String script) {
    return java.util.stream.Stream.concat(SHELL.stream(), java.util.stream.Stream.of(script))
        .toList();
  }

  private static String reason(Throwable failure) {
    if (failure instanceof ApiException api && api.details() != null) {
      return api.getMessage() + ": " + api.details();
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private static Update withDigests(Update u, String fromDigest, String toDigest) {
    return new Update(
        u.id(),
        u.tenantId(),
        u.containerId(),
        u.containerName(),
        u.batchId(),
        u.trigger(),
        u.strategy(),
        u.status(),
        u.fromImage(),
        fromDigest,
        u.toImage(),
        toDigest,
        u.options(),
        u.scheduledAt(),
        u.startedAt(),
        u.completedAt(),
        u.success(),
        u.rolledBack(),
        u.logs(),
        u.createdAt());
  }
}
