package dev.cumulus.updater.common.domain;

import java.time.Duration;

/** Durations as seed 002 writes them: {@code 2h30m15s}, {@code 5m0s}. */
public final class Durations {

  private Durations() {}

  public static String format(Duration duration) {
    long seconds = Math.max(duration.toSeconds(), 0);
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return h > 0 ? h + "h" + m + "m" + s + "s" : m > 0 ? m + "m" + s + "s" : s + "s";
  }
}
