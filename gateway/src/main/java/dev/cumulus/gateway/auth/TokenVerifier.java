package dev.cumulus.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Verifies bearer tokens with platform's {@link ReactiveJwtDecoder} (JWKS, RS256, issuer, expiry)
 * and remembers each verified token until it expires (at most {@code maxAge}): a client sends the
 * same token for hours, and parsing, signature check and claim conversion cost more than the rest
 * of the gateway's work on a request. Only successes are remembered, keyed by the exact token
 * string, so an entry can never outlive the token's own validity. Signing keys are retired only
 * after every token they signed has expired (docs/identity.md), so a remembered token never
 * outlives its key either.
 */
public class TokenVerifier {

  private final ReactiveJwtDecoder decoder;
  private final Cache<String, Verified> verified;

  /** A verified token's caller and when it was issued (what revocations are compared with). */
  public record Verified(CumulusPrincipal principal, Instant issuedAt, Instant expiresAt) {}

  public TokenVerifier(ReactiveJwtDecoder decoder, long maxEntries, Duration maxAge) {
    this.decoder = decoder;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                Expiry.<String, Verified>creating(
                    (token, entry) -> {
                      Duration left = Duration.between(Instant.now(), entry.expiresAt());
                      return left.compareTo(maxAge) < 0 ? left : maxAge;
                    }))
            .build();
  }

  /** The token's caller; fails with {@link BadJwtException} for a token that is not valid. */
  public Mono<Verified> verify(String token) {
    Verified known = verified.getIfPresent(token);
    if (known != null && known.expiresAt().isAfter(Instant.now())) {
      return Mono.just(known);
    }
    return decoder.decode(token).map(jwt -> remember(token, jwt));
  }

  private Verified remember(String token, Jwt jwt) {
    Verified entry =
        new Verified(CumulusPrincipal.from(jwt), jwt.getIssuedAt(), jwt.getExpiresAt());
    if (jwt.getExpiresAt() != null) {
      verified.put(token, entry);
    }
    return entry;
  }
}
