package dev.cumulus.updater.container.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.scheduling.support.CronExpression;

/**
 * Cron in the classic five fields ({@code 0 2 * * *}, as seed 002 writes it) or Spring's six (with
 * seconds), evaluated in UTC.
 */
public final class CronSchedule {

  private CronSchedule() {}

  public static boolean isValid(String cron) {
    try {
      parse(cron);
      return true;
    } catch (IllegalArgumentException invalid) {
      return false;
    }
  }

  /** The first run strictly after {@code after}. */
  public static Instant next(String cron, Instant after) {
    var next = parse(cron).next(after.atZone(ZoneOffset.UTC));
    return next == null ? null : next.toInstant();
  }

  private static CronExpression parse(String cron) {
    String trimmed = cron == null ? "" : cron.trim();
    return CronExpression.parse(trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed);
  }
}
