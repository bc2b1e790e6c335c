package dev.cumulus.function.containers.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A function's replicas that keep exiting on their own, as Kubernetes' CrashLoopBackOff: after each
 * crash the replacement waits {@code initial}, doubled per crash in a row up to {@code max}; a
 * replica that then ran {@code resetAfter} without crashing starts the count again.
 *
 * @param crashes crashes in a row (0: none since the last stable period)
 * @param lastCrashAt when the last crash was seen, or null
 * @param restartAt when the replacement may start, or null
 * @param lastExitCode the crashed replica's exit code, when the engine reported one
 */
public record CrashLoop(int crashes, Instant lastCrashAt, Instant restartAt, Integer lastExitCode) {

  public static final CrashLoop NONE = new CrashLoop(0, null, null, null);

  /** The back-off settings. */
  public record Policy(Duration initial, Duration max, Duration resetAfter) {}

  /** After a crash seen at {@code now}: one more in a row, unless the replica had run stably. */
  public CrashLoop crashed(Instant now, Integer exitCode, Policy policy) {
    int inRow = stableSince(now, policy) ? 1 : crashes + 1;
    return new CrashLoop(inRow, now, now.plus(delay(inRow, policy)), exitCode);
  }

  /** Whether replacements wait at {@code now}. */
  public boolean holding(Instant now) {
    return restartAt != null && restartAt.isAfter(now);
  }

  /** The count starts again once the replicas ran {@code resetAfter} since their last restart. */
  public CrashLoop settled(Instant now, Policy policy) {
    return crashes > 0 && stableSince(now, policy) ? NONE : this;
  }

  /** How long the replacement of the last crashed replica waits. */
  public Duration backoff() {
    return restartAt == null || lastCrashAt == null
        ? Duration.ZERO
        : Duration.between(lastCrashAt, restartAt);
  }

  private boolean stableSince(Instant now, Policy policy) {
    return restartAt == null || !restartAt.plus(policy.resetAfter()).isAfter(now);
  }

  static Duration delay(int inRow, Policy policy) {
    Duration delay = policy.initial();
    for (int i = 1; i < inRow && delay.compareTo(policy.max()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(policy.max()) > 0 ? policy.max() : delay;
  }

  /** What the status message says while replacements wait. */
  public String message() {
    return "CrashLoopBackOff: back-off "
        + backoff().toSeconds()
        + "s restarting a replica that exited"
        + (lastExitCode == null ? "" : " with code " + lastExitCode)
        + " ("
        + crashes
        + (crashes == 1 ? " crash" : " crashes in a row")
        + ")";
  }
}
