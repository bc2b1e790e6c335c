package dev.cumulus.storage.s3.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.support.StorageErrors;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Signing keys from auth-service ({@code POST /internal/auth/s3/signing-key}, docs/identity.md),
 * authenticated by the shared internal secret and remembered for {@code ttl}: one call per access
 * key and day in steady state, and a revoked key stops working within {@code ttl}. Unknown keys are
 * remembered briefly too, so a client with a wrong key cannot turn every request into a call.
 */
public class AuthServiceSigningKeys implements SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(AuthServiceSigningKeys.class);
  private static final Duration REFUSED_TTL = Duration.ofSeconds(5);

  private record Scope(String accessKeyId, String date, String region, String service) {}

  /** A grant, or null when auth-service does not know the key. */
  private record Answer(Grant grant) {}

  private final WebClient client;
  private final String internalSecret;
  private final Duration timeout;
  private final AsyncLoadingCache<Scope, Answer> cache;

  public AuthServiceSigningKeys(
      WebClient client, String internalSecret, Duration ttl, Duration timeout) {
    this.client = client;
    this.internalSecret = internalSecret;
    this.timeout = timeout;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfter(
                com.github.benmanes.caffeine.cache.Expiry.<Scope, Answer>creating(
                    (scope, answer) -> answer.grant() == null ? REFUSED_TTL : ttl))
            .buildAsync((scope, executor) -> fetch(scope).toFuture());
  }

  @Override
  public Mono<Grant> find(String accessKeyId, String date, String region, String service) {
    return Mono.fromFuture(cache.get(new Scope(accessKeyId, date, region, service)), true)
        .flatMap(
            answer ->
                answer.grant() != null
                    ? Mono.just(answer.grant())
                    : Mono.error(
                        StorageErrors.of(
                            ErrorKind.FORBIDDEN,
                            "InvalidAccessKeyId",
                            "The AWS Access Key Id you provided does not exist in our records.",
                            null)));
  }

  private Mono<Answer> fetch(Scope scope) {
    if (internalSecret == null || internalSecret.isBlank()) {
      return Mono.error(unavailable("cumulus.internal.secret is not set"));
    }
    return client
        .post()
        .uri("/internal/auth/s3/signing-key")
        .header("X-Cumulus-Internal-Secret", internalSecret)
        .bodyValue(
            Map.of(
                "accessKeyId", scope.accessKeyId(),
                "date", scope.date(),
                "region", scope.region(),
                "service", scope.service()))
        .exchangeToMono(
            response -> {
              HttpStatus status = HttpStatus.resolve(response.statusCode().value());
              if (status == HttpStatus.OK) {
                return response.bodyToMono(GrantBody.class).map(body -> new Answer(body.grant()));
              }
              if (status == HttpStatus.NOT_FOUND || status == HttpStatus.BAD_REQUEST) {
                return response.releaseBody().thenReturn(new Answer(null));
              }
              return response
                  .releaseBody()
                  .then(Mono.error(unavailable("auth-service answered " + response.statusCode())));
            })
        .timeout(timeout)
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e -> {
              log.warn("Cannot fetch an S3 signing key from auth-service: {}", e.toString());
              return unavailable(e.toString());
            });
  }

  record GrantBody(String accessKeyId, String tenantId, String serviceId, String signingKey) {
    Grant grant() {
      return new Grant(accessKeyId, tenantId, serviceId, Base64.getDecoder().decode(signingKey));
    }
  }

  private static ApiException unavailable(String details) {
    return StorageErrors.of(
        ErrorKind.SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        "Credentials cannot be checked right now; retry shortly",
        details);
  }
}
