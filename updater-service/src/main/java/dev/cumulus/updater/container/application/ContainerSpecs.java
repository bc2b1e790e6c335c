package dev.cumulus.updater.container.application;

import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerRules;
import dev.cumulus.updater.engine.domain.RunSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** A container's settings as the engine's {@link RunSpec}, with Cumulus' ownership labels. */
public final class ContainerSpecs {

  public static final String TENANT_LABEL = "dev.cumulus.tenant";
  public static final String CONTAINER_LABEL = "dev.cumulus.container-id";
  public static final String MANAGED_LABEL = "dev.cumulus.managed-by";

  private ContainerSpecs() {}

  /** The spec to run {@code image} under {@code engineName} for this container. */
  public static RunSpec of(Container c, String image, String engineName) {
    Map<String, String> labels = new LinkedHashMap<>(c.config().labels());
    // Ours last: a caller's label never claims another tenant's container.
    labels.put(TENANT_LABEL, c.tenantId());
    labels.put(CONTAINER_LABEL, Long.toString(c.id()));
    labels.put(MANAGED_LABEL, "cumulus-updater");
    return new RunSpec(
        engineName,
        image,
        c.config().environment(),
        c.config().ports().stream()
            .map(p -> new RunSpec.PortBinding(p.host(), p.container(), p.protocol()))
            .toList(),
        c.config().volumes().stream()
            .map(v -> new RunSpec.VolumeBinding(v.host(), v.container(), v.mode()))
            .toList(),
        labels,
        c.config().networks(),
        c.config().restartPolicy(),
        Math.max(ContainerRules.memoryBytes(c.config().memoryLimit()), 0),
        Math.max(ContainerRules.nanoCpus(c.config().cpuLimit()), 0));
  }
}
