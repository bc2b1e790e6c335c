package dev.cumulus.auth.common.web;

import dev.cumulus.auth.common.application.TooManyAttemptsException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Adds {@code Retry-After} to a {@link TooManyAttemptsException} and passes it on: the platform's
 * handler, which runs next, renders the body in the path's family envelope.
 */
@Component
public class RetryAfterExceptionHandler implements WebExceptionHandler, Ordered {

  @Override
  public int getOrder() {
    return -3; // before the platform's envelope handler (-2)
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    if (failure instanceof TooManyAttemptsException tooMany
        && !exchange.getResponse().isCommitted()) {
      long seconds = Math.max(1, tooMany.retryAfter().toSeconds());
      exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
    }
    return Mono.error(failure);
  }
}
