package dev.cumulus.function.containers.application;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend.LogLine;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.ContainerFunction.Status;
import dev.cumulus.function.containers.domain.ContainerFunctionRules;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import dev.cumulus.function.containers.persistence.ContainerFunctionRepository;
import dev.cumulus.function.containers.persistence.ContainerJobRepository;
import dev.cumulus.platform.error.ApiException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seed 001's container functions of the caller's namespace (tenant): what the API asks for is
 * stored, and {@link ContainerReconciler} makes the engine match it.
 */
@Service
public class ContainerFunctionService {

  private final ContainerFunctionRepository functions;
  private final ContainerJobRepository jobs;
  private final ContainerBackend backend;
  private final ContainerFunctionEvents events;
  private final ContainerReconciler reconciler;
  private final TransactionalOperator tx;
  private final ContainerProperties properties;

  public ContainerFunctionService(
      ContainerFunctionRepository functions,
      ContainerJobRepository jobs,
      ContainerBackend backend,
      ContainerFunctionEvents events,
      ContainerReconciler reconciler,
      TransactionalOperator tx,
      ContainerProperties properties) {
    this.functions = functions;
    this.jobs = jobs;
    this.backend = backend;
    this.events = events;
    this.reconciler = reconciler;
    this.tx = tx;
    this.properties = properties;
  }

  /** What a create request asks for. */
  public record NewFunction(
      String name,
      String image,
      Integer replicas,
      List<String> command,
      Map<String, String> env,
      Resources resources,
      RegistryCredentials registryCredentials) {}

  public Mono<ContainerFunction> create(String tenantId, String userId, NewFunction request) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ContainerFunction f =
        new ContainerFunction(
            UUID.randomUUID(),
            tenantId,
            userId,
            ContainerFunctionRules.name(request.name()),
            ContainerFunctionRules.image(request.image()),
            ContainerFunctionRules.replicas(request.replicas(), properties.maxReplicas()),
            ContainerFunctionRules.command(request.command()),
            ContainerFunctionRules.env(request.env()),
            ContainerFunctionRules.resources(request.resources()),
            false,
            Status.Pending.name(),
            null,
            0,
            0,
            CrashLoop.NONE,
            now,
            now,
            ContainerFunctionRules.registryCredentials(request.registryCredentials()));
    return functions
        .insert(f)
        .flatMap(
            inserted ->
                inserted
                    ? events.created(f).thenReturn(f)
                    : Mono.error(
                        ApiException.conflict(
                            "function '"
                                + f.name()
                                + "' already exists in namespace '"
                                + f.namespace()
                                + "'")))
        .as(tx::transactional)
        .doOnSuccess(created -> reconciler.wake());
  }

  public Flux<ContainerFunction> list(String tenantId) {
    return functions.list(tenantId);
  }

  public Mono<ContainerFunction> get(String tenantId, String name) {
    return functions.find(tenantId, name).switchIfEmpty(Mono.error(() -> notFound(name)));
  }

  /** Soft delete: the name is free at once; the reconciler removes the containers. */
  public Mono<Void> delete(String tenantId, String name) {
    return get(tenantId, name)
        .flatMap(
            f ->
                functions
                    .delete(tenantId, name)
                    .flatMap(
                        deleted -> deleted ? events.deleted(f) : Mono.error(() -> notFound(name))))
        .as(tx::transactional)
        .doOnSuccess(done -> reconciler.wake());
  }

  /** Stops every replica ({@code stop}) or runs them again. */
  public Mono<ContainerFunction> setStopped(String tenantId, String name, boolean stopped) {
    return functions
        .setStopped(tenantId, name, stopped)
        .switchIfEmpty(Mono.error(() -> notFound(name)))
        .doOnSuccess(f -> reconciler.wake());
  }

  /**
   * Runs a one-off job of the function (its image, command and env) with {@code input} as JSON in
   * {@code EVENTFLOW_INPUT}, as Kubernetes would run a Job: answers the job's name at once.
   */
  public Mono<String> invoke(String tenantId, String name, String input) {
    if (input.length() > properties.maxInputBytes()) {
      return Mono.error(
          ApiException.badRequest(
              "input must be at most " + properties.maxInputBytes() + " bytes of JSON"));
    }
    return get(tenantId, name)
        .flatMap(
            f ->
                backend
                    .ensureImage(f)
                    .then(
                        jobs.reserve(
                            f.id(), tenantId, name + "-invoke-" + Instant.now().getEpochSecond()))
                    .switchIfEmpty(
                        Mono.error(() -> ApiException.conflict("too many jobs this second")))
                    .flatMap(jobName -> startJob(f, jobName, input)));
  }

  /** Starts the reserved job; the reconciler records how it ends ({@code failed} when non-zero). */
  private Mono<String> startJob(ContainerFunction f, String jobName, String input) {
    return backend
        .startJob(f, jobName, input)
        .onErrorResume(failed -> jobs.forget(f.id(), jobName).then(Mono.error(failed)))
        .then(events.invoked(f, jobName).as(tx::transactional))
        .thenReturn(jobName);
  }

  /**
   * The function's output: its replicas' (or one job's) lines, the last {@code tail} of each merged
   * in time order; with {@code follow}, new lines as they come until the caller leaves.
   */
  public Flux<LogLine> logs(String tenantId, String name, int tail, boolean follow, String job) {
    return get(tenantId, name)
        .zipWith(backend.workloads())
        .flatMapMany(
            found -> {
              String functionId = found.getT1().id().toString();
              List<String> ids =
                  found.getT2().stream()
                      .filter(w -> tenantId.equals(w.tenantId()))
                      .filter(w -> functionId.equals(w.functionId()))
                      .filter(w -> job == null ? !w.isJob() : job.equals(w.jobName()))
                      .map(ContainerBackend.Workload::id)
                      .toList();
              if (job != null && ids.isEmpty()) {
                return Flux.error(ApiException.notFound("job '" + job + "' not found"));
              }
              if (follow) {
                return backend.logs(ids, tail, true);
              }
              return backend
                  .logs(ids, tail, false)
                  .sort(
                      Comparator.comparing(
                          LogLine::at, Comparator.nullsFirst(Comparator.naturalOrder())))
                  .takeLast(tail);
            });
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("function '" + name + "' not found");
  }
}
