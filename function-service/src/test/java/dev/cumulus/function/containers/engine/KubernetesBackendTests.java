package dev.cumulus.function.containers.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend.LogLine;
import dev.cumulus.function.containers.application.ContainerBackend.Replicas;
import dev.cumulus.function.containers.application.ContainerBackend.Workload;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes backend against fabric8's mock API server in CRUD mode: what it creates (the
 * namespace, the Deployment, the Job), how it reads replicas and jobs back, and logs. The mock has
 * no controllers, so the tests write the status a cluster would (ready replicas, a crashing or
 * unpullable container, a finished job) where a cluster's controllers would.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTests {

  static KubernetesClient client;
  static KubernetesMockServer server;

  private final ContainerProperties properties =
      new ContainerProperties(
          "kubernetes",
          "cumulus-fn-",
          "unix:///run/podman.sock",
          Duration.ofSeconds(3),
          Duration.ofMinutes(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          10,
          "256Mi",
          256,
          Duration.ofMinutes(10),
          65536,
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10));
  private KubernetesBackend backend;

  @BeforeEach
  void setUp() {
    backend = new KubernetesBackend(client, properties);
  }

  private static ContainerFunction function(String tenant, String name, int replicas) {
    Instant now = Instant.now();
    return new ContainerFunction(
        UUID.randomUUID(),
        tenant,
        "alice",
        name,
        "nginx:1.25",
        replicas,
        List.of("nginx", "-g", "daemon off;"),
        Map.of("LOG_LEVEL", "info"),
        new Resources("500m", "128Mi"),
        false,
        "Pending",
        null,
        0,
        0,
        CrashLoop.NONE,
        now,
        now,
        null);
  }

  @Test
  void aFunctionIsADeploymentInItsTenantsNamespaceWithItsContainerAndLimits() {
    ContainerFunction f = function("tenant-alice", "web-server", 2);

    Replicas replicas = backend.declare(f, 2).block();

    assertThat(replicas).isEqualTo(new Replicas(0, 0, null, null, false));
    Namespace ns = client.namespaces().withName("cumulus-fn-tenant-alice").get();
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "cumulus-function-service");
    assertThat(ns.getMetadata().getAnnotations())
        .containsEntry("dev.cumulus/tenant", "tenant-alice");
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace("cumulus-fn-tenant-alice")
            .withName("cf-" + f.id())
            .get();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsEntry("dev.cumulus/function-id", f.id().toString());
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Always");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    var container = pod.getContainers().getFirst();
    assertThat(container.getImage()).isEqualTo("nginx:1.25");
    assertThat(container.getArgs()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(container.getEnv()).containsExactly(new EnvVar("LOG_LEVEL", "info", null));
    assertThat(container.getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(container.getResources().getRequests())
        .isEqualTo(container.getResources().getLimits());
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

    List<Workload> workloads = backend.workloads().block();
    assertThat(workloads)
        .filteredOn(w -> w.functionId().equals(f.id().toString()))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.id()).isEqualTo("deployment/cumulus-fn-tenant-alice/cf-" + f.id());
              assertThat(w.tenantId()).isEqualTo("tenant-alice");
              assertThat(w.isJob()).isFalse();
              assertThat(w.running()).isTrue();
            });
  }

  @Test
  void declaringAnotherCountScalesTheDeploymentAndRemovingDeletesIt() {
    ContainerFunction f = function("tenant-alice", "scaled", 1);
    backend.declare(f, 1).block();
    var deployment =
        client.apps().deployments().inNamespace("cumulus-fn-tenant-alice").withName("cf-" + f.id());

    backend.declare(f, 3).block();
    assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(3);
    backend.declare(f, 0).block(); // stopped
    assertThat(deployment.get().getSpec().getReplicas()).isZero();

    backend.remove("deployment/cumulus-fn-tenant-alice/cf-" + f.id()).block();
    assertThat(deployment.get()).isNull();
    assertThat(backend.workloads().block())
        .noneMatch(w -> w.functionId().equals(f.id().toString()));
  }

  @Test
  void aStoppedFunctionWithoutDeploymentCreatesNothing() {
    ContainerFunction f = function("tenant-nobody", "idle", 1);
    assertThat(backend.declare(f, 0).block()).isEqualTo(new Replicas(0, 0, null, null, false));
    assertThat(client.namespaces().withName("cumulus-fn-tenant-nobody").get()).isNull();
  }

  @Test
  void availableReplicasComeFromTheDeploymentsStatus() {
    ContainerFunction f = function("tenant-alice", "ready", 2);
    backend.declare(f, 2).block();
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace("cumulus-fn-tenant-alice")
            .withName("cf-" + f.id())
            .get();
    d.setStatus(new DeploymentStatusBuilder().withReplicas(2).withAvailableReplicas(2).build());
    client.apps().deployments().inNamespace("cumulus-fn-tenant-alice").resource(d).updateStatus();

    assertThat(backend.declare(f, 2).block()).isEqualTo(new Replicas(2, 0, null, null, false));
  }

  @Test
  void aCrashingReplicaShowsItsRestartsAndExitCode() {
    ContainerFunction f = function("tenant-alice", "crashing", 1);
    backend.declare(f, 1).block();
    replicaPod(
        f,
        "crashing-1",
        new ContainerStatusBuilder()
            .withName("function")
            .withRestartCount(3)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .endTerminated()
            .endLastState()
            .build());

    Replicas replicas = backend.declare(f, 1).block();

    assertThat(replicas.available()).isZero();
    assertThat(replicas.restarts()).isEqualTo(3);
    assertThat(replicas.lastExitCode()).isEqualTo(2);
    assertThat(replicas.problem()).contains("keep exiting");
    assertThat(replicas.imageUnavailable()).isFalse();
  }

  @Test
  void anImageThatCannotBePulledIsTheFunctionsProblem() {
    ContainerFunction f = function("tenant-alice", "no-image", 1);
    backend.declare(f, 1).block();
    replicaPod(
        f,
        "no-image-1",
        new ContainerStatusBuilder()
            .withName("function")
            .withRestartCount(0)
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage("Back-off pulling image \"nginx:1.25\" from registry.internal")
            .endWaiting()
            .endState()
            .build());

    Replicas replicas = backend.declare(f, 1).block();

    assertThat(replicas.imageUnavailable()).isTrue();
    // Kubernetes' own words (which name the cluster's registries) are not passed on.
    assertThat(replicas.problem()).isEqualTo("image 'nginx:1.25' cannot be pulled");
  }

  @Test
  void anInvocationIsAJobThatRunsOnceWithItsInput() {
    ContainerFunction f = function("tenant-bob", "batch", 1);

    backend.startJob(f, "batch-invoke-1699564800", "{\"n\":1}").block();

    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("cumulus-fn-tenant-bob")
            .list()
            .getItems()
            .getFirst();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getContainers().getFirst().getEnv())
        .contains(new EnvVar("EVENTFLOW_INPUT", "{\"n\":1}", null));
    Workload running = jobOf(f);
    assertThat(running.jobName()).isEqualTo("batch-invoke-1699564800");
    assertThat(running.tenantId()).isEqualTo("tenant-bob");
    assertThat(running.running()).isTrue();
    assertThat(running.exitCode()).isNull();

    // The job fails: its pod's exit code is the job's.
    job.setStatus(new JobStatusBuilder().withFailed(1).build());
    client.batch().v1().jobs().inNamespace("cumulus-fn-tenant-bob").resource(job).updateStatus();
    Pod p =
        client
            .pods()
            .inNamespace("cumulus-fn-tenant-bob")
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("batch-pod")
                    .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                    .endMetadata()
                    .build())
            .create();
    p.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("function")
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(3)
                    .endTerminated()
                    .endState()
                    .build())
            .build());
    client.pods().inNamespace("cumulus-fn-tenant-bob").resource(p).updateStatus();

    Workload failed = jobOf(f);
    assertThat(failed.running()).isFalse();
    assertThat(failed.exitCode()).isEqualTo(3);
  }

  @Test
  void anObjectOutsideItsTenantsNamespaceIsNeverTakenForTheTenants() {
    ContainerFunction f = function("tenant-alice", "elsewhere", 1);
    Deployment planted = new KubernetesObjects(properties).deployment(f, 1);
    // Labelled and annotated as alice's, but in bob's namespace.
    client.apps().deployments().inNamespace("cumulus-fn-tenant-bob").resource(planted).create();

    assertThat(backend.workloads().block())
        .noneMatch(w -> w.functionId().equals(f.id().toString()));
  }

  @Test
  void tenantsGetTheirOwnNamespacesAndOddTenantIdsAValidOne() {
    KubernetesObjects objects = new KubernetesObjects(properties);
    assertThat(objects.namespace("tenant-alice")).isEqualTo("cumulus-fn-tenant-alice");
    assertThat(objects.namespace("Tenant_Alice")).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    assertThat(objects.namespace("Tenant_Alice")).isNotEqualTo(objects.namespace("tenant-alice"));
    assertThat(objects.namespace("t".repeat(100))).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void logsAreReadFromTheReplicasPodsWithTheirTimestamps() {
    ContainerFunction f = function("tenant-alice", "chatty", 1);
    backend.declare(f, 1).block();
    replicaPod(f, "chatty-1", null);
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/cumulus-fn-tenant-alice/pods/chatty-1/log?pretty=false&tailLines=5&timestamps=true")
        .andReturn(
            200, "2026-12-07T10:00:00.000000001Z first line\n2026-12-07T10:00:01Z second line\n")
        .once();

    List<LogLine> lines =
        backend
            .logs(List.of("deployment/cumulus-fn-tenant-alice/cf-" + f.id()), 5, false)
            .collectList()
            .block();

    assertThat(lines)
        .containsExactly(
            new LogLine(Instant.parse("2026-12-07T10:00:00.000000001Z"), "first line"),
            new LogLine(Instant.parse("2026-12-07T10:00:01Z"), "second line"));
  }

  @Test
  void followingStreamsAJobsPodOutputUntilItEnds() {
    ContainerFunction f = function("tenant-bob", "streamed", 1);
    backend.startJob(f, "streamed-invoke-1", "{}").block();
    Job job =
        client.batch().v1().jobs().inNamespace("cumulus-fn-tenant-bob").list().getItems().stream()
            .filter(j -> j.getMetadata().getName().startsWith("cfj-" + f.id()))
            .findFirst()
            .orElseThrow();
    client
        .pods()
        .inNamespace("cumulus-fn-tenant-bob")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("streamed-pod")
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .build())
        .create();
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/cumulus-fn-tenant-bob/pods/streamed-pod/log?pretty=false&tailLines=100&timestamps=true&follow=true")
        .andReturn(200, "2026-12-07T10:00:00Z started\n2026-12-07T10:00:02Z done\n")
        .once();

    List<LogLine> lines =
        backend
            .logs(List.of("job/cumulus-fn-tenant-bob/" + job.getMetadata().getName()), 100, true)
            .collectList()
            // Generous: a CI run on two busy cores once took over 10 s to open and end the stream.
            .block(Duration.ofSeconds(30));

    assertThat(lines).extracting(LogLine::text).containsExactly("started", "done");
  }

  @Test
  void registryCredentialsBecomeAnImagePullSecretOfTheFunction() {
    ContainerFunction f =
        withCredentials(
            function("tenant-carol", "private", 1),
            "registry.example.com:5000/team/app:1",
            new RegistryCredentials("robot", "hunter2"));

    backend.declare(f, 1).block();

    Secret secret =
        client
            .secrets()
            .inNamespace("cumulus-fn-tenant-carol")
            .withName("cf-" + f.id() + "-registry")
            .get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    String config =
        new String(
            Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
            StandardCharsets.UTF_8);
    String auth =
        Base64.getEncoder().encodeToString("robot:hunter2".getBytes(StandardCharsets.UTF_8));
    assertThat(config)
        .isEqualTo(
            "{\"auths\":{\"registry.example.com:5000\":{\"username\":\"robot\","
                + "\"password\":\"hunter2\",\"auth\":\""
                + auth
                + "\"}}}");
    var pod =
        client
            .apps()
            .deployments()
            .inNamespace("cumulus-fn-tenant-carol")
            .withName("cf-" + f.id())
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getImagePullSecrets())
        .extracting(s -> s.getName())
        .containsExactly("cf-" + f.id() + "-registry");
    assertThat(pod.getContainers().getFirst().getImagePullPolicy()).isEqualTo("Always");

    // A job of the function pulls with the same secret, which already exists.
    backend.startJob(f, "private-invoke-1", "{}").block();
    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("cumulus-fn-tenant-carol")
            .list()
            .getItems()
            .getFirst();
    assertThat(job.getSpec().getTemplate().getSpec().getImagePullSecrets()).hasSize(1);

    backend.remove("deployment/cumulus-fn-tenant-carol/cf-" + f.id()).block();
    assertThat(
            client
                .secrets()
                .inNamespace("cumulus-fn-tenant-carol")
                .withName("cf-" + f.id() + "-registry")
                .get())
        .isNull();
  }

  @Test
  void aPublicImageHasNoPullSecret() {
    ContainerFunction f = function("tenant-dave", "public", 1);
    backend.declare(f, 1).block();
    var pod =
        client
            .apps()
            .deployments()
            .inNamespace("cumulus-fn-tenant-dave")
            .withName("cf-" + f.id())
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getImagePullSecrets()).isEmpty();
    assertThat(pod.getContainers().getFirst().getImagePullPolicy()).isNull();
    assertThat(client.secrets().inNamespace("cumulus-fn-tenant-dave").list().getItems()).isEmpty();
  }

  private static ContainerFunction withCredentials(
      ContainerFunction f, String image, RegistryCredentials credentials) {
    return new ContainerFunction(
        f.id(),
        f.tenantId(),
        f.userId(),
        f.name(),
        image,
        f.replicas(),
        f.command(),
        f.env(),
        f.resources(),
        f.stopped(),
        f.status(),
        f.statusMessage(),
        f.availableReplicas(),
        f.restarts(),
        f.crashLoop(),
        f.createdAt(),
        f.updatedAt(),
        credentials);
  }

  private Workload jobOf(ContainerFunction f) {
    return backend.workloads().block().stream()
        .filter(w -> w.functionId().equals(f.id().toString()) && w.isJob())
        .findFirst()
        .orElseThrow();
  }

  /** A pod of the function's Deployment, as its ReplicaSet would make it. */
  private static void replicaPod(
      ContainerFunction f, String name, io.fabric8.kubernetes.api.model.ContainerStatus status) {
    Pod pod =
        client
            .pods()
            .inNamespace("cumulus-fn-tenant-alice")
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(
                        Map.of(
                            "dev.cumulus/function-id",
                            f.id().toString(),
                            "dev.cumulus/role",
                            "replica"))
                    .endMetadata()
                    .build())
            .create();
    if (status != null) {
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withContainerStatuses(status)
              .build());
      client.pods().inNamespace("cumulus-fn-tenant-alice").resource(pod).updateStatus();
    }
  }
}
