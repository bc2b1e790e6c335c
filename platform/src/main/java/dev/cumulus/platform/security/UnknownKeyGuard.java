package dev.cumulus.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Duration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers key ids ({@code kid}) that auth-service's key set does not have, so a stream of forged
 * tokens naming made-up keys costs auth-service one key-set fetch per key id, not one per token:
 * the decoder fetches the key set again whenever a token names a key it does not know (that is how
 * rotation reaches it). A key id is remembered only after a fetch failed to find it, so a key being
 * rotated in is never refused; it is forgotten after {@code remember}.
 */
final class UnknownKeyGuard implements ReactiveJwtDecoder {

  private static final String NO_MATCHING_KEY = "no matching key";

  private final ReactiveJwtDecoder decoder;
  private final Cache<String, Boolean> unknown;

  UnknownKeyGuard(ReactiveJwtDecoder decoder, Duration remember, long maxEntries) {
    this.decoder = decoder;
    this.unknown = Caffeine.newBuilder().expireAfterWrite(remember).maximumSize(maxEntries).build();
  }

  @Override
  public Mono<Jwt> decode(String token) {
    String kid = keyIdOf(token);
    if (kid != null && unknown.getIfPresent(kid) != null) {
      return Mono.error(new BadJwtException("The token is signed with an unknown key"));
    }
    return decoder
        .decode(token)
        .doOnError(
            failure -> {
              if (kid != null && namesNoKnownKey(failure)) {
                unknown.put(kid, Boolean.TRUE);
              }
            });
  }

  private static String keyIdOf(String token) {
    try {
      return JWTParser.parse(token).getHeader() instanceof com.nimbusds.jose.JWSHeader header
          ? header.getKeyID()
          : null;
    } catch (ParseException | RuntimeException e) {
      return null; // malformed: the decoder refuses it without fetching anything
    }
  }

  private static boolean namesNoKnownKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains(NO_MATCHING_KEY)) {
        return true;
      }
    }
    return false;
  }
}
