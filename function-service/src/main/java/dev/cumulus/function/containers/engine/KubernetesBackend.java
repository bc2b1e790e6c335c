package dev.cumulus.function.containers.engine;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Container functions on Kubernetes through fabric8: a function's replicas are a Deployment, an
 * invocation a Job, each in its tenant's namespace (created on demand). Kubernetes keeps the
 * replicas running itself ({@link #keepsReplicas}); this backend declares how many and reads back
 * what runs. fabric8 blocks, so every call runs on the bounded elastic scheduler.
 *
 * <p>A workload is one Deployment (every replica of a function) or one Job, named {@code
 * deployment/<namespace>/<name>} or {@code job/<namespace>/<name>}; logs are read from its pods.
 */
@Component
@ConditionalOnProperty(name = "cumulus.function.containers.backend", havingValue = "kubernetes")
class KubernetesBackend implements ContainerBackend {

  private static final String DEPLOYMENT = "deployment";
  private static final String JOB = "job";

  private final KubernetesClient kubernetes;
  private final KubernetesObjects objects;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();

  KubernetesBackend(KubernetesClient functionKubernetesClient, ContainerProperties properties) {
    this.kubernetes = functionKubernetesClient;
    this.objects = new KubernetesObjects(properties);
  }

  @Override
  public boolean keepsReplicas() {
    return true;
  }

  @Override
  public Mono<List<Workload>> workloads() {
    return call(
        "list workloads",
        () -> {
          List<Workload> all = new ArrayList<>();
          var labels = objects.managedLabels();
          for (Deployment d :
              managed(kubernetes.apps().deployments().inAnyNamespace().withLabels(labels).list())) {
            all.add(workload(DEPLOYMENT, d, null, true, null));
          }
          for (Job j :
              managed(kubernetes.batch().v1().jobs().inAnyNamespace().withLabels(labels).list())) {
            JobStatus s = j.getStatus();
            boolean succeeded = s != null && positive(s.getSucceeded());
            boolean failed = s != null && positive(s.getFailed());
            Integer exit = succeeded ? Integer.valueOf(0) : failed ? jobExitCode(j) : null;
            String name = j.getMetadata().getAnnotations().get(KubernetesObjects.JOB_NAME);
            all.add(workload(JOB, j, name, !succeeded && !failed, exit));
          }
          return all;
        });
  }

  /**
   * What this service made: its labels, and the tenant it noted, in that tenant's namespace (an
   * object elsewhere is never taken for a tenant's).
   */
  private <T extends HasMetadata> List<T> managed(KubernetesResourceList<T> list) {
    return list.getItems().stream()
        .filter(o -> o.getMetadata().getLabels().get(KubernetesObjects.FUNCTION) != null)
        .filter(o -> o.getMetadata().getAnnotations() != null)
        .filter(
            o -> {
              String tenant = o.getMetadata().getAnnotations().get(KubernetesObjects.TENANT);
              return tenant != null
                  && objects.namespace(tenant).equals(o.getMetadata().getNamespace());
            })
        .toList();
  }

  private static Workload workload(
      String kind, HasMetadata o, String jobName, boolean running, Integer exitCode) {
    var meta = o.getMetadata();
    String created = meta.getCreationTimestamp();
    return new Workload(
        kind + "/" + meta.getNamespace() + "/" + meta.getName(),
        meta.getAnnotations().get(KubernetesObjects.TENANT),
        meta.getLabels().get(KubernetesObjects.FUNCTION),
        jobName,
        running,
        exitCode,
        created == null ? null : DockerBackend.parseInstant(created));
  }

  /** The exit code of a failed job's container, or 1 when its pod is gone. */
  private Integer jobExitCode(Job j) {
    return podsOf(j.getMetadata().getNamespace(), KubernetesObjects.JOB, j.getMetadata().getName())
        .stream()
        .flatMap(p -> statuses(p).stream())
        .map(c -> c.getState() == null ? null : c.getState().getTerminated())
        .filter(Objects::nonNull)
        .map(t -> t.getExitCode())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(1);
  }

  /** Kubernetes pulls images itself; one that cannot be pulled shows in the pods' status. */
  @Override
  public Mono<Void> ensureImage(ContainerFunction function) {
    return Mono.empty();
  }

  /** Replicas are declared with {@link #declare}, never started one by one. */
  @Override
  public Mono<Void> startReplica(ContainerFunction function) {
    return declare(function, function.replicas()).then();
  }

  @Override
  public Mono<Replicas> declare(ContainerFunction f, int replicas) {
    return call(
        "declare replicas",
        () -> {
          String namespace = objects.namespace(f.tenantId());
          String name = KubernetesObjects.deploymentName(f);
          var deployments = kubernetes.apps().deployments().inNamespace(namespace);
          Deployment d = deployments.withName(name).get();
          if (d == null) {
            if (replicas == 0) {
              return new Replicas(0, 0, null, null, false);
            }
            ensureNamespace(f.tenantId());
            try {
              ensurePullSecret(f);
              d = deployments.resource(objects.deployment(f, replicas)).create();
            } catch (KubernetesClientException gone) {
              // The namespace was deleted behind our back: made again at the next pass.
              if (gone.getCode() == 404) {
                namespaces.remove(namespace);
              }
              throw gone;
            }
          } else if (!Objects.equals(d.getSpec().getReplicas(), replicas)) {
            d =
                deployments
                    .withName(name)
                    .edit(
                        current -> {
                          current.getSpec().setReplicas(replicas);
                          return current;
                        });
          }
          return observe(f, d);
        });
  }

  /** What runs of a Deployment: its ready replicas, and what its pods say about the others. */
  private Replicas observe(ContainerFunction f, Deployment d) {
    var status = d.getStatus();
    int available =
        status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
    int restarts = 0;
    Integer lastExit = null;
    String problem = null;
    boolean imageUnavailable = false;
    List<Pod> pods =
        podsOf(
            d.getMetadata().getNamespace(),
            KubernetesObjects.FUNCTION,
            d.getMetadata().getLabels().get(KubernetesObjects.FUNCTION));
    for (Pod pod : pods) {
      if (!KubernetesObjects.REPLICA.equals(
          pod.getMetadata().getLabels().get(KubernetesObjects.ROLE))) {
        continue;
      }
      for (ContainerStatus c : statuses(pod)) {
        restarts += c.getRestartCount() == null ? 0 : c.getRestartCount();
        if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
          lastExit = c.getLastState().getTerminated().getExitCode();
        }
        String waiting =
            c.getState() == null || c.getState().getWaiting() == null
                ? null
                : c.getState().getWaiting().getReason();
        if (KubernetesObjects.IMAGE_PROBLEMS.contains(waiting)) {
          imageUnavailable = true;
          problem = "image '" + f.image() + "' cannot be pulled";
        } else if ("CrashLoopBackOff".equals(waiting) && !imageUnavailable) {
          problem = "replicas keep exiting; Kubernetes restarts them after a back-off";
        }
      }
    }
    if (problem == null && status != null && status.getConditions() != null) {
      // A quota or a limit range refusing the pods: only the reason, the message names the cluster.
      problem =
          status.getConditions().stream()
              .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
              .map(c -> "Kubernetes cannot create the replicas: " + c.getReason())
              .findFirst()
              .orElse(null);
    }
    return new Replicas(available, restarts, lastExit, problem, imageUnavailable);
  }

  @Override
  public Mono<Void> startJob(ContainerFunction f, String jobName, String input) {
    return call(
            "start job",
            () -> {
              ensureNamespace(f.tenantId());
              ensurePullSecret(f);
              return kubernetes
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(objects.namespace(f.tenantId()))
                  .resource(objects.job(f, jobName, input))
                  .create();
            })
        .then();
  }

  /** The function's image pull secret, when it has registry credentials (they never change). */
  private void ensurePullSecret(ContainerFunction f) {
    if (f.registryCredentials() == null) {
      return;
    }
    try {
      kubernetes
          .secrets()
          .inNamespace(objects.namespace(f.tenantId()))
          .resource(objects.pullSecret(f))
          .create();
    } catch (KubernetesClientException exists) {
      if (exists.getCode() != 409) {
        throw exists;
      }
    }
  }

  /** The tenant's namespace, created (and labelled) the first time it is needed. */
  private void ensureNamespace(String tenantId) {
    String name = objects.namespace(tenantId);
    if (namespaces.contains(name)) {
      return;
    }
    if (kubernetes.namespaces().withName(name).get() == null) {
      try {
        kubernetes
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(objects.managedLabels())
                    .withAnnotations(Map.of(KubernetesObjects.TENANT, tenantId))
                    .endMetadata()
                    .build())
            .create();
      } catch (KubernetesClientException raced) {
        if (raced.getCode() != 409) {
          throw raced;
        }
      }
    }
    namespaces.add(name);
  }

  @Override
  public Mono<Void> remove(String workloadId) {
    return call(
            "remove workload",
            () -> {
              String[] parts = workloadId.split("/", 3);
              var resource =
                  DEPLOYMENT.equals(parts[0])
                      ? kubernetes.apps().deployments().inNamespace(parts[1]).withName(parts[2])
                      : kubernetes.batch().v1().jobs().inNamespace(parts[1]).withName(parts[2]);
              // Background: the pods go with their owner, without waiting for them here.
              resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
              if (DEPLOYMENT.equals(parts[0])) {
                String function = parts[2].substring(KubernetesObjects.DEPLOYMENT_PREFIX.length());
                kubernetes
                    .secrets()
                    .inNamespace(parts[1])
                    .withName(KubernetesObjects.pullSecretName(function))
                    .delete();
              }
              return true;
            })
        .then();
  }

  @Override
  public Flux<LogLine> logs(List<String> workloadIds, int tail, boolean follow) {
    return call("list pods", () -> podsOfWorkloads(workloadIds))
        .flatMapMany(pods -> Flux.merge(pods.stream().map(p -> logsOf(p, tail, follow)).toList()));
  }

  private List<Pod> podsOfWorkloads(List<String> workloadIds) {
    List<Pod> pods = new ArrayList<>();
    for (String id : workloadIds) {
      String[] parts = id.split("/", 3);
      if (DEPLOYMENT.equals(parts[0])) {
        String function = parts[2].substring(KubernetesObjects.DEPLOYMENT_PREFIX.length());
        podsOf(parts[1], KubernetesObjects.FUNCTION, function).stream()
            .filter(
                p ->
                    KubernetesObjects.REPLICA.equals(
                        p.getMetadata().getLabels().get(KubernetesObjects.ROLE)))
            .forEach(pods::add);
      } else {
        pods.addAll(podsOf(parts[1], KubernetesObjects.JOB, parts[2]));
      }
    }
    return pods;
  }

  private Flux<LogLine> logsOf(Pod pod, int tail, boolean follow) {
    var resource =
        kubernetes
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName());
    if (!follow) {
      return call(
              "read logs",
              () -> {
                try {
                  return resource.usingTimestamps().tailingLines(tail).getLog();
                } catch (KubernetesClientException notStarted) {
                  // A pod whose container has not started has no output yet.
                  if (notStarted.getCode() == 400 || notStarted.getCode() == 404) {
                    return "";
                  }
                  throw notStarted;
                }
              })
          .flatMapMany(text -> Flux.fromArray(text.split("\n")))
          .filter(line -> !line.isEmpty())
          .map(KubernetesBackend::line);
    }
    return Flux.using(
            () -> resource.usingTimestamps().tailingLines(tail).watchLog(),
            (LogWatch watch) ->
                Flux.fromStream(
                    () ->
                        new BufferedReader(
                                new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))
                            .lines()),
            LogWatch::close)
        .map(KubernetesBackend::line)
        .onErrorMap(
            UncheckedIOException.class, failure -> unavailable("read logs", failure.getCause()))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** A line as Kubernetes prefixes it with {@code timestamps=true}: RFC 3339, a space, the text. */
  static LogLine line(String line) {
    int space = line.indexOf(' ');
    Instant at = space > 0 ? DockerBackend.parseInstant(line.substring(0, space)) : null;
    return new LogLine(at, at == null ? line : line.substring(space + 1));
  }

  @Override
  public Mono<Boolean> ping() {
    return call(
            "ping",
            () ->
                kubernetes
                        .apps()
                        .deployments()
                        .inAnyNamespace()
                        .withLabels(objects.managedLabels())
                        .list(new ListOptionsBuilder().withLimit(1L).build())
                    != null)
        .onErrorReturn(false);
  }

  private List<Pod> podsOf(String namespace, String label, String value) {
    return kubernetes.pods().inNamespace(namespace).withLabel(label, value).list().getItems();
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.of()
        : pod.getStatus().getContainerStatuses();
  }

  private static boolean positive(Integer count) {
    return count != null && count > 0;
  }

  private static <T> Mono<T> call(String action, Callable<T> work) {
    return Mono.fromCallable(work)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(KubernetesBackend::invalid, KubernetesBackend::refused)
        .onErrorMap(
            failure -> !(failure instanceof ApiException), failure -> unavailable(action, failure));
  }

  /** The API server found the function's objects invalid (422): the function's problem. */
  private static boolean invalid(Throwable failure) {
    return failure instanceof KubernetesClientException k && k.getCode() == 422;
  }

  private static ApiException refused(Throwable failure) {
    return new ApiException(
        ErrorKind.BAD_REQUEST,
        "Kubernetes refused the function's objects as invalid",
        null,
        null,
        Map.of(),
        failure);
  }

  private static ApiException unavailable(String action, Throwable failure) {
    // The API server's own words may name the cluster: they go to the log, not to the caller.
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "Kubernetes could not " + action,
        null,
        null,
        Map.of(),
        failure);
  }
}
