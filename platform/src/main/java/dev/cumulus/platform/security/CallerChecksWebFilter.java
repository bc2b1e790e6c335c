package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiException;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Makes the gateway's decisions about a verified token again in the service, so that a call that
 * reaches the service directly gets the answer it would get through the gateway: the token must not
 * be revoked ({@link RevocationCheck}: ended session, revoked API key, deactivated, deleted or
 * demoted user), and tenancy, instance binding and API-key scopes must allow the request ({@link
 * TenancyRules}). Requests without a token (public and self-authenticated paths) pass untouched.
 * Runs after Spring Security has verified the token, before the tenant enters the context.
 */
final class CallerChecksWebFilter implements WebFilter, Ordered {

  static final String TENANT_DOMAIN_HEADER = "X-Tenant-Domain";

  private final RevocationCheck revocations;

  CallerChecksWebFilter(RevocationCheck revocations) {
    this.revocations = revocations;
  }

  @Override
  public int getOrder() {
    return -50; // Spring Security's WebFilterChainProxy runs at -100, the tenant context at 0
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .ofType(JwtAuthenticationToken.class)
        .map(
            authentication ->
                check(exchange, authentication.getToken()).then(chain.filter(exchange)))
        .defaultIfEmpty(chain.filter(exchange))
        .flatMap(filtered -> filtered);
  }

  private Mono<Void> check(ServerWebExchange exchange, Jwt token) {
    CumulusPrincipal caller = CumulusPrincipal.from(token);
    ServerHttpRequest request = exchange.getRequest();
    TenancyRules.check(
        caller,
        request.getMethod(),
        request.getPath().pathWithinApplication().value(),
        request.getHeaders().getFirst(TENANT_DOMAIN_HEADER));
    return revocations
        .isRevoked(caller.sessionId(), caller.subject(), token.getIssuedAt(), null)
        .flatMap(
            revoked ->
                revoked
                    ? Mono.error(ApiException.unauthorized("Token revoked"))
                    : Mono.<Void>empty());
  }
}
