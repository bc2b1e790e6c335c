package dev.cumulus.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers each token the wrapped decoder verified until it expires (at most {@code maxAge}): a
 * client sends the same token for many requests, and parsing plus the RS256 signature check cost a
 * service more than a small request's own work (13 % of database-service's CPU per query in
 * bench/rds). Only successes are remembered, keyed by the exact token string, so an entry never
 * outlives the token's validity; signing keys are retired only after every token they signed has
 * expired (docs/identity.md). Revocations are not the decoder's concern: {@link RevocationCheck}
 * still runs on every request.
 */
public class VerifiedTokenCache implements ReactiveJwtDecoder {

  private final ReactiveJwtDecoder decoder;
  private final Cache<String, Jwt> verified;

  public VerifiedTokenCache(ReactiveJwtDecoder decoder, long maxEntries, Duration maxAge) {
    this.decoder = decoder;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                Expiry.<String, Jwt>creating(
                    (token, jwt) -> {
                      Duration left = Duration.between(Instant.now(), jwt.getExpiresAt());
                      return left.compareTo(maxAge) < 0 ? left : maxAge;
                    }))
            .build();
  }

  @Override
  public Mono<Jwt> decode(String token) throws JwtException {
    Jwt known = verified.getIfPresent(token);
    if (known != null && known.getExpiresAt().isAfter(Instant.now())) {
      return Mono.just(known);
    }
    return decoder
        .decode(token)
        .doOnNext(
            jwt -> {
              if (jwt.getExpiresAt() != null) {
                verified.put(token, jwt);
              }
            });
  }
}
