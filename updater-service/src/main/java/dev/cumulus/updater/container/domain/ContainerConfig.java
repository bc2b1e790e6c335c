package dev.cumulus.updater.container.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** How a container runs, in seed 002's shape (also its JSON column). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerConfig(
    List<Port> ports,
    Map<String, String> environment,
    List<Mount> volumes,
    List<String> networks,
    Map<String, String> labels,
    @JsonProperty("restart_policy") String restartPolicy,
    @JsonProperty("cpu_limit") String cpuLimit,
    @JsonProperty("memory_limit") String memoryLimit) {

  public ContainerConfig {
    ports = ports == null ? List.of() : List.copyOf(ports);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networks = networks == null ? List.of() : List.copyOf(networks);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    restartPolicy = restartPolicy == null ? "no" : restartPolicy;
  }

  public static ContainerConfig empty() {
    return new ContainerConfig(null, null, null, null, null, null, null, null);
  }

  /** A published port; {@code host} 0 or absent lets the engine choose. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Port(Integer host, Integer container, String protocol) {
    public Port {
      host = host == null ? 0 : host;
      container = container == null ? 0 : container;
      protocol = protocol == null ? "tcp" : protocol;
    }
  }

  /** A bind mount. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(String host, String container, String mode) {
    public Mount {
      mode = mode == null ? "rw" : mode;
    }
  }

  /** This config with the fields the patch sets replaced (seed 002's PUT semantics). */
  public ContainerConfig merge(ContainerConfig patch, ConfigFields present) {
    return new ContainerConfig(
        present.ports() ? patch.ports() : ports,
        present.environment() ? patch.environment() : environment,
        present.volumes() ? patch.volumes() : volumes,
        present.networks() ? patch.networks() : networks,
        present.labels() ? patch.labels() : labels,
        present.restartPolicy() ? patch.restartPolicy() : restartPolicy,
        present.cpuLimit() ? patch.cpuLimit() : cpuLimit,
        present.memoryLimit() ? patch.memoryLimit() : memoryLimit);
  }

  /** Which fields a partial update carried. */
  public record ConfigFields(
      boolean ports,
      boolean environment,
      boolean volumes,
      boolean networks,
      boolean labels,
      boolean restartPolicy,
      boolean cpuLimit,
      boolean memoryLimit) {}
}
