package dev.cumulus.updater.engine.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The container engine updater-service drives ({@code cumulus.updater.engine.*}).
 *
 * @param dockerHost Docker Engine API address: Docker's or podman's socket ({@code podman system
 *     service}), or {@code tcp://host:port}
 * @param connectTimeout how long to wait for the engine to accept a connection
 * @param responseTimeout how long one engine call may take (image pulls included)
 * @param maxConnections concurrent engine calls
 */
@ConfigurationProperties("cumulus.updater.engine")
public record EngineProperties(
    @DefaultValue("unix:///run/podman.sock") String dockerHost,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("5m") Duration responseTimeout,
    @DefaultValue("32") int maxConnections) {}
