package dev.cumulus.updater.update.domain;

import java.time.Instant;

/** One step of an update, as its history shows it. */
public record UpdateLog(Instant timestamp, String level, String message) {

  public static UpdateLog info(String message) {
    return new UpdateLog(Instant.now(), "info", message);
  }

  public static UpdateLog warn(String message) {
    return new UpdateLog(Instant.now(), "warning", message);
  }

  public static UpdateLog error(String message) {
    return new UpdateLog(Instant.now(), "error", message);
  }
}
