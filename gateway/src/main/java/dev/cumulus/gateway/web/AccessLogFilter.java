package dev.cumulus.gateway.web;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiErrorWebExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One INFO line per request on logger {@code dev.cumulus.gateway.access}: method, path, status,
 * duration, request id and tenant (never a credential or the query string, which may carry a
 * token). Errors are rendered here, through the platform's envelope handler, so the line shows the
 * status the client really got.
 */
public class AccessLogFilter implements WebFilter, Ordered {

  private static final Logger access = LoggerFactory.getLogger("dev.cumulus.gateway.access");

  private final ApiErrorWebExceptionHandler errors;

  public AccessLogFilter(ApiErrorWebExceptionHandler errors) {
    this.errors = errors;
  }

  @Override
  public int getOrder() {
    // Right after the request id is chosen, around everything else.
    return Ordered.HIGHEST_PRECEDENCE + 1;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long started = System.nanoTime();
    return chain
        .filter(exchange)
        .onErrorResume(failure -> errors.handle(exchange, failure))
        .doFinally(signal -> log(exchange, started));
  }

  private static void log(ServerWebExchange exchange, long started) {
    if (!access.isInfoEnabled()) {
      return;
    }
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    Caller caller = Caller.of(exchange);
    access.info(
        "{} {} {} {}ms requestId={} tenant={}",
        exchange.getRequest().getMethod().name(),
        exchange.getRequest().getPath().value(),
        status == null ? 200 : status.value(),
        Math.round((System.nanoTime() - started) / 10_000.0) / 100.0,
        RequestIdWebFilter.requestIdOf(exchange),
        caller == null ? "-" : caller.tenantId());
  }
}
