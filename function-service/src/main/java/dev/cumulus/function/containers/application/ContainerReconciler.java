package dev.cumulus.function.containers.application;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend.Workload;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.ContainerFunction.Status;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.persistence.ContainerFunctionRepository;
import dev.cumulus.function.containers.persistence.ContainerJobRepository;
import dev.cumulus.function.containers.persistence.ContainerJobRepository.JobKey;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.logging.WarningThrottle;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Keeps the engine matching what the functions ask for, continuously: every {@code
 * reconcile-interval} (and at once after a change) it starts missing replicas, replaces replicas
 * that exited on their own (counted in {@code restarts}; after a growing back-off when they keep
 * crashing, see {@link CrashLoop}), removes surplus ones, the replicas of stopped functions, every
 * container of a deleted function and finished jobs past their retention, and records each
 * function's status and available replicas.
 *
 * <p>Each service replica claims functions with a lease, so one at a time acts on a function.
 */
@Component
public class ContainerReconciler extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(ContainerReconciler.class);
  private static final int CONCURRENCY = 4;

  /** How long a function whose image cannot be pulled waits before the next pull. */
  private static final Duration FAILED_BACKOFF = Duration.ofSeconds(30);

  private final ContainerFunctionRepository functions;
  private final ContainerJobRepository jobs;
  private final ContainerBackend backend;
  private final ContainerFunctionEvents events;
  private final TransactionalOperator tx;
  private final ContainerProperties properties;
  private final CrashLoop.Policy crashPolicy;
  private final String owner = "function-service-" + UUID.randomUUID();
  private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
  private final WarningThrottle engineDown = new WarningThrottle(Duration.ofMinutes(1));
  private final Map<UUID, Instant> failedUntil = new ConcurrentHashMap<>();

  public ContainerReconciler(
      ContainerFunctionRepository functions,
      ContainerJobRepository jobs,
      ContainerBackend backend,
      ContainerFunctionEvents events,
      TransactionalOperator tx,
      ContainerProperties properties) {
    super("Reconciling container functions");
    this.functions = functions;
    this.jobs = jobs;
    this.backend = backend;
    this.events = events;
    this.tx = tx;
    this.properties = properties;
    this.crashPolicy =
        new CrashLoop.Policy(
            properties.crashBackoff(),
            properties.crashBackoffMax(),
            properties.crashBackoffReset());
  }

  /** Reconciles at once rather than at the next tick. */
  public void wake() {
    wakeups.tryEmitNext(true);
  }

  @Override
  protected Duration interval() {
    return properties.reconcileInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return wakeups.asFlux();
  }

  /**
   * One pass over every function this replica may claim. A failing engine is warned about at most
   * once a minute (it fails every pass while it is down), not at every pass as PeriodicWork would.
   */
  @Override
  protected Mono<Void> runOnce() {
    return pass().onErrorResume(this::engineTrouble);
  }

  private Mono<Void> pass() {
    return backend
        .workloads()
        .flatMap(
            workloads ->
                finishJobs(workloads)
                    .then(removeOrphans(workloads))
                    .then(
                        functions
                            .claim(owner, properties.lease())
                            .flatMap(
                                f ->
                                    backend.keepsReplicas()
                                        ? reconcileDeclared(f)
                                        : reconcile(f, replicasOf(f, workloads)),
                                CONCURRENCY)
                            .then()));
  }

  /**
   * Records the exit code of jobs that ended (once, whichever service replica sees it first) and
   * emits {@code container.failed} for a non-zero one, before the job's container is removed.
   */
  private Mono<Void> finishJobs(List<Workload> workloads) {
    Map<JobKey, Integer> ended =
        workloads.stream()
            .filter(w -> w.isJob() && !w.running() && w.exitCode() != null)
            .collect(
                Collectors.toMap(
                    w -> new JobKey(UUID.fromString(w.functionId()), w.jobName()),
                    Workload::exitCode,
                    (a, b) -> a));
    if (ended.isEmpty()) {
      return Mono.empty();
    }
    return jobs.unfinished()
        .filter(ended::containsKey)
        .concatMap(job -> finishJob(job, ended.get(job)))
        .then();
  }

  private Mono<Void> finishJob(JobKey job, int exitCode) {
    return jobs.finish(job, exitCode)
        .filter(recorded -> recorded && exitCode != 0)
        .flatMap(recorded -> functions.findById(job.functionId()))
        .flatMap(f -> events.jobFailed(f, job.jobName(), exitCode))
        .as(tx::transactional);
  }

  /** Containers of deleted functions, and finished jobs past their retention. */
  private Mono<Void> removeOrphans(List<Workload> workloads) {
    Instant expired = Instant.now().minus(properties.jobRetention());
    return functions
        .liveIds()
        .map(UUID::toString)
        .collect(Collectors.toSet())
        .flatMapMany(
            live ->
                Flux.fromIterable(workloads)
                    .filter(w -> !live.contains(w.functionId()) || finishedJob(w, expired)))
        .flatMap(w -> backend.remove(w.id()), CONCURRENCY)
        .then();
  }

  private static boolean finishedJob(Workload w, Instant expired) {
    return w.isJob() && !w.running() && w.createdAt() != null && w.createdAt().isBefore(expired);
  }

  private static List<Workload> replicasOf(ContainerFunction f, List<Workload> workloads) {
    String id = f.id().toString();
    return workloads.stream()
        .filter(w -> !w.isJob() && id.equals(w.functionId()) && f.tenantId().equals(w.tenantId()))
        .toList();
  }

  private Mono<Void> reconcile(ContainerFunction f, List<Workload> replicas) {
    if (f.stopped()) {
      // Stopping (like deleting a pod) forgets the crash back-off.
      return Flux.fromIterable(replicas)
          .flatMap(w -> backend.remove(w.id()))
          .then(record(f, Status.Stopped, null, 0, 0, CrashLoop.NONE));
    }
    List<Workload> exited = replicas.stream().filter(w -> !w.running()).toList();
    List<Workload> running =
        replicas.stream()
            .filter(Workload::running)
            .sorted(
                Comparator.comparing(
                    Workload::createdAt, Comparator.nullsLast(Comparator.naturalOrder())))
            .toList();
    List<Workload> surplus = running.stream().skip(f.replicas()).toList();
    int available = running.size() - surplus.size();
    int missing = f.replicas() - available;
    Instant now = Instant.now();
    CrashLoop loop =
        exited.isEmpty()
            ? f.crashLoop().settled(now, crashPolicy)
            : f.crashLoop().crashed(now, exitCode(exited), crashPolicy);
    Mono<Void> cleanUp =
        Flux.concat(Flux.fromIterable(exited), Flux.fromIterable(surplus))
            .flatMap(w -> backend.remove(w.id()))
            .then();
    Instant retry = failedUntil.get(f.id());
    if (missing > 0 && retry != null && retry.isAfter(now)) {
      return cleanUp.then(
          record(f, Status.Failed, f.statusMessage(), available, exited.size(), loop));
    }
    if (missing > 0 && loop.holding(now)) {
      return cleanUp.then(
          record(f, Status.Pending, loop.message(), available, exited.size(), loop));
    }
    Mono<Void> scaleUp =
        missing == 0
            ? Mono.empty()
            : backend
                .ensureImage(f)
                .thenMany(Flux.range(0, missing).flatMap(i -> backend.startReplica(f)))
                .then();
    Status status = available == f.replicas() ? Status.Running : Status.Pending;
    return cleanUp
        .then(scaleUp)
        .then(Mono.fromRunnable(() -> failedUntil.remove(f.id())))
        .then(record(f, status, null, available, exited.size(), loop))
        .onErrorResume(
            ApiException.class,
            failure -> {
              if (failure.kind() != ErrorKind.BAD_REQUEST) {
                return record(
                    f, Status.Pending, failure.getMessage(), available, exited.size(), loop);
              }
              failedUntil.put(f.id(), Instant.now().plus(FAILED_BACKOFF));
              return record(f, Status.Failed, failure.getMessage(), available, exited.size(), loop);
            });
  }

  /**
   * A function whose replicas the engine keeps (Kubernetes restarts a crashed pod itself): declares
   * how many run and records what the engine reports. Restarts the engine counted beyond the
   * recorded ones are added, and count as crashes in a row until every replica runs again.
   */
  private Mono<Void> reconcileDeclared(ContainerFunction f) {
    int wanted = f.stopped() ? 0 : f.replicas();
    return backend
        .declare(f, wanted)
        .map(now -> observed(f, now, Instant.now(), crashPolicy))
        .flatMap(o -> record(f, o.status(), o.message(), o.available(), o.restarted(), o.loop()))
        .onErrorResume(
            ApiException.class,
            failure ->
                record(
                    f,
                    failure.kind() == ErrorKind.BAD_REQUEST ? Status.Failed : Status.Pending,
                    failure.getMessage(),
                    f.availableReplicas(),
                    0,
                    f.crashLoop()));
  }

  /** What to record of a function whose replicas the engine keeps, from what the engine says. */
  static Observed observed(
      ContainerFunction f, ContainerBackend.Replicas now, Instant at, CrashLoop.Policy policy) {
    if (f.stopped()) {
      return new Observed(Status.Stopped, null, 0, 0, CrashLoop.NONE);
    }
    int restarted = Math.max(0, now.restarts() - f.restarts());
    boolean all = now.available() >= f.replicas();
    CrashLoop loop = f.crashLoop();
    if (restarted > 0) {
      loop = loop.crashed(at, now.lastExitCode(), policy);
    } else if (all) {
      loop = loop.settled(at, policy);
    }
    Status status = now.imageUnavailable() ? Status.Failed : all ? Status.Running : Status.Pending;
    return new Observed(
        status, now.problem(), Math.min(now.available(), f.replicas()), restarted, loop);
  }

  /** A function's status as the reconciler records it. */
  record Observed(Status status, String message, int available, int restarted, CrashLoop loop) {}

  /** The exit code of one of the replicas that exited, when the engine reported one. */
  private static Integer exitCode(List<Workload> exited) {
    return exited.stream()
        .map(Workload::exitCode)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private Mono<Void> record(
      ContainerFunction f,
      Status status,
      String message,
      int available,
      int restarted,
      CrashLoop loop) {
    Mono<Void> change =
        functions.observed(f.id(), status.name(), message, available, restarted, loop);
    if (!status.name().equals(f.status()) || available != f.availableReplicas()) {
      change = change.then(events.statusChanged(f, status.name(), available));
    }
    return change.as(tx::transactional);
  }

  private Mono<Void> engineTrouble(Throwable failure) {
    if (engineDown.due()) {
      log.warn("container functions not reconciled: {}", failure.getMessage());
    }
    return Mono.empty();
  }
}
