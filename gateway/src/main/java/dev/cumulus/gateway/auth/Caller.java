package dev.cumulus.gateway.auth;

import dev.cumulus.platform.security.CumulusPrincipal;
import org.springframework.web.server.ServerWebExchange;

/**
 * The verified caller of a request, as the gateway forwards it: the principal read from a verified
 * token, and that token (the caller's own, or the one an API key was exchanged for).
 */
public record Caller(CumulusPrincipal principal, String token) {

  /** Exchange attribute holding the caller once authenticated; absent on public paths. */
  public static final String ATTRIBUTE = Caller.class.getName();

  public static Caller of(ServerWebExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE);
  }

  public String tenantId() {
    return principal.tenantId();
  }
}
