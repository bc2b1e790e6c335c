package dev.cumulus.auth.common.web;

import dev.cumulus.auth.common.application.ClientIp;
import java.net.InetSocketAddress;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the caller's IP address in the Reactor context, for the audit log and the per-IP login
 * counters: the first {@code X-Forwarded-For} entry (the gateway forwards it), else the peer.
 */
@Component
public class ClientIpWebFilter implements WebFilter, Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String ip = clientIp(exchange);
    return chain.filter(exchange).contextWrite(c -> ip == null ? c : c.put(ClientIp.KEY, ip));
  }

  static String clientIp(ServerWebExchange exchange) {
    String forwarded = exchange.getRequest().getHeaders().getFirst("X-Forwarded-For");
    if (forwarded != null && !forwarded.isBlank()) {
      String first = forwarded.split(",")[0].trim();
      if (ClientIp.looksLikeAddress(first)) {
        return first;
      }
    }
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    if (remote == null) {
      return null;
    }
    return remote.getAddress() != null
        ? remote.getAddress().getHostAddress()
        : remote.getHostString();
  }
}
