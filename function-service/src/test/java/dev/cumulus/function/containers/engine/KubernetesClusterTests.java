package dev.cumulus.function.containers.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend.LogLine;
import dev.cumulus.function.containers.application.ContainerBackend.Workload;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.domain.Resources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes backend on a real cluster, only when {@code KUBECONFIG} is set (skipped
 * otherwise): a replica really becomes available and logs, a job really runs to its exit code. The
 * image is {@code CUMULUS_TEST_K8S_IMAGE} (default {@code busybox:1.36}); everything lands in the
 * namespace of a throwaway tenant, deleted afterwards.
 */
class KubernetesClusterTests {

  private static final String TENANT = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private static KubernetesClient client;
  private static KubernetesBackend backend;
  private static KubernetesObjects objects;

  @BeforeAll
  static void connect() {
    String kubeconfig = System.getenv("KUBECONFIG");
    assumeTrue(kubeconfig != null && !kubeconfig.isBlank(), "KUBECONFIG is not set: no cluster");
    ContainerProperties properties =
        new ContainerProperties(
            "kubernetes",
            "cumulus-fn-",
            "unix:///run/podman.sock",
            Duration.ofSeconds(3),
            Duration.ofMinutes(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            10,
            "64Mi",
            256,
            Duration.ofMinutes(10),
            65536,
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    client = new KubernetesClientBuilder().build();
    backend = new KubernetesBackend(client, properties);
    objects = new KubernetesObjects(properties);
  }

  @AfterAll
  static void cleanUp() {
    if (client != null) {
      client.namespaces().withName(objects.namespace(TENANT)).delete();
      client.close();
    }
  }

  private static ContainerFunction function(String name, List<String> command) {
    String image = System.getenv().getOrDefault("CUMULUS_TEST_K8S_IMAGE", "busybox:1.36");
    return new ContainerFunction(
        UUID.randomUUID(),
        TENANT,
        "it",
        name,
        image,
        1,
        command,
        Map.of("GREETING", "hello"),
        new Resources("100m", "32Mi"),
        false,
        "Pending",
        null,
        0,
        0,
        CrashLoop.NONE,
        Instant.now(),
        Instant.now(),
        null);
  }

  @Test
  void aReplicaBecomesAvailableAndItsOutputIsRead() {
    ContainerFunction f =
        function("greeter", List.of("sh", "-c", "echo $GREETING; exec sleep 3600"));
    backend.declare(f, 1).block();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> backend.declare(f, 1).block().available() == 1);
    String id = "deployment/" + objects.namespace(TENANT) + "/cf-" + f.id();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(backend.logs(List.of(id), 10, false).collectList().block())
                    .extracting(LogLine::text)
                    .contains("hello"));
    backend.remove(id).block();
  }

  @Test
  void aJobRunsOnceToItsExitCode() {
    ContainerFunction f = function("exits", List.of("sh", "-c", "echo $EVENTFLOW_INPUT; exit 3"));
    backend.startJob(f, "exits-invoke-1", "{\"n\":1}").block();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> !job(f).running());
    assertThat(job(f).exitCode()).isEqualTo(3);
  }

  private static Workload job(ContainerFunction f) {
    return backend.workloads().block().stream()
        .filter(w -> w.isJob() && w.functionId().equals(f.id().toString()))
        .findFirst()
        .orElseThrow();
  }
}
