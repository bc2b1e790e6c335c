package dev.cumulus.platform.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a recurring warning through at most once per interval, whichever thread asks: a dependency
 * that is away fails every request, and one line per request would flood the log. The first call is
 * always let through.
 */
public final class WarningThrottle {

  private final long intervalNanos;
  private final AtomicLong last;

  public WarningThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
    this.last = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** True when a warning is due now; the next one is then due an interval later. */
  public boolean due() {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= intervalNanos && last.compareAndSet(previous, now);
  }
}
