package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiErrorWebExceptionHandler;
import dev.cumulus.platform.error.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Renders Spring Security's 401 and 403 in the envelope of the family owning the path, through the
 * same handler as every other error, so a seed client sees its own error format.
 */
final class EnvelopeAuthenticationFailureHandlers
    implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  private final ApiErrorWebExceptionHandler errors;

  EnvelopeAuthenticationFailureHandlers(ApiErrorWebExceptionHandler errors) {
    this.errors = errors;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
    boolean tokenGiven = failure instanceof InvalidBearerTokenException;
    // RFC 6750: tell the client which scheme to use, and why a token was refused.
    exchange
        .getResponse()
        .getHeaders()
        .set(
            HttpHeaders.WWW_AUTHENTICATE, tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer");
    String message =
        tokenGiven ? "Invalid or expired token" : "Authentication required: send a bearer token";
    return errors.handle(exchange, ApiException.unauthorized(message));
  }

  @Override
  public Mono<Void> handle(
      ServerWebExchange exchange,
      org.springframework.security.access.AccessDeniedException denied) {
    return errors.handle(exchange, ApiException.forbidden("Insufficient permissions"));
  }
}
