package dev.cumulus.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Spreads a service's requests over its {@link Replicas}, on routes of services configured with
 * several URLs only (one URL: no such filter, no per-request cost). It runs after the request URL
 * is built from the route ({@code RouteToRequestUrlFilter}, order 10000) and points it at the
 * picked replica; inside the route's circuit breaker, so a replica skipped here fails no request
 * and does not open the breaker.
 *
 * <p>When the picked replica fails, the request goes to the next one if that is safe:
 *
 * <ul>
 *   <li>the connection was refused, timed out or its host did not resolve: nothing was sent, so any
 *       method is retried (the body was not read yet), and the replica is set aside;
 *   <li>the connection closed before a response to a bodiless GET, HEAD, OPTIONS or DELETE
 *       (idempotent, nothing to replay); a pooled connection to a replica that just stopped;
 *   <li>anything else (a timeout waiting for the answer, a reset after a body was sent) is not
 *       retried: the replica may have acted on it.
 * </ul>
 */
public final class ReplicaBalancer implements GatewayFilter, Ordered {

  /** Right after {@code RouteToRequestUrlFilter}, where Spring Cloud's load balancer sits. */
  public static final int ORDER = 10150;

  private static final Logger log = LoggerFactory.getLogger(ReplicaBalancer.class);

  private final String service;
  private final Replicas replicas;

  public ReplicaBalancer(String service, Replicas replicas) {
    this.service = service;
    this.replicas = replicas;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
    if (url == null) {
      return chain.filter(exchange);
    }
    int replica = replicas.pick();
    return attempt(exchange, chain, url, replica, 1L << replica);
  }

  private Mono<Void> attempt(
      ServerWebExchange exchange, GatewayFilterChain chain, URI url, int replica, long tried) {
    exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, replicas.target(replica, url));
    return chain
        .filter(exchange)
        .onErrorResume(
            failure -> !exchange.getResponse().isCommitted() && retryable(exchange, failure),
            failure -> retry(exchange, chain, url, replica, tried, failure));
  }

  private Mono<Void> retry(
      ServerWebExchange exchange,
      GatewayFilterChain chain,
      URI url,
      int failed,
      long tried,
      Throwable failure) {
    if (notConnected(failure) && replicas.setAside(failed)) {
      log.warn(
          "Replica {} of {} is unreachable ({}): set aside",
          replicas.base(failed),
          service,
          failure.toString());
    }
    int next = replicas.pickAfter(failed, tried);
    if (next < 0) {
      return Mono.error(failure);
    }
    ServerWebExchangeUtils.reset(exchange);
    // A bodiless request retried after it was sent: its (empty) body cannot be read twice.
    ServerWebExchange again =
        notConnected(failure)
            ? exchange
            : exchange.mutate().request(new WithoutBody(exchange.getRequest())).build();
    return attempt(again, chain, url, next, tried | 1L << next);
  }

  private static boolean retryable(ServerWebExchange exchange, Throwable failure) {
    if (notConnected(failure)) {
      return true;
    }
    return failure instanceof PrematureCloseException && idempotentWithoutBody(exchange);
  }

  /** Failures before a connection existed: nothing of the request left the gateway. */
  static boolean notConnected(Throwable failure) {
    return failure instanceof ConnectException || failure instanceof UnknownHostException;
  }

  static boolean idempotentWithoutBody(ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    HttpMethod method = request.getMethod();
    HttpHeaders headers = request.getHeaders();
    return (HttpMethod.GET.equals(method)
            || HttpMethod.HEAD.equals(method)
            || HttpMethod.OPTIONS.equals(method)
            || HttpMethod.DELETE.equals(method))
        && headers.getContentLength() <= 0
        && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
  }

  /** The request of a retry after it was sent once: no body (it had none). */
  private static final class WithoutBody extends ServerHttpRequestDecorator {
    WithoutBody(ServerHttpRequest request) {
      super(request);
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return Flux.empty();
    }
  }
}
