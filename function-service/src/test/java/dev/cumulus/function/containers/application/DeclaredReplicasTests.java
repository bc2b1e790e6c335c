package dev.cumulus.function.containers.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.function.containers.application.ContainerBackend.Replicas;
import dev.cumulus.function.containers.application.ContainerReconciler.Observed;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.ContainerFunction.Status;
import dev.cumulus.function.containers.domain.CrashLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler records of a function whose engine keeps its replicas (Kubernetes): the
 * status from the available replicas, restarts the engine counted, and the crash count.
 */
class DeclaredReplicasTests {

  private static final CrashLoop.Policy POLICY =
      new CrashLoop.Policy(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static ContainerFunction function(int replicas, boolean stopped, int restarts) {
    return new ContainerFunction(
        UUID.randomUUID(),
        "tenant-alice",
        "alice",
        "web-server",
        "nginx:1.25",
        replicas,
        List.of(),
        Map.of(),
        null,
        stopped,
        "Pending",
        null,
        0,
        restarts,
        CrashLoop.NONE,
        T0,
        T0,
        null);
  }

  @Test
  void pendingUntilEveryReplicaIsAvailableThenRunning() {
    ContainerFunction f = function(2, false, 0);
    Observed pending =
        ContainerReconciler.observed(f, new Replicas(1, 0, null, null, false), T0, POLICY);
    assertThat(pending.status()).isEqualTo(Status.Pending);
    assertThat(pending.available()).isEqualTo(1);

    Observed running =
        ContainerReconciler.observed(f, new Replicas(2, 0, null, null, false), T0, POLICY);
    assertThat(running.status()).isEqualTo(Status.Running);
    assertThat(running.available()).isEqualTo(2);
    assertThat(running.restarted()).isZero();
  }

  @Test
  void restartsTheEngineCountedAreAddedOnceAndCountAsCrashes() {
    ContainerFunction f = function(1, false, 2);
    Observed crashed =
        ContainerReconciler.observed(
            f, new Replicas(0, 5, 137, "replicas keep exiting", false), T0, POLICY);
    assertThat(crashed.status()).isEqualTo(Status.Pending);
    assertThat(crashed.restarted()).isEqualTo(3); // 5 counted, 2 recorded already
    assertThat(crashed.message()).isEqualTo("replicas keep exiting");
    assertThat(crashed.loop().crashes()).isEqualTo(1);
    assertThat(crashed.loop().lastExitCode()).isEqualTo(137);

    // Pods replaced: the engine counts fewer than recorded, nothing is taken back.
    ContainerFunction recorded = function(1, false, 5);
    assertThat(
            ContainerReconciler.observed(
                    recorded, new Replicas(1, 0, null, null, false), T0, POLICY)
                .restarted())
        .isZero();
  }

  @Test
  void anImageThatCannotBePulledFailsAndAStoppedFunctionIsStopped() {
    Observed failed =
        ContainerReconciler.observed(
            function(1, false, 0),
            new Replicas(0, 0, null, "image 'nginx:1.25' cannot be pulled", true),
            T0,
            POLICY);
    assertThat(failed.status()).isEqualTo(Status.Failed);
    assertThat(failed.message()).isEqualTo("image 'nginx:1.25' cannot be pulled");

    Observed stopped =
        ContainerReconciler.observed(
            function(2, true, 4), new Replicas(0, 0, null, null, false), T0, POLICY);
    assertThat(stopped.status()).isEqualTo(Status.Stopped);
    assertThat(stopped.available()).isZero();
    assertThat(stopped.loop()).isEqualTo(CrashLoop.NONE);
  }
}
