package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Whose an instance is, as auth-service answers the caller itself ({@code GET /api/services/{id}}
 * with the caller's token): the instance's tenant when the caller may see it, else auth-service's
 * own refusal (404 for another tenant's or an unknown instance). The metrics endpoint thereby makes
 * exactly the control plane's tenancy decision, not a second copy of it.
 */
class InstanceOwners {

  private final WebClient authService;
  private final Duration timeout;

  InstanceOwners(WebClient authService, Duration timeout) {
    this.authService = authService;
    this.timeout = timeout;
  }

  Mono<String> tenantOf(String instanceId, Caller caller, String tenantDomain, String requestId) {
    return authService
        .get()
        .uri("/api/services/{id}", instanceId)
        .headers(
            headers -> {
              headers.setBearerAuth(caller.token());
              if (tenantDomain != null) {
                headers.set("X-Tenant-Domain", tenantDomain);
              }
              if (requestId != null) {
                headers.set("X-Request-Id", requestId);
              }
            })
        .exchangeToMono(
            response -> {
              HttpStatus status = HttpStatus.resolve(response.statusCode().value());
              if (status == HttpStatus.OK) {
                return response
                    .bodyToMono(Map.class)
                    .flatMap(
                        body ->
                            body.get("tenantId") instanceof String tenant
                                ? Mono.just(tenant)
                                : Mono.error(unavailable(null)));
              }
              return response
                  .releaseBody()
                  .then(
                      Mono.error(
                          switch (status == null ? HttpStatus.BAD_GATEWAY : status) {
                            case NOT_FOUND, BAD_REQUEST ->
                                ApiException.notFound("No service instance " + instanceId);
                            case FORBIDDEN ->
                                ApiException.forbidden("Access denied to " + instanceId);
                            case UNAUTHORIZED ->
                                ApiException.unauthorized("Invalid or expired token");
                            default -> unavailable(null);
                          }));
            })
        .timeout(timeout)
        .onErrorMap(e -> !(e instanceof ApiException), InstanceOwners::unavailable);
  }

  private static ApiException unavailable(Throwable cause) {
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "Instance metrics are unavailable right now, try again later",
        null,
        null,
        Map.of(),
        cause);
  }
}
