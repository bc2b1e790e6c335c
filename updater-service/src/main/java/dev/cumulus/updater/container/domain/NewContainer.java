package dev.cumulus.updater.container.domain;

/** What a caller asks to run. */
public record NewContainer(
    String name,
    String image,
    ContainerConfig config,
    UpdatePolicy updatePolicy,
    HealthCheck healthCheck,
    boolean startImmediately) {}
