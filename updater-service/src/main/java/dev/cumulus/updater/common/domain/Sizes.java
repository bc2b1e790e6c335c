package dev.cumulus.updater.common.domain;

import java.util.Locale;

/** Byte counts as seed 002 writes them: {@code 128MB}, {@code 1.2GB}. */
public final class Sizes {

  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

  private Sizes() {}

  public static String format(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return value >= 10 || unit == 0
        ? Math.round(value) + UNITS[unit]
        : String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
  }
}
