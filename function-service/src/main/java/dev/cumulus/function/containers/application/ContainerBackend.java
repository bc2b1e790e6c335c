package dev.cumulus.function.containers.application;

import dev.cumulus.function.containers.domain.ContainerFunction;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where container functions run: one interface, so another backend (Kubernetes Deployments and
 * Jobs) can serve the same API. Every container it makes carries its tenant and function, and every
 * question it answers is about the containers of one function, so a tenant's calls never reach
 * another's containers.
 */
public interface ContainerBackend {

  /** Every container this service made, replicas and jobs, of every function. */
  Mono<List<Workload>> workloads();

  /**
   * Pulls the function's image when the engine does not have it, or always when the function has
   * registry credentials (so they are checked each time, not skipped by a cached image).
   */
  Mono<Void> ensureImage(ContainerFunction function);

  /** Starts one more replica of the function. */
  Mono<Void> startReplica(ContainerFunction function);

  /** Starts a one-off job of the function with {@code input} (JSON) in its environment. */
  Mono<Void> startJob(ContainerFunction function, String jobName, String input);

  /** Removes a container, running or not; one that is gone already is fine. */
  Mono<Void> remove(String workloadId);

  /**
   * The output of some of one function's containers, oldest first.
   *
   * @param tail lines from the end of each container's output
   * @param follow keep streaming until the subscriber cancels
   */
  Flux<LogLine> logs(List<String> workloadIds, int tail, boolean follow);

  /** Whether the engine answers. */
  Mono<Boolean> ping();

  /**
   * Whether the engine keeps a function's replicas running itself (Kubernetes' Deployments): the
   * reconciler then declares how many it wants with {@link #declare} instead of starting and
   * replacing containers one by one, and {@link #workloads} lists one workload per function for its
   * replicas.
   */
  default boolean keepsReplicas() {
    return false;
  }

  /**
   * Declares that {@code replicas} of the function run (0 when it is stopped) and answers what runs
   * now. Only for an engine that {@link #keepsReplicas}.
   */
  default Mono<Replicas> declare(ContainerFunction function, int replicas) {
    return Mono.error(new UnsupportedOperationException("this engine starts replicas one by one"));
  }

  /**
   * A container of a function.
   *
   * @param jobName set for a job, null for a replica
   * @param running whether it runs now; a stopped replica exited on its own
   * @param exitCode its exit code once it stopped
   */
  record Workload(
      String id,
      String tenantId,
      String functionId,
      String jobName,
      boolean running,
      Integer exitCode,
      Instant createdAt) {

    public boolean isJob() {
      return jobName != null;
    }
  }

  /**
   * What runs of a function whose replicas the engine keeps.
   *
   * @param available replicas ready now
   * @param restarts restarts of its current replicas' containers, as the engine counts them
   * @param lastExitCode the exit code of a replica that exited, or null
   * @param problem why not every replica runs (a crash loop, an image that cannot be pulled), or
   *     null
   * @param imageUnavailable the image cannot be pulled: the function's own problem
   */
  record Replicas(
      int available,
      int restarts,
      Integer lastExitCode,
      String problem,
      boolean imageUnavailable) {}

  /** One line of a container's output. */
  record LogLine(Instant at, String text) {}
}
