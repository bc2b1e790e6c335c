package dev.cumulus.updater.container.domain;

import java.time.Instant;

/**
 * A container a tenant runs through Cumulus.
 *
 * @param image what the caller asked for ({@code repo:tag}); {@code imageDigest} is the manifest
 *     digest it runs
 * @param dockerId the engine's id, null while being created
 * @param status {@code starting}, {@code running}, {@code stopped}, {@code updating}, {@code error}
 * @param healthCheck null when none
 */
public record Container(
    long id,
    String tenantId,
    String name,
    String image,
    String imageDigest,
    String dockerId,
    String status,
    ContainerConfig config,
    UpdatePolicy updatePolicy,
    HealthCheck healthCheck,
    String healthStatus,
    Instant healthCheckedAt,
    boolean updateAvailable,
    String latestDigest,
    Instant createdAt,
    Instant updatedAt) {

  /** The engine's name for it: unique across tenants, recognisable in {@code podman ps}. */
  public String engineName() {
    return engineName(id, name);
  }

  public static String engineName(long id, String name) {
    return "cumulus-" + id + "-" + name;
  }

  /** The same container with another status. */
  public Container withStatus(String newStatus) {
    return new Container(
        id,
        tenantId,
        name,
        image,
        imageDigest,
        dockerId,
        newStatus,
        config,
        updatePolicy,
        healthCheck,
        healthStatus,
        healthCheckedAt,
        updateAvailable,
        latestDigest,
        createdAt,
        updatedAt);
  }
}
