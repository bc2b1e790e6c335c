package dev.cumulus.auth.common.web;

import dev.cumulus.auth.common.application.ClientIp;
import dev.cumulus.platform.security.CumulusSecurityProperties;
import dev.cumulus.platform.web.TrustedProxies;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the caller's IP address in the Reactor context, for the audit log and the per-IP login
 * counters: from a trusted proxy (the gateway: {@code cumulus.security.trusted-proxies}) the
 * address it forwards in {@code X-Forwarded-For}, from anyone else the TCP peer.
 */
@Component
public class ClientIpWebFilter implements WebFilter, Ordered {

  private final TrustedProxies proxies;

  public ClientIpWebFilter(CumulusSecurityProperties security) {
    this.proxies = TrustedProxies.of(security.trustedProxies());
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String ip = clientIp(exchange);
    return chain.filter(exchange).contextWrite(c -> ip == null ? c : c.put(ClientIp.KEY, ip));
  }

  private String clientIp(ServerWebExchange exchange) {
    String address = proxies.clientAddress(exchange.getRequest());
    return ClientIp.looksLikeAddress(address) ? address : null;
  }
}
