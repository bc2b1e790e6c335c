package dev.cumulus.updater.container.domain;

/**
 * A partial change of a container's settings (seed 002's PUT); null parts stay as they are.
 *
 * @param configFields which config fields the caller sent
 */
public record ContainerChange(
    ContainerConfig config,
    ContainerConfig.ConfigFields configFields,
    UpdatePolicy.PolicyPatch updatePolicy,
    HealthCheck healthCheck) {}
