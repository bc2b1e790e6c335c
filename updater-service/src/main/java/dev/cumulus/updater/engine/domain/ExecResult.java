package dev.cumulus.updater.engine.domain;

/** The outcome of a command run inside a container. */
public record ExecResult(long exitCode, String output) {

  public boolean succeeded() {
    return exitCode == 0;
  }
}
