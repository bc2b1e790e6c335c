package dev.cumulus.function.containers.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The crash back-off's arithmetic, on given instants (no clock involved). */
class CrashLoopTests {

  private static final CrashLoop.Policy POLICY =
      new CrashLoop.Policy(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void theBackOffDoublesPerCrashInARowUpToTheMaximum() {
    CrashLoop loop = CrashLoop.NONE;
    Instant now = T0;
    long[] seconds = new long[8];
    for (int i = 0; i < seconds.length; i++) {
      loop = loop.crashed(now, 1, POLICY);
      seconds[i] = loop.backoff().toSeconds();
      assertThat(loop.crashes()).isEqualTo(i + 1);
      // The replacement starts when the back-off ends and crashes 2 s later.
      now = loop.restartAt().plusSeconds(2);
    }
    assertThat(seconds).containsExactly(10, 20, 40, 80, 160, 300, 300, 300);
  }

  @Test
  void replacementsWaitUntilTheBackOffEnds() {
    CrashLoop loop = CrashLoop.NONE.crashed(T0, 137, POLICY);
    assertThat(CrashLoop.NONE.holding(T0)).isFalse();
    assertThat(loop.holding(T0.plusSeconds(9))).isTrue();
    assertThat(loop.holding(T0.plusSeconds(10))).isFalse();
    assertThat(loop.message())
        .isEqualTo(
            "CrashLoopBackOff: back-off 10s restarting a replica that exited with code 137 (1"
                + " crash)");
  }

  @Test
  void aReplicaThatRanStablyStartsTheCountAgain() {
    CrashLoop loop = CrashLoop.NONE.crashed(T0, 1, POLICY).crashed(T0.plusSeconds(12), 1, POLICY);
    assertThat(loop.crashes()).isEqualTo(2);
    Instant restarted = loop.restartAt();

    // Ran 10 minutes after its restart: settled, and the next crash waits the initial back-off.
    assertThat(loop.settled(restarted.plus(Duration.ofMinutes(9)), POLICY)).isEqualTo(loop);
    assertThat(loop.settled(restarted.plus(Duration.ofMinutes(10)), POLICY))
        .isEqualTo(CrashLoop.NONE);
    CrashLoop later = loop.crashed(restarted.plus(Duration.ofMinutes(11)), 2, POLICY);
    assertThat(later.crashes()).isEqualTo(1);
    assertThat(later.backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(later.message()).contains("code 2").contains("(1 crash)");

    // A crash before that keeps counting.
    CrashLoop soon = loop.crashed(restarted.plus(Duration.ofMinutes(1)), null, POLICY);
    assertThat(soon.crashes()).isEqualTo(3);
    assertThat(soon.backoff()).isEqualTo(Duration.ofSeconds(40));
    assertThat(soon.message()).contains("exited (3 crashes in a row)");
  }
}
