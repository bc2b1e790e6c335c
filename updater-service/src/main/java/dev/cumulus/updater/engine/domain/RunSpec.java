package dev.cumulus.updater.engine.domain;

import java.util.List;
import java.util.Map;

/**
 * What to run: everything the engine needs to create one container.
 *
 * @param name the engine's container name (unique on the engine)
 * @param image a reference the engine can pull ({@code repo:tag} or {@code repo@sha256:...})
 * @param memoryBytes 0 for no limit
 * @param nanoCpus 0 for no limit (1e9 = one CPU)
 */
public record RunSpec(
    String name,
    String image,
    Map<String, String> environment,
    List<PortBinding> ports,
    List<VolumeBinding> volumes,
    Map<String, String> labels,
    List<String> networks,
    String restartPolicy,
    long memoryBytes,
    long nanoCpus) {

  /** A published port; {@code host} 0 lets the engine choose. */
  public record PortBinding(int host, int container, String protocol) {}

  /** A bind mount, {@code mode} {@code rw} or {@code ro}. */
  public record VolumeBinding(String host, String container, String mode) {}

  public RunSpec withName(String newName) {
    return new RunSpec(
        newName,
        image,
        environment,
        ports,
        volumes,
        labels,
        networks,
        restartPolicy,
        memoryBytes,
        nanoCpus);
  }

  public RunSpec withImage(String newImage) {
    return new RunSpec(
        name,
        newImage,
        environment,
        ports,
        volumes,
        labels,
        networks,
        restartPolicy,
        memoryBytes,
        nanoCpus);
  }

  public boolean publishesHostPorts() {
    return ports.stream().anyMatch(p -> p.host() > 0);
  }
}
