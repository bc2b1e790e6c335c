package dev.cumulus.gateway.routing;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers the paths of a service that is not built yet ({@code built: false} in services.yml) with
 * 503 in the path's family envelope, so a client of that seed sees "not available yet" rather than
 * a 404 that reads as a wrong URL.
 */
public final class NotAvailableYet implements GatewayFilter {

  private final String service;

  public NotAvailableYet(String service) {
    this.service = service;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    return Mono.error(
        new ApiException(
            ErrorKind.SERVICE_UNAVAILABLE,
            "Service " + service + " is not available yet in this Cumulus version"));
  }
}
