package dev.cumulus.updater.container.application;

import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerChange;
import dev.cumulus.updater.container.domain.ContainerFilter;
import dev.cumulus.updater.container.domain.ContainerPage;
import dev.cumulus.updater.container.domain.ContainerRules;
import dev.cumulus.updater.container.domain.ContainerStatus;
import dev.cumulus.updater.container.domain.CronSchedule;
import dev.cumulus.updater.container.domain.HealthCheck;
import dev.cumulus.updater.container.domain.NewContainer;
import dev.cumulus.updater.container.domain.UpdatePolicy;
import dev.cumulus.updater.container.persistence.ContainerRepository;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.EngineContainer;
import dev.cumulus.updater.engine.domain.EngineImage;
import dev.cumulus.updater.registry.application.RegistryLogins;
import dev.cumulus.updater.registry.domain.ImageReference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Containers of a tenant: the row is the owner's record, the engine runs it. Every method takes the
 * caller's tenant and finds nothing of another tenant (a 404, not a 403: ids do not leak).
 */
@Service
public class ContainerService {

  private final ContainerRepository containers;
  private final ContainerEngine engine;
  private final ContainerEvents events;
  private final TransactionalOperator tx;
  private final RegistryLogins logins;

  public ContainerService(
      ContainerRepository containers,
      ContainerEngine engine,
      ContainerEvents events,
      TransactionalOperator tx,
      RegistryLogins logins) {
    this.containers = containers;
    this.engine = engine;
    this.events = events;
    this.tx = tx;
    this.logins = logins;
  }

  public Mono<Container> create(String tenantId, NewContainer request) {
    Map<String, List<String>> errors =
        new LinkedHashMap<>(ContainerRules.checkName(request.name()));
    ContainerRules.checkImage(request.image(), errors);
    ContainerRules.checkConfig(request.config(), errors);
    ContainerRules.checkPolicy(request.updatePolicy(), errors);
    ContainerRules.checkHealth(request.healthCheck(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation("Validation failed", errors);
    }
    String image = ImageReference.parse(request.image()).canonical();
    return containers
        .insert(
            tenantId,
            request.name(),
            image,
            request.config(),
            request.updatePolicy(),
            request.healthCheck(),
            nextCheck(request.updatePolicy()))
        .onErrorMap(
            SqlStates::isUniqueViolation,
            duplicate ->
                ApiException.conflict("A container named '" + request.name() + "' already exists"))
        .flatMap(
            row ->
                launch(row, request.startImmediately())
                    .onErrorResume(
                        failure ->
                            containers.delete(tenantId, row.id()).then(Mono.error(failure))));
  }

  /**
   * Pulls the image, creates the engine container, starts it when asked. The pull happens even when
   * the engine has the image: the engine's image store is shared, and a private image another
   * tenant pulled with its login must not run for a tenant whose own login (or none) the registry
   * would refuse (Kubernetes' AlwaysPullImages, for the same reason). A pull of an image the engine
   * has costs a manifest round trip.
   */
  private Mono<Container> launch(Container row, boolean start) {
    return logins
        .credentialsFor(row.tenantId(), ImageReference.parse(row.image()))
        .map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .flatMap(login -> engine.pull(row.image(), login.orElse(null)))
        .flatMap(
            image ->
                engine
                    .create(ContainerSpecs.of(row, row.image(), row.engineName()), false)
                    .flatMap(
                        id ->
                            (start ? engine.start(id) : Mono.<Void>empty())
                                .onErrorResume(
                                    failure -> engine.remove(id).then(Mono.error(failure)))
                                .then(
                                    Mono.defer(
                                        () ->
                                            recordLaunch(
                                                row,
                                                id,
                                                digestOf(row.image(), image),
                                                start
                                                    ? ContainerStatus.RUNNING
                                                    : ContainerStatus.STOPPED)))));
  }

  private Mono<Container> recordLaunch(
      Container row, String dockerId, String digest, String status) {
    return tx.transactional(
        containers
            .started(row.id(), dockerId, digest, status)
            .flatMap(saved -> events.stateChanged(saved, row.status()).thenReturn(saved)));
  }

  public static String digestOf(String image, EngineImage local) {
    return local.digestIn(ImageReference.parse(image).engineRepository());
  }

  public Mono<ContainerPage> list(String tenantId, ContainerFilter filter) {
    return containers.page(tenantId, filter);
  }

  public Mono<Container> find(String tenantId, long id) {
    return containers
        .find(tenantId, id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Container " + id + " not found")));
  }

  /** The container with its status read from the engine now (and recorded when it changed). */
  public Mono<Container> refreshed(String tenantId, long id) {
    return find(tenantId, id).flatMap(this::refresh);
  }

  public Mono<Container> refresh(Container c) {
    if (ContainerStatus.UPDATING.equals(c.status())) {
      return Mono.just(c); // the update sets the status when it ends
    }
    return reconcile(c);
  }

  /** Sets the status the engine reports now, whatever the recorded one. */
  public Mono<Container> reconcile(Container c) {
    if (c.dockerId() == null) {
      return Mono.just(c);
    }
    return engine
        .inspect(c.dockerId())
        .map(found -> ContainerStatus.fromEngine(found.state(), found.exitCode()))
        .defaultIfEmpty(ContainerStatus.ERROR)
        .flatMap(status -> setStatus(c, status))
        .onErrorResume(ApiException.class, engineDown -> Mono.just(c));
  }

  /**
   * After an update that ended without a switch: the status the engine reports for the container,
   * recorded even though the row still says {@code updating}.
   */
  public Mono<Container> settle(Container c) {
    return reconcile(c.withStatus(ContainerStatus.UPDATING));
  }

  /** Records a status and, when it changed, its event, in one transaction. */
  public Mono<Container> setStatus(Container c, String status) {
    if (status.equals(c.status())) {
      return Mono.just(c);
    }
    return tx.transactional(
        containers
            .status(c.id(), status)
            .flatMap(saved -> events.stateChanged(saved, c.status()).thenReturn(saved)));
  }

  public Mono<Container> change(String tenantId, long id, ContainerChange change) {
    return find(tenantId, id)
        .flatMap(
            c -> {
              var config =
                  change.config() == null
                      ? c.config()
                      : c.config().merge(change.config(), change.configFields());
              UpdatePolicy policy =
                  change.updatePolicy() == null
                      ? c.updatePolicy()
                      : c.updatePolicy().merge(change.updatePolicy());
              HealthCheck health =
                  change.healthCheck() == null ? c.healthCheck() : change.healthCheck();
              Map<String, List<String>> errors = new LinkedHashMap<>();
              ContainerRules.checkConfig(config, errors);
              ContainerRules.checkPolicy(policy, errors);
              ContainerRules.checkHealth(health, errors);
              if (!errors.isEmpty()) {
                return Mono.error(ApiException.validation("Validation failed", errors));
              }
              return containers.settings(c.id(), config, policy, health, nextCheck(policy));
            });
  }

  public Mono<Container> start(String tenantId, long id) {
    return running(tenantId, id)
        .flatMap(c -> engine.start(c.dockerId()).then(Mono.defer(() -> refresh(c))));
  }

  public Mono<Container> stop(String tenantId, long id, int timeoutSeconds, boolean force) {
    return running(tenantId, id)
        .flatMap(
            c ->
                engine
                    .stop(c.dockerId(), timeoutSeconds, force)
                    .then(Mono.defer(() -> setStatus(c, ContainerStatus.STOPPED))));
  }

  public Mono<Container> restart(String tenantId, long id, int timeoutSeconds) {
    return running(tenantId, id)
        .flatMap(
            c -> engine.restart(c.dockerId(), timeoutSeconds).then(Mono.defer(() -> refresh(c))));
  }

  /** Removes the engine container and the record. */
  public Mono<Void> delete(String tenantId, long id) {
    return find(tenantId, id)
        .flatMap(
            c ->
                (c.dockerId() == null ? Mono.<Void>empty() : engine.remove(c.dockerId()))
                    .then(
                        tx.transactional(
                            containers
                                .delete(tenantId, id)
                                .then(events.stateChanged(c.withStatus("removed"), c.status())))));
  }

  /** The engine container of a tenant's container, for logs and stats. */
  public Mono<EngineContainer> engineContainer(String tenantId, long id) {
    return running(tenantId, id)
        .flatMap(
            c ->
                engine
                    .inspect(c.dockerId())
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                ApiException.notFound(
                                    "Container " + id + " no longer exists on the engine"))));
  }

