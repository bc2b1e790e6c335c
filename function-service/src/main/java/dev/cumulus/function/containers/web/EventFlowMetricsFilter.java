package dev.cumulus.function.containers.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Seed 001's request metrics for {@code /v1/**}: {@code eventflow_api_requests_total{method,
 * endpoint,status}} and the {@code eventflow_api_request_duration_seconds{method,endpoint}}
 * histogram (buckets 0.1, 0.5 and 1 s as the seed shows, and more). {@code endpoint} is the matched
 * route ({@code /v1/functions/{name}}), never the raw path, so names cannot grow the series without
 * bound.
 */
@Component
public class EventFlowMetricsFilter implements WebFilter {

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;

  public EventFlowMetricsFilter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!exchange.getRequest().getPath().value().startsWith("/v1/")) {
      return chain.filter(exchange);
    }
    long start = System.nanoTime();
    return chain.filter(exchange).doFinally(signal -> record(exchange, System.nanoTime() - start));
  }

  private void record(ServerWebExchange exchange, long nanos) {
    String method = exchange.getRequest().getMethod().name();
    Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    String endpoint = pattern instanceof PathPattern p ? p.getPatternString() : "unmatched";
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    Counter.builder("eventflow.api.requests")
        .description("Total number of API requests")
        .tag("method", method)
        .tag("endpoint", endpoint)
        .tag("status", status == null ? "200" : String.valueOf(status.value()))
        .register(registry)
        .increment();
    Timer.builder("eventflow.api.request.duration")
        .description("API request duration in seconds")
        .tag("method", method)
        .tag("endpoint", endpoint)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }
}
