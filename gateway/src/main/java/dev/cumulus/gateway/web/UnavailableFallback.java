package dev.cumulus.gateway.web;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The circuit breakers' fallback ({@code fallbackUri: forward:/__gateway/unavailable}): a service
 * that is down, refuses connections, times out or has its breaker open answers 503 in the family
 * envelope of the original path (the envelope handler sees the original exchange), never a 500 or a
 * bare 502/504.
 */
public final class UnavailableFallback {

  public static final String PATH = "/__gateway/unavailable";

  private static final Logger log = LoggerFactory.getLogger(UnavailableFallback.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  public Mono<ServerResponse> handle(ServerRequest request) {
    Throwable cause = request.exchange().getAttribute(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
    if (cause == null) {
      // Called from outside rather than forwarded by a circuit breaker.
      return Mono.error(ApiException.notFound("No resource at " + request.method() + " " + PATH));
    }
    Route route = request.exchange().getAttribute(GATEWAY_ROUTE_ATTR);
    String service = route == null ? "upstream" : route.getId();
    warn(service, cause);
    return Mono.error(
        new ApiException(
            ErrorKind.SERVICE_UNAVAILABLE,
            "Service " + service + " is unavailable, please try again later"));
  }

  private void warn(String service, Throwable cause) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn("Service {} unavailable: {}", service, cause.toString());
    }
  }
}
