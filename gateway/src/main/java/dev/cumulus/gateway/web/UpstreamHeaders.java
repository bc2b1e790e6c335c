package dev.cumulus.gateway.web;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.gateway.common.ClientAddress;
import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.security.CumulusClaims;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * What travels to and from a service, applied by the gateway's routing filters (HTTP and WebSocket)
 * in the header copy they make anyway.
 */
public final class UpstreamHeaders {

  private static final String API_KEY = "X-API-Key";
  private static final String FORWARDED_FOR = "X-Forwarded-For";

  private UpstreamHeaders() {}

  /**
   * Upstream: identity headers from outside ({@code X-Cumulus-Tenant-Id}, {@code
   * X-Cumulus-User-Id}) are dropped and, for an authenticated caller, set again from the verified
   * token; the credential becomes {@code Authorization: Bearer} with the caller's token (or the one
   * its API key was exchanged for) and {@code X-API-Key} stays behind, since services trust only
   * the JWT; {@code X-Request-Id} is the gateway's (accepted or generated) id; {@code
   * X-Forwarded-For} is exactly the client address the gateway determined, so a client cannot plant
   * an address that services (audit log, login-failure counters) would take for its own.
   */
  public static final class Request implements HttpHeadersFilter, Ordered {

    private final ClientAddress clientAddress;

    public Request(ClientAddress clientAddress) {
      this.clientAddress = clientAddress;
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
      HttpHeaders headers = HttpHeaders.copyOf(input);
      headers.remove(CumulusContext.TENANT_ID_HEADER);
      headers.remove(CumulusClaims.USER_ID_HEADER);
      headers.set(CumulusContext.REQUEST_ID_HEADER, RequestIdWebFilter.requestIdOf(exchange));
      headers.set(FORWARDED_FOR, clientAddress.of(exchange));
      Caller caller = Caller.of(exchange);
      if (caller != null) {
        headers.remove(API_KEY);
        headers.setBearerAuth(caller.token());
        headers.set(CumulusContext.TENANT_ID_HEADER, caller.tenantId());
        if (caller.principal().subject() != null) {
          headers.set(CumulusClaims.USER_ID_HEADER, caller.principal().subject());
        }
      }
      return headers;
    }
  }

  /** Downstream: the service's {@code X-Request-Id} is dropped; the gateway set the same id. */
  public static final class Response implements HttpHeadersFilter, Ordered {

    @Override
    public boolean supports(Type type) {
      return type == Type.RESPONSE;
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
      if (!input.containsHeader(CumulusContext.REQUEST_ID_HEADER)) {
        return input;
      }
      HttpHeaders headers = HttpHeaders.copyOf(input);
      headers.remove(CumulusContext.REQUEST_ID_HEADER);
      return headers;
    }
  }
}
