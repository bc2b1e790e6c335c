package dev.cumulus.updater.registry.domain;

import java.time.Instant;

/**
 * A tenant's login to one registry, as it may be shown: never with its password.
 *
 * @param id changes whenever the login does (tokens cached for it are keyed by it)
 * @param registry the registry's host ({@code ghcr.io}, {@code 127.0.0.1:5001}; {@code docker.io}
 *     for Docker Hub)
 */
public record RegistryLogin(
    String id,
    String tenantId,
    String registry,
    String username,
    Instant createdAt,
    Instant updatedAt) {}
