package dev.cumulus.gateway.web;

import dev.cumulus.gateway.config.GatewayPaths;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The response headers Spring Security's default header writers added while the gateway ran its web
 * chain, on every response (the gateway's own errors included): no caching unless the service said
 * otherwise, no MIME sniffing, no framing, no referrer, the legacy XSS filter off, and HSTS on
 * HTTPS. A header the service set is left as it is.
 *
 * <p>AWS-protocol responses ({@code /s3}, {@code /sqs}, {@code /dynamodb}, {@code /rds-data},
 * {@code /lambda}: the signed routes) get no {@code Expires: 0}: AWS SDKs read {@code Expires} as a
 * date (S3's GetObject result has an {@code Expires} member) and warn about every response that
 * carries a {@code 0}. {@code Cache-Control} and {@code Pragma} say the same to any cache there.
 */
public class SecurityHeaders implements WebFilter, Ordered {

  private final GatewayPaths paths;

  public SecurityHeaders(GatewayPaths paths) {
    this.paths = paths;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 3;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpResponse response = exchange.getResponse();
    boolean secure = exchange.getRequest().getSslInfo() != null;
    boolean awsProtocol = paths.isSigned(exchange.getRequest().getPath().pathWithinApplication());
    response.beforeCommit(
        () -> {
          addMissing(response, secure, awsProtocol);
          return Mono.empty();
        });
    return chain.filter(exchange);
  }

  static void addMissing(ServerHttpResponse response, boolean secure, boolean awsProtocol) {
    HttpHeaders headers = response.getHeaders();
    boolean cachingSaid =
        headers.containsHeader(HttpHeaders.CACHE_CONTROL)
            || headers.containsHeader(HttpHeaders.EXPIRES)
            || headers.containsHeader(HttpHeaders.PRAGMA);
    if (!cachingSaid && !HttpStatus.NOT_MODIFIED.equals(response.getStatusCode())) {
      headers.set(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
      headers.set(HttpHeaders.PRAGMA, "no-cache");
      if (!awsProtocol) {
        headers.set(HttpHeaders.EXPIRES, "0");
      }
    }
    setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
    setIfAbsent(headers, "X-Frame-Options", "DENY");
    setIfAbsent(headers, "X-XSS-Protection", "0");
    setIfAbsent(headers, "Referrer-Policy", "no-referrer");
    if (secure) {
      setIfAbsent(headers, "Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
    }
  }

  private static void setIfAbsent(HttpHeaders headers, String name, String value) {
    if (!headers.containsHeader(name)) {
      headers.set(name, value);
    }
  }
}
