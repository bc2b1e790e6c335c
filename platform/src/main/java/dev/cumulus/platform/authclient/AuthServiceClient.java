package dev.cumulus.platform.authclient;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The one client for auth-service's internal endpoints (docs/identity.md), used by the gateway and
 * every service: API-key exchange, the signing keys of instance access keys (SigV4) and tenants'
 * effective quotas. Each call answers with the grant, with empty when auth-service refuses (an
 * unknown or revoked key), or fails with {@link AuthServiceUnavailableException} when auth-service
 * cannot answer; callers cache as their own freshness rules say and map the failure to their
 * family's 503.
 */
public class AuthServiceClient {

  /** The shared secret that authenticates a service to auth-service's internal endpoints. */
  public static final String INTERNAL_SECRET_HEADER = "X-Cumulus-Internal-Secret";

  private final WebClient client;
  private final String internalSecret;
  private final Duration timeout;

  public AuthServiceClient(WebClient client, String internalSecret, Duration timeout) {
    this.client = client;
    this.internalSecret = internalSecret;
    this.timeout = timeout;
  }

  /** A signing key for one access key, day, region and protocol ({@code s3}, {@code sqs}...). */
  public record SigningKeyGrant(
      String accessKeyId, String tenantId, String serviceId, byte[] signingKey) {}

  private record TokenBody(String access_token) {}

  private record GrantBody(
      String accessKeyId, String tenantId, String serviceId, String signingKey) {
    SigningKeyGrant grant() {
      return new SigningKeyGrant(
          accessKeyId, tenantId, serviceId, Base64.getDecoder().decode(signingKey));
    }
  }

  /** The short-lived access token an {@code X-API-Key} stands for; empty when refused. */
  public Mono<Optional<String>> exchangeApiKey(String apiKey) {
    return call(
            client.post().uri("/internal/auth/api-key-token").header("X-API-Key", apiKey),
            TokenBody.class,
            Set.of(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND))
        .flatMap(
            body ->
                body.isPresent() && body.get().access_token() == null
                    ? Mono.error(
                        new AuthServiceUnavailableException(
                            "auth-service returned no access_token"))
                    : Mono.just(body.map(TokenBody::access_token)));
  }

  /** The SigV4 signing key of an instance access key; empty when auth-service does not know it. */
  public Mono<Optional<SigningKeyGrant>> signingKey(
      String accessKeyId, String date, String region, String service) {
    if (internalSecret == null || internalSecret.isBlank()) {
      return Mono.error(new AuthServiceUnavailableException("cumulus.internal.secret is not set"));
    }
    return call(
            client
                .post()
                .uri("/internal/auth/s3/signing-key")
                .header(INTERNAL_SECRET_HEADER, internalSecret)
                .bodyValue(
                    Map.of(
                        "accessKeyId", accessKeyId,
                        "date", date,
                        "region", region,
                        "service", service)),
            GrantBody.class,
            Set.of(HttpStatus.NOT_FOUND, HttpStatus.BAD_REQUEST))
        .map(body -> body.map(GrantBody::grant));
  }

  /**
   * A tenant's plan ({@code free}, {@code pro}, {@code enterprise}) and effective limits (its
   * plan's with its overrides), by their snake-case names: {@code buckets}, {@code stored_bytes},
   * {@code max_object_bytes}, ...
   */
  public record TenantQuota(String tenantId, String plan, Map<String, Long> quotas) {}

  /** A tenant's effective limits; empty when auth-service knows no such tenant. */
  public Mono<Optional<TenantQuota>> tenantQuota(String tenantId) {
    if (internalSecret == null || internalSecret.isBlank()) {
      return Mono.error(new AuthServiceUnavailableException("cumulus.internal.secret is not set"));
    }
    return call(
        client
            .get()
            .uri("/internal/tenants/{tenantId}/quota", tenantId)
            .header(INTERNAL_SECRET_HEADER, internalSecret),
        TenantQuota.class,
        Set.of(HttpStatus.NOT_FOUND));
  }

  /** Whose AWS request budget an access key spends: its tenant, on that tenant's plan. */
  public record AccessKeyOwner(String accessKeyId, String tenantId, String plan) {}

  /** The tenant and plan of a usable access key; empty when auth-service does not know it. */
  public Mono<Optional<AccessKeyOwner>> accessKeyOwner(String accessKeyId) {
    if (internalSecret == null || internalSecret.isBlank()) {
      return Mono.error(new AuthServiceUnavailableException("cumulus.internal.secret is not set"));
    }
    return call(
        client
            .get()
            .uri("/internal/access-keys/{accessKeyId}", accessKeyId)
            .header(INTERNAL_SECRET_HEADER, internalSecret),
        AccessKeyOwner.class,
        Set.of(HttpStatus.NOT_FOUND));
  }

  /** 200 → the body; a refusal status → empty; anything else, or no answer → unavailable. */
  private <T> Mono<Optional<T>> call(
      WebClient.RequestHeadersSpec<?> request, Class<T> type, Set<HttpStatus> refusals) {
    return request
        .exchangeToMono(
            response -> {
              HttpStatus status = HttpStatus.resolve(response.statusCode().value());
              if (status == HttpStatus.OK) {
                return response.bodyToMono(type).map(Optional::of);
              }
              if (refusals.contains(status)) {
                return response.releaseBody().thenReturn(Optional.<T>empty());
              }
              return response
                  .releaseBody()
                  .then(
                      Mono.error(
                          new AuthServiceUnavailableException(
                              "auth-service answered " + response.statusCode())));
            })
        .timeout(timeout)
        .onErrorMap(
            e -> !(e instanceof AuthServiceUnavailableException),
            e -> new AuthServiceUnavailableException(e.toString(), e));
  }
}
