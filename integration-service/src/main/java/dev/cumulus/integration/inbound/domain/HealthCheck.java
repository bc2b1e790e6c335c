package dev.cumulus.integration.inbound.domain;

import java.time.Instant;
import java.util.UUID;

/** The last health check of a source; {@code responseTime} in seconds, as seed 003 shows it. */
public record HealthCheck(
    UUID id,
    String serviceName,
    String status,
    double responseTime,
    Instant lastCheck,
    String errorMessage) {}
