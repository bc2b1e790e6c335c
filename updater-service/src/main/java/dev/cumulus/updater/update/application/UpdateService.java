package dev.cumulus.updater.update.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerRules;
import dev.cumulus.updater.image.application.ImageCheck;
import dev.cumulus.updater.image.application.ImageService;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.update.domain.BatchRequest;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.domain.UpdateFilter;
import dev.cumulus.updater.update.domain.UpdateLog;
import dev.cumulus.updater.update.domain.UpdateOptions;
import dev.cumulus.updater.update.domain.UpdatePage;
import dev.cumulus.updater.update.domain.UpdateRequest;
import dev.cumulus.updater.update.domain.UpdateStatus;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Asking for updates: now, at a time, in batches, after approval, or back to an earlier digest.
 * Every request becomes a row in {@code updates}; the {@link UpdateWorker} of whichever instance
 * claims it runs it.
 */
@Service
public class UpdateService {

  private static final Set<String> STRATEGIES = Set.of("rolling", "recreate");

  private final UpdateRepository updates;
  private final ContainerService containers;
  private final ImageService images;
  private final UpdateEvents events;
  private final UpdateWorker worker;
  private final TransactionalOperator tx;

  public UpdateService(
      UpdateRepository updates,
      ContainerService containers,
      ImageService images,
      UpdateEvents events,
      UpdateWorker worker,
      TransactionalOperator tx) {
    this.updates = updates;
    this.containers = containers;
    this.images = images;
    this.events = events;
    this.worker = worker;
    this.tx = tx;
  }

