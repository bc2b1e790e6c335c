package dev.cumulus.updater.container.domain;

/** Seed 002's container statuses, from the engine's states. */
public final class ContainerStatus {

  public static final String STARTING = "starting";
  public static final String RUNNING = "running";
  public static final String STOPPED = "stopped";
  public static final String UPDATING = "updating";
  public static final String ERROR = "error";

  private ContainerStatus() {}

  /** Docker's {@code State.Status} in seed 002's words. */
  public static String fromEngine(String state, Integer exitCode) {
    if (state == null) {
      return ERROR;
    }
    return switch (state) {
      case "running" -> RUNNING;
      case "created", "restarting" -> STARTING;
      case "exited", "stopped", "configured" ->
          exitCode != null && exitCode != 0 && exitCode != 137 && exitCode != 143 ? ERROR : STOPPED;
      case "paused" -> STOPPED;
      default -> ERROR;
    };
  }
}
