package dev.cumulus.gateway.common;

import java.net.InetSocketAddress;
import org.springframework.web.server.ServerWebExchange;

/**
 * The client's IP address for per-IP rate limits: the TCP peer, or, behind a trusted proxy ({@code
 * cumulus.gateway.trust-forwarded-for=true}), the right-most {@code X-Forwarded-For} entry, the one
 * that proxy appended (entries to its left are whatever the client claimed).
 */
public class ClientAddress {

  private final boolean trustForwardedFor;

  public ClientAddress(boolean trustForwardedFor) {
    this.trustForwardedFor = trustForwardedFor;
  }

  public String of(ServerWebExchange exchange) {
    if (trustForwardedFor) {
      String forwarded = exchange.getRequest().getHeaders().getFirst("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        int comma = forwarded.lastIndexOf(',');
        return (comma < 0 ? forwarded : forwarded.substring(comma + 1)).trim();
      }
    }
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    if (remote == null) {
      return "unknown";
    }
    return remote.getAddress() != null
        ? remote.getAddress().getHostAddress()
        : remote.getHostString();
  }
}