  private Mono<Container> running(String tenantId, long id) {
    return find(tenantId, id)
        .flatMap(
            c -> {
              if (ContainerStatus.UPDATING.equals(c.status())) {
                return Mono.error(ApiException.conflict("Container " + id + " is being updated"));
              }
              if (c.dockerId() == null) {
                return Mono.error(
                    ApiException.conflict("Container " + id + " is still being created"));
              }
              return Mono.just(c);
            });
  }

  // --- for the update and image features -------------------------------------------------------

  public Mono<Container> findAnyTenant(long id) {
    return containers.findAnyTenant(id);
  }

  public Flux<Container> findAll(String tenantId, List<Long> ids) {
    return containers.findAll(tenantId, ids);
  }

  public Flux<Container> usingImages(String tenantId, List<String> images) {
    return containers.usingImages(tenantId, images);
  }

  public Flux<Container> allOf(String tenantId) {
    return containers.allOf(tenantId);
  }

  /** After a successful update: the new engine container runs {@code image} at {@code digest}. */
  public Mono<Container> replaced(Container before, String dockerId, String image, String digest) {
    return containers
        .replaced(before.id(), dockerId, image, digest)
        .flatMap(saved -> events.stateChanged(saved, before.status()).thenReturn(saved));
  }

  public Mono<Container> health(long id, String healthStatus) {
    return containers.health(id, healthStatus);
  }

  /** Records the registry's newest digest of the container's image, and whether it differs. */
  public Mono<Container> latestDigest(Container c, String digest, boolean updateAvailable) {
    return containers.latest(c.id(), digest, updateAvailable);
  }

  public Flux<Container> dueChecks(Instant now, int limit) {
    return containers.dueChecks(now, limit);
  }

  /** Claims a due scheduled check for this instance; false when another one claimed it first. */
  public Mono<Boolean> claimCheck(Container c, Instant due, Instant now) {
    String cron = c.updatePolicy().schedule();
    return containers.claimCheck(c.id(), due, cron == null ? null : CronSchedule.next(cron, now));
  }

  public Mono<Instant> nextCheck(long id) {
    return containers.nextCheck(id);
  }

  private static Instant nextCheck(UpdatePolicy policy) {
    return policy.schedule() == null ? null : CronSchedule.next(policy.schedule(), Instant.now());
  }
}
