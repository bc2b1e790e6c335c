package dev.cumulus.platform.internalclient;

import dev.cumulus.platform.security.InternalSecret;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Calls one service's {@code /internal/**} endpoints, at the service registry's URL for it, with
 * the shared internal secret ({@link InternalSecret#HEADER}). Answers the 2xx body; a 404 fails
 * with {@link NotFound} (what the call names does not exist, for the caller to say in its own
 * terms); anything else — no secret configured, no connection, another error status — fails with
 * {@link Unavailable}. Timeouts are the caller's: a long poll and a quick lookup need different
 * ones. Get one from {@link InternalServiceClients}.
 */
public class InternalServiceClient {

  /** The called service answered 404. */
  public static class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  /** No answer to use: not configured, unreachable, or an error status other than 404. */
  public static class Unavailable extends RuntimeException {
    private final HttpStatusCode status;

    Unavailable(String message, Throwable cause) {
      this(message, cause, null);
    }

    Unavailable(String message, Throwable cause, HttpStatusCode status) {
      super(message, cause);
      this.status = status;
    }

    /** The error status the service answered; empty when it did not answer (or was not asked). */
    public Optional<HttpStatusCode> status() {
      return Optional.ofNullable(status);
    }
  }

  private final String service;
  private final WebClient client;
  private final String secret;

  InternalServiceClient(String service, WebClient client, String secret) {
    this.service = service;
    this.client = client;
    this.secret = secret;
  }

  /** Whether the internal secret is set; without it every call fails with {@link Unavailable}. */
  public boolean configured() {
    return secret != null && !secret.isBlank();
  }

  /** {@code GET uriTemplate}, the answer read as {@code type}. */
  public <T> Mono<T> get(Class<T> type, String uriTemplate, Object... uriVariables) {
    return exchange(client.get().uri(uriTemplate, uriVariables), type);
  }

  /** {@code POST uriTemplate} with {@code body} as JSON, the answer read as {@code type}. */
  public <T> Mono<T> post(Object body, Class<T> type, String uriTemplate, Object... uriVariables) {
    return exchange(client.post().uri(uriTemplate, uriVariables).bodyValue(body), type);
  }

  /**
   * {@code POST uriTemplate} without a body to an endpoint whose credential is a header of the
   * request itself (auth-service's API-key exchange): the secret is neither needed nor sent.
   */
  public <T> Mono<T> postWithOwnCredential(
      String header, String credential, Class<T> type, String uriTemplate, Object... uriVars) {
    return answer(client.post().uri(uriTemplate, uriVars).header(header, credential), type);
  }

  private <T> Mono<T> exchange(WebClient.RequestHeadersSpec<?> request, Class<T> type) {
    if (!configured()) {
      return Mono.error(new Unavailable("cumulus.internal.secret is not set", null));
    }
    return answer(request.header(InternalSecret.HEADER, secret), type);
  }

  private <T> Mono<T> answer(WebClient.RequestHeadersSpec<?> request, Class<T> type) {
    return request
        .exchangeToMono(
            response -> {
              if (response.statusCode().is2xxSuccessful()) {
                return response.bodyToMono(type);
              }
              RuntimeException failure =
                  response.statusCode().value() == HttpStatus.NOT_FOUND.value()
                      ? new NotFound(service + " answered 404")
                      : new Unavailable(
                          service + " answered " + response.statusCode(),
                          null,
                          response.statusCode());
              // Drained, so the pooled connection stays reusable.
              return response.releaseBody().then(Mono.<T>error(failure));
            })
        .onErrorMap(
            WebClientRequestException.class,
            e -> new Unavailable(service + " is unreachable: " + e.getMessage(), e));
  }
}
