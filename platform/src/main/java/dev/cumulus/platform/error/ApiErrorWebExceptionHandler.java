package dev.cumulus.platform.error;

import dev.cumulus.platform.context.RequestIdWebFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Renders every failure, thrown or framework-made (unknown route, bad JSON, wrong method), in the
 * envelope of the family owning the path. Runs before Boot's default handler, so no stack trace or
 * Whitelabel page ever reaches a caller; unexpected failures are logged here with their trace.
 */
public class ApiErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

  private static final Logger log = LoggerFactory.getLogger(ApiErrorWebExceptionHandler.class);

  private final ApiFamilyResolver families;
  private final ServerResponse.Context responseContext;

  public ApiErrorWebExceptionHandler(ApiFamilyResolver families, ServerCodecConfigurer codecs) {
    this.families = families;
    this.responseContext =
        new ServerResponse.Context() {
          @Override
          public java.util.List<HttpMessageWriter<?>> messageWriters() {
            return codecs.getWriters();
          }

          @Override
          public java.util.List<ViewResolver> viewResolvers() {
            return java.util.List.of();
          }
        };
  }

  @Override
  public int getOrder() {
    // Boot's DefaultErrorWebExceptionHandler sits at -1; answer first.
    return -2;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(failure);
    }
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    String requestId = RequestIdWebFilter.requestIdOf(exchange);
    ApiError error = ApiErrors.from(failure, request.getMethod().name(), path, requestId);
    ApiFamily family = families.resolve(path);
    HttpStatus status = family.status(error.kind());
    logFailure(failure, error, status, request, requestId);
    return ServerResponse.status(status)
        .contentType(family.mediaType())
        .header("X-Request-Id", requestId)
        .bodyValue(family.payload(error))
        .flatMap(response -> response.writeTo(exchange, responseContext));
  }

  private static void logFailure(
      Throwable failure, ApiError error, HttpStatus status, ServerHttpRequest request, String id) {
    if (error.kind() == ErrorKind.SERVICE_UNAVAILABLE
        || error.kind() == ErrorKind.GATEWAY_TIMEOUT) {
      // Expected while a dependency is down; one line each, no trace, so an outage under load
      // does not bury the log.
      log.warn(
          "{} {} answered {}: {} [requestId={}]",
          request.getMethod(),
          request.getPath(),
          status.value(),
          error.message(),
          id);
    } else if (status.is5xxServerError()) {
      log.error(
          "{} {} failed with {} [requestId={}]",
          request.getMethod(),
          request.getPath(),
          status,
          id,
          failure);
    } else if (log.isDebugEnabled()) {
      log.debug(
          "{} {} answered {}: {} [requestId={}]",
          request.getMethod(),
          request.getPath(),
          status.value(),
          error.message(),
          id);
    }
  }
}
