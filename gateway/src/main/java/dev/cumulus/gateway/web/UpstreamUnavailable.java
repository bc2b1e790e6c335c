package dev.cumulus.gateway.web;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

import dev.cumulus.gateway.routing.RegistryRoutes;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A routed service that is down, refuses connections, times out or has its circuit breaker open
 * answers 503 in the family envelope of the path (rendered by the platform's error handler), never
 * a 500 or a bare 502/504.
 *
 * <p>Why a filter and not the circuit breaker's {@code fallbackUri}: Spring Cloud Gateway caches
 * the whole request body of every route with a fallback (so it could replay it to the fallback),
 * which turns a streamed 64 MiB upload into a 64 MiB buffer, or an OutOfMemoryError.
 */
public final class UpstreamUnavailable implements GlobalFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(UpstreamUnavailable.class);
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(5));

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE; // around the breaker and the routing filters
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    return chain
        .filter(exchange)
        .onErrorMap(
            failure -> !(failure instanceof ApiException) && !exchange.getResponse().isCommitted(),
            failure -> unavailable(exchange, failure));
  }

  private ApiException unavailable(ServerWebExchange exchange, Throwable cause) {
    Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
    Object service = route == null ? "upstream" : route.getMetadata().get(RegistryRoutes.SERVICE);
    warn(service, cause);
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "Service " + service + " is unavailable, please try again later");
  }

  private void warn(Object service, Throwable cause) {
    if (warnings.due()) {
      log.warn("Service {} unavailable: {}", service, cause.toString());
    }
  }
}
