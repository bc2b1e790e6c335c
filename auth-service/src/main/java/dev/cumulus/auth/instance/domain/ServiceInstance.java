package dev.cumulus.auth.instance.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One tenant's instance of a DockSaaS service. */
public record ServiceInstance(
    UUID id,
    String tenantId,
    String serviceName,
    ServiceType serviceType,
    Map<String, Object> configuration,
    String status,
    String createdBy,
    Instant createdAt) {

  /** Until the service that hosts the instance reports it ready ({@code instance.ready}). */
  public static final String PROVISIONING = "provisioning";

  public static final String RUNNING = "running";

  /** Its service could not provision it ({@code instance.failed}). */
  public static final String FAILED = "failed";

  /** {@code /api/<type>/<tenant>/<id>}, where the instance's own API lives. */
  public String endpoint() {
    return "/api/" + serviceType.pathSegment() + "/" + tenantId + "/" + id;
  }
}
