package dev.cumulus.platform.authclient;

import dev.cumulus.platform.internalclient.InternalServiceClient;
import dev.cumulus.platform.security.InternalSecret;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The one client for auth-service's internal endpoints (docs/identity.md), used by the gateway and
 * every service: API-key exchange, the signing keys of instance access keys (SigV4) and tenants'
 * effective quotas. Each call answers with the grant, with empty when auth-service refuses (an
 * unknown or revoked key), or fails with {@link AuthServiceUnavailableException} when auth-service
 * cannot answer; callers cache as their own freshness rules say and map the failure to their
 * family's 503. The transport (URL, internal secret, status mapping) is platform's {@link
 * InternalServiceClient} for {@code auth-service}.
 */
public class AuthServiceClient {

  /** The shared secret that authenticates a service to auth-service's internal endpoints. */
  public static final String INTERNAL_SECRET_HEADER = InternalSecret.HEADER;

  private static final Set<Integer> KEY_REFUSED = Set.of(401, 403);
  private static final Set<Integer> SCOPE_REFUSED = Set.of(400);

  private final InternalServiceClient authService;
  private final Duration timeout;

  /** {@code authService}: {@code InternalServiceClients.of("auth-service")}. */
  public AuthServiceClient(InternalServiceClient authService, Duration timeout) {
    this.authService = authService;
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
    // The key is this endpoint's credential: it works without the internal secret.
    return answer(
            authService.postWithOwnCredential(
                "X-API-Key", apiKey, TokenBody.class, "/internal/auth/api-key-token"),
            KEY_REFUSED)
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
    return answer(
            authService.post(
                Map.of(
                    "accessKeyId", accessKeyId,
                    "date", date,
                    "region", region,
                    "service", service),
                GrantBody.class,
                "/internal/auth/s3/signing-key"),
            SCOPE_REFUSED)
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
    return answer(
        authService.get(TenantQuota.class, "/internal/tenants/{tenantId}/quota", tenantId),
        Set.of());
  }

  /**
   * Whose AWS request budget an access key spends: its tenant, on that tenant's plan; {@code
   * serviceId} is the key's instance (null from an auth-service that does not say).
   */
  public record AccessKeyOwner(
      String accessKeyId, String tenantId, String plan, String serviceId) {}

  /** The tenant and plan of a usable access key; empty when auth-service does not know it. */
  public Mono<Optional<AccessKeyOwner>> accessKeyOwner(String accessKeyId) {
    return answer(
        authService.get(AccessKeyOwner.class, "/internal/access-keys/{accessKeyId}", accessKeyId),
        Set.of());
  }

  /**
   * The body; a 404 or one of {@code refusals} → empty; anything else, or no answer in time →
   * unavailable.
   */
  private <T> Mono<Optional<T>> answer(Mono<T> call, Set<Integer> refusals) {
    return call.map(Optional::of)
        .onErrorResume(
            InternalServiceClient.NotFound.class, notFound -> Mono.just(Optional.empty()))
        .onErrorResume(
            InternalServiceClient.Unavailable.class,
            e ->
                e.status().filter(status -> refusals.contains(status.value())).isPresent()
                    ? Mono.just(Optional.empty())
                    : Mono.error(new AuthServiceUnavailableException(e.getMessage(), e)))
        .timeout(timeout)
        .onErrorMap(
            e -> !(e instanceof AuthServiceUnavailableException),
            e -> new AuthServiceUnavailableException(e.toString(), e));
  }
}
