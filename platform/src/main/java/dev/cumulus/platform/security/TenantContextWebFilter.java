package dev.cumulus.platform.security;

import dev.cumulus.platform.context.CumulusContext;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the verified caller's tenant into the Reactor context, so logs (MDC), outgoing calls and
 * outbox events carry it. Runs after Spring Security's filter chain has verified the token.
 */
final class TenantContextWebFilter implements WebFilter, Ordered {

  @Override
  public int getOrder() {
    return 0; // Spring Security's WebFilterChainProxy runs at -100
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return ReactiveSecurityContextHolder.getContext()
        .flatMap(context -> CumulusPrincipal.of(context.getAuthentication()))
        .mapNotNull(CumulusPrincipal::tenantId)
        .map(
            tenant ->
                chain.filter(exchange).contextWrite(c -> CumulusContext.withTenant(c, tenant)))
        .defaultIfEmpty(chain.filter(exchange))
        .flatMap(filtered -> filtered);
  }
}
