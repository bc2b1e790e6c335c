package dev.cumulus.updater.engine.domain;

import java.time.Instant;

/**
 * A container as the engine reports it.
 *
 * @param state the engine's state: {@code created}, {@code running}, {@code exited}, ...
 * @param imageId the local image id ({@code sha256:...}) it runs
 * @param startedAt null when it never ran
 */
public record EngineContainer(
    String id, String name, String state, String imageId, Instant startedAt, Integer exitCode) {

  public boolean running() {
    return "running".equals(state);
  }
}
