package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.gateway.metrics.InstanceMetricsStore.Minute;
import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/metrics/instances/{instanceId}?minutes=60}: an instance's requests, 4xx and 5xx
 * counts and p50/p95/p99 latency (ms, time to the response's first byte at the gateway) per minute,
 * oldest first, the current minute last. The caller was authenticated by the gateway's filters;
 * whether it may see the instance, auth-service decides ({@link InstanceOwners}).
 */
class InstanceMetricsRoutes {

  static final int MAX_MINUTES = 1440;

  /** The answer: per-minute points, zeros (and null percentiles) for minutes without requests. */
  record InstanceMetrics(String instanceId, int periodSeconds, List<Point> points) {}

  record Point(
      Instant minute,
      long requests,
      long clientErrors,
      long serverErrors,
      Double p50Ms,
      Double p95Ms,
      Double p99Ms) {}

  private final InstanceOwners owners;
  private final InstanceMetricsStore store;
  private final Clock clock;

  InstanceMetricsRoutes(InstanceOwners owners, InstanceMetricsStore store, Clock clock) {
    this.owners = owners;
    this.store = store;
    this.clock = clock;
  }

  RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .GET("/api/metrics/instances/{instanceId}", this::instance)
        .build();
  }

  private Mono<ServerResponse> instance(ServerRequest request) {
    Caller caller = Caller.of(request.exchange());
    if (caller == null) {
      return Mono.error(ApiException.unauthorized("Authentication required"));
    }
    String instanceId = request.pathVariable("instanceId");
    if (!isUuid(instanceId)) {
      return Mono.error(ApiException.notFound("No service instance " + instanceId));
    }
    int minutes;
    try {
      minutes = Integer.parseInt(request.queryParam("minutes").orElse("60"));
    } catch (NumberFormatException e) {
      return Mono.error(ApiException.badRequest("minutes must be a whole number from 1 to 1440"));
    }
    if (minutes < 1 || minutes > MAX_MINUTES) {
      return Mono.error(ApiException.badRequest("minutes must be a whole number from 1 to 1440"));
    }
    long now = clock.millis() / 60_000;
    return owners
        .tenantOf(
            instanceId,
            caller,
            request.headers().firstHeader("X-Tenant-Domain"),
            RequestIdWebFilter.requestIdOf(request.exchange()))
        .flatMap(
            tenant ->
                store
                    .read(tenant, instanceId, now - minutes + 1, now)
                    .map(this::point)
                    .collectList())
        .flatMap(
            points -> ServerResponse.ok().bodyValue(new InstanceMetrics(instanceId, 60, points)));
  }

  private Point point(Minute minute) {
    return new Point(
        Instant.ofEpochSecond(minute.epochMinute() * 60),
        minute.requests(),
        minute.clientErrors(),
        minute.serverErrors(),
        LatencyHistogram.quantile(minute.latency(), 0.50),
        LatencyHistogram.quantile(minute.latency(), 0.95),
        LatencyHistogram.quantile(minute.latency(), 0.99));
  }

  private static boolean isUuid(String value) {
    try {
      return value.length() == 36 && UUID.fromString(value) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
