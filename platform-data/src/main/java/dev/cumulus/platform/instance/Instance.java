package dev.cumulus.platform.instance;

import java.time.Instant;

/**
 * A service instance this service hosts, as announced by auth-service's {@code service.created}.
 *
 * @param serviceType the seed's path segment, e.g. {@code s3storage}
 * @param state {@link #PROVISIONING}, {@link #READY} or {@link #FAILED}
 */
public record Instance(
    String serviceId,
    String serviceType,
    String tenantId,
    String name,
    String state,
    Instant createdAt,
    boolean deleted) {

  public static final String PROVISIONING = "provisioning";
  public static final String READY = "ready";
  public static final String FAILED = "failed";

  public boolean ready() {
    return READY.equals(state) && !deleted;
  }
}
