package dev.cumulus.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-route circuit breakers ({@code cumulus.gateway.circuit-breaker.*}): a breaker opens when
 * at least {@code failureRateThreshold} percent of the last {@code slidingWindowSize} calls failed
 * (connection refused, timeout), then refuses calls at once (503) for {@code waitInOpenState}.
 */
@ConfigurationProperties("cumulus.gateway.circuit-breaker")
public record CircuitBreakerProperties(
    @DefaultValue("50") int slidingWindowSize,
    @DefaultValue("20") int minimumNumberOfCalls,
    @DefaultValue("50") float failureRateThreshold,
    @DefaultValue("10s") Duration waitInOpenState,
    @DefaultValue("5") int callsInHalfOpenState) {}
