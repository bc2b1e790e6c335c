package dev.cumulus.platform.sigv4;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.authclient.AuthServiceUnavailableException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Signing keys of instance access keys from auth-service (platform's {@link AuthServiceClient}),
 * remembered for {@code ttl}: one call per access key, day and protocol in steady state, and a
 * revoked key stops working within {@code ttl}. Unknown keys are remembered briefly too, so a
 * client with a wrong key cannot turn every request into a call.
 */
public class AuthServiceSigningKeys implements SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(AuthServiceSigningKeys.class);
  private static final Duration REFUSED_TTL = Duration.ofSeconds(5);

  private record Scope(String accessKeyId, String date, String region, String service) {}

  private final AuthServiceClient authService;
  private final AsyncLoadingCache<Scope, Optional<Grant>> cache;

  public AuthServiceSigningKeys(AuthServiceClient authService, Duration ttl) {
    this.authService = authService;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfter(
                Expiry.<Scope, Optional<Grant>>creating(
                    (scope, answer) -> answer.isEmpty() ? REFUSED_TTL : ttl))
            .buildAsync((scope, executor) -> fetch(scope).toFuture());
  }

  @Override
  public Mono<Grant> find(String accessKeyId, String date, String region, String service) {
    // Failed calls (auth-service down) complete exceptionally and are not cached.
    return Mono.fromFuture(cache.get(new Scope(accessKeyId, date, region, service)), true)
        .flatMap(
            answer ->
                answer
                    .map(Mono::just)
                    .orElseGet(
                        () ->
                            Mono.error(
                                SigV4Errors.of(
                                    ErrorKind.FORBIDDEN,
                                    "InvalidAccessKeyId",
                                    "The AWS Access Key Id you provided does not exist in our"
                                        + " records.",
                                    null))));
  }

  private Mono<Optional<Grant>> fetch(Scope scope) {
    return authService
        .signingKey(scope.accessKeyId(), scope.date(), scope.region(), scope.service())
        .map(
            grant ->
                grant.map(
                    g -> new Grant(g.accessKeyId(), g.tenantId(), g.serviceId(), g.signingKey())))
        .onErrorMap(
            AuthServiceUnavailableException.class,
            e -> {
              log.warn("Cannot fetch a signing key from auth-service: {}", e.getMessage());
              return SigV4Errors.of(
                  ErrorKind.SERVICE_UNAVAILABLE,
                  "ServiceUnavailable",
                  "Credentials cannot be checked right now; retry shortly",
                  e.getMessage());
            });
  }
}
