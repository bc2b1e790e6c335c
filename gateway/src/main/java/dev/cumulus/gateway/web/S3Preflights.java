package dev.cumulus.gateway.web;

import dev.cumulus.gateway.config.GatewayPaths;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Carries S3 CORS preflights to storage-service, which answers them from the bucket's rules.
 * WebFlux's DispatcherHandler answers every preflight itself, from the handler mappings' CORS
 * configuration, without invoking any handler (so no route). An S3 preflight therefore passes it as
 * a plain {@code OPTIONS}: this filter, the last before the dispatcher (after authentication and
 * rate limits, which let preflights through uncounted), holds its {@code
 * Access-Control-Request-Method} aside, and {@link Restore} puts it back on the upstream request.
 */
public final class S3Preflights implements WebFilter, Ordered {

  static final String HELD_METHOD = S3Preflights.class.getName() + ".requestMethod";

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!CorsUtils.isPreFlightRequest(request)
        || !GatewayPaths.isS3(request.getPath().pathWithinApplication().value())) {
      return chain.filter(exchange);
    }
    exchange
        .getAttributes()
        .put(HELD_METHOD, request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD));
    ServerHttpRequest plain =
        request.mutate().headers(h -> h.remove(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)).build();
    return chain.filter(exchange.mutate().request(plain).build());
  }

  /** Upstream: the preflight's request method, as the browser sent it. */
  public static final class Restore implements HttpHeadersFilter, Ordered {

    @Override
    public boolean supports(Type type) {
      return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
      String method = exchange.getAttribute(HELD_METHOD);
      if (method == null) {
        return input;
      }
      HttpHeaders headers = HttpHeaders.copyOf(input);
      headers.set(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method);
      return headers;
    }
  }
}
