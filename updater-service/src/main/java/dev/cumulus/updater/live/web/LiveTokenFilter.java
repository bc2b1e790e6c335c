package dev.cumulus.updater.live.web;

import dev.cumulus.platform.error.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Browsers cannot set headers on a WebSocket handshake, so seed 002 sends the token as {@code
 * /api/ws?token=}: verified here exactly as a bearer token would be (same decoder: signature,
 * issuer, expiry), and refused with a 401 in the seed's envelope before any upgrade. Only {@code
 * ?token=} is read: a token in a URL never reaches any other path.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class LiveTokenFilter implements WebFilter {

  static final String PATH = "/api/ws";

  private final ReactiveJwtDecoder decoder;

  LiveTokenFilter(ReactiveJwtDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
      return chain.filter(exchange);
    }
    String token = exchange.getRequest().getQueryParams().getFirst("token");
    if (token == null || token.isBlank()) {
      return Mono.error(ApiException.unauthorized("Authentication required: ?token=<jwt>"));
    }
    return decoder
        .decode(token)
        .onErrorMap(invalid -> ApiException.unauthorized("Invalid or expired token"))
        .flatMap(jwt -> chain.filter(exchange));
  }
}