  public Mono<Update> request(String tenantId, long containerId, UpdateRequest request) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    checkStrategy(request.strategy(), errors);
    if (request.image() != null) {
      ContainerRules.checkImage(request.image(), errors);
    }
    if (!errors.isEmpty()) {
      return Mono.error(ApiException.validation("Validation failed", errors));
    }
    return containers
        .find(tenantId, containerId)
        .flatMap(
            c ->
                updates
                    .hasOpen(c.id())
                    .flatMap(
                        open ->
                            open
                                ? Mono.error(
                                    ApiException.conflict(
                                        "Container "
                                            + c.id()
                                            + " already has an update pending or running"))
                                : insert(
                                    c,
                                    null,
                                    "manual",
                                    strategy(request.strategy(), c),
                                    request.image() == null
                                        ? c.image()
                                        : ImageReference.parse(request.image()).canonical(),
                                    request.scheduledAt(),
                                    options(request.options()),
                                    UpdateStatus.PENDING)))
        .doOnNext(u -> worker.kick());
  }

  /** One update per named container and per container running a named image, in one batch. */
  public Mono<List<Update>> schedule(String tenantId, BatchRequest request) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    checkStrategy(request.strategy(), errors);
    boolean none =
        (request.containerIds() == null || request.containerIds().isEmpty())
            && (request.images() == null || request.images().isEmpty());
    if (none) {
      errors.put("container_ids", List.of("name at least one container (or images)"));
    }
    if (request.options() != null
        && request.options().healthCheckTimeout() != null
        && (request.options().healthCheckTimeout() < 1
            || request.options().healthCheckTimeout() > 3600)) {
      errors.put("options.health_check_timeout", List.of("must be 1-3600 seconds"));
    }
    if (!errors.isEmpty()) {
      return Mono.error(ApiException.validation("Validation failed", errors));
    }
    List<Long> ids = request.containerIds() == null ? List.of() : request.containerIds();
    List<String> imageList =
        request.images() == null
            ? List.of()
            : request.images().stream().map(i -> ImageReference.parse(i).canonical()).toList();
    UUID batch = UUID.randomUUID();
    Mono<List<Container>> named =
        containers
            .findAll(tenantId, ids)
            .collectList()
            .flatMap(
                found -> {
                  Set<Long> missing = new LinkedHashSet<>(ids);
                  found.forEach(c -> missing.remove(c.id()));
                  return missing.isEmpty()
                      ? Mono.just(found)
                      : Mono.error(ApiException.notFound("Containers not found: " + missing));
                });
    Mono<List<Container>> byImage =
        imageList.isEmpty()
            ? Mono.just(List.of())
            : containers.usingImages(tenantId, imageList).collectList();
    return Mono.zip(named, byImage)
        .flatMap(
            both -> {
              Map<Long, Container> targets = new LinkedHashMap<>();
              both.getT1().forEach(c -> targets.put(c.id(), c));
              both.getT2().forEach(c -> targets.put(c.id(), c));
              return tx.transactional(
                  Flux.fromIterable(targets.values())
                      .concatMap(
                          c ->
                              insert(
                                  c,
                                  batch,
                                  "schedule",
                                  strategy(request.strategy(), c),
                                  c.image(),
                                  request.scheduledAt(),
                                  options(request.options()),
                                  UpdateStatus.PENDING))
                      .collectList());
            })
        .doOnNext(list -> worker.kick());
  }

  public Mono<UpdatePage> list(String tenantId, UpdateFilter filter) {
    return updates.page(tenantId, filter);
  }

  public Mono<Update> find(String tenantId, UUID id) {
    return updates
        .find(tenantId, id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Update " + id + " not found")));
  }

  /** Approve-before-update: a waiting update may now run. */
  public Mono<Update> approve(String tenantId, UUID id) {
    return find(tenantId, id)
        .flatMap(
            u ->
                updates
                    .transition(tenantId, id, UpdateStatus.AWAITING_APPROVAL, UpdateStatus.PENDING)
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                ApiException.conflict(
                                    "Update "
                                        + id
                                        + " is "
                                        + u.status()
                                        + ", not awaiting approval"))))
        .flatMap(u -> updates.log(id, UpdateLog.info("Approved")).thenReturn(u))
        .doOnNext(u -> worker.kick());
  }

  public Mono<Update> cancel(String tenantId, UUID id) {
    return find(tenantId, id)
        .flatMap(
            u ->
                updates
                    .transition(tenantId, id, u.status(), UpdateStatus.CANCELLED)
                    .filter(
                        c ->
                            u.status().equals(UpdateStatus.PENDING)
                                || u.status().equals(UpdateStatus.AWAITING_APPROVAL))
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                ApiException.conflict(
                                    "Update "
                                        + id
                                        + " is "
                                        + u.status()
                                        + " and cannot be cancelled"))));
  }

  /** One-click rollback: run the digest the container had before that update. */
  public Mono<Update> rollbackTo(String tenantId, UUID id) {
    return find(tenantId, id)
        .flatMap(
            u -> {
              if (u.fromDigest() == null) {
                return Mono.error(
                    ApiException.conflict("Update " + id + " recorded no earlier digest"));
              }
              return containers
                  .find(tenantId, u.containerId())
                  .flatMap(
                      c ->
                          updates
                              .hasOpen(c.id())
                              .flatMap(
                                  open ->
                                      open
                                          ? Mono.error(
                                              ApiException.conflict(
                                                  "Container "
                                                      + c.id()
                                                      + " already has an update pending or running"))
                                          : insert(
                                              c,
                                              null,
                                              "rollback",
                                              c.updatePolicy().strategy(),
                                              ImageReference.parse(c.image())
                                                  .pinned(u.fromDigest()),
                                              null,
                                              UpdateOptions.none(),
                                              UpdateStatus.PENDING)));
            })
        .doOnNext(u -> worker.kick());
  }

  /**
   * A container's scheduled check: ask the registry; when it has a new digest, queue an update
   * ({@code auto}) or one awaiting approval ({@code approve}); {@code manual} only records it.
   */
  public Mono<ImageCheck> policyCheck(Container c) {
    return images
        .check(c.tenantId(), c.image())
        .flatMap(
            check -> {
              String policy = c.updatePolicy().policy();
              if (!check.updateAvailable() || "manual".equals(policy)) {
                return Mono.just(check);
              }
              String status =
                  "approve".equals(policy) ? UpdateStatus.AWAITING_APPROVAL : UpdateStatus.PENDING;
              // A digest that already failed its health check is not tried again and again.
              Mono<Boolean> skip =
                  updates
                      .hasOpen(c.id())
                      .zipWith(
                          updates.failedBefore(c.id(), check.latestDigest()), Boolean::logicalOr);
              return skip.flatMap(
                  open ->
                      open
                          ? Mono.just(check)
                          : tx.transactional(
                                  insert(
                                          c,
                                          null,
                                          "policy",
                                          c.updatePolicy().strategy(),
                                          c.image(),
                                          null,
                                          UpdateOptions.none(),
                                          status)
                                      .flatMap(
                                          u ->
                                              status.equals(UpdateStatus.AWAITING_APPROVAL)
                                                  ? events.awaitingApproval(u).thenReturn(u)
                                                  : Mono.just(u)))
                              .doOnNext(u -> worker.kick())
                              .thenReturn(check));
            });
  }

  private Mono<Update> insert(
      Container c,
      UUID batch,
      String trigger,
      String strategy,
      String toImage,
      Instant at,
      UpdateOptions options,
      String status) {
    Instant when = at == null ? Instant.now() : at;
    return updates.insert(
        new Update(
            UUID.randomUUID(),
            c.tenantId(),
            c.id(),
            c.name(),
            batch,
            trigger,
            strategy,
            status,
            c.image(),
            c.imageDigest(),
            toImage,
            null,
            options,
            when,
            null,
            null,
            null,
            false,
            List.of(UpdateLog.info("Update requested (" + trigger + ")")),
            null));
  }

  private static String strategy(String requested, Container c) {
    return requested != null ? requested : c.updatePolicy().strategy();
  }

  private static void checkStrategy(String strategy, Map<String, List<String>> errors) {
    if (strategy != null && !STRATEGIES.contains(strategy)) {
      errors.put("strategy", List.of("must be rolling or recreate"));
    }
  }

  private static UpdateOptions options(UpdateOptions options) {
    return options == null ? UpdateOptions.none() : options;
  }
}
