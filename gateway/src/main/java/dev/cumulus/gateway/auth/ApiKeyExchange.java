package dev.cumulus.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cumulus.gateway.config.GatewayProperties;
import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.authclient.AuthServiceUnavailableException;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Turns an {@code X-API-Key} into a short-lived access token at auth-service (platform's {@link
 * AuthServiceClient}) and remembers the answer briefly: granted tokens for {@code
 * api-key-cache-ttl} (never beyond their expiry), refusals for {@code api-key-negative-cache-ttl}.
 * So a revoked key stops working within seconds while a busy key costs one call per few seconds.
 * Concurrent requests with the same key share one exchange. Keys are cached by SHA-256, never in
 * clear.
 */
public class ApiKeyExchange {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyExchange.class);

  /** What auth-service said about a key. */
  private sealed interface Outcome {}

  private record Granted(Caller caller, Duration ttl) implements Outcome {}

  private record Refused() implements Outcome {}

  private final AuthServiceClient authService;
  private final ReactiveJwtDecoder decoder;
  private final Duration ttl;
  private final Duration negativeTtl;
  private final AsyncCache<String, Outcome> cache;

  public ApiKeyExchange(
      AuthServiceClient authService, ReactiveJwtDecoder decoder, GatewayProperties properties) {
    this.authService = authService;
    this.decoder = decoder;
    this.ttl = properties.apiKeyCacheTtl();
    this.negativeTtl = properties.apiKeyNegativeCacheTtl();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfter(
                Expiry.<String, Outcome>creating(
                    (key, outcome) ->
                        outcome instanceof Granted granted ? granted.ttl() : negativeTtl))
            .buildAsync();
  }

  /** The caller the key stands for; a 401 when auth-service refuses it. */
  public Mono<Caller> authenticate(String apiKey) {
    // Failed exchanges (auth-service down) complete exceptionally and are not cached.
    return Mono.fromFuture(
            cache.get(sha256(apiKey), (hash, executor) -> exchange(apiKey).toFuture()), true)
        .flatMap(
            outcome ->
                outcome instanceof Granted granted
                    ? Mono.just(granted.caller())
                    : Mono.error(ApiException.unauthorized("Invalid or revoked API key")));
  }

  private Mono<Outcome> exchange(String apiKey) {
    return authService
        .exchangeApiKey(apiKey)
        .flatMap(token -> token.map(this::granted).orElse(Mono.just((Outcome) new Refused())))
        .onErrorMap(
            AuthServiceUnavailableException.class,
            e -> {
              log.warn("Cannot exchange an API key at auth-service: {}", e.getMessage());
              return unavailable(e.getMessage());
            });
  }

  /** Verifies the token auth-service returned, as any other token, before trusting its claims. */
  private Mono<Outcome> granted(String accessToken) {
    return decoder
        .decode(accessToken)
        .map(
            jwt -> {
              Duration untilExpiry =
                  jwt.getExpiresAt() == null
                      ? ttl
                      : Duration.between(Instant.now(), jwt.getExpiresAt());
              Duration keep = untilExpiry.compareTo(ttl) < 0 ? untilExpiry : ttl;
              return (Outcome)
                  new Granted(
                      new Caller(CumulusPrincipal.from(jwt), accessToken),
                      keep.isNegative() ? Duration.ZERO : keep);
            });
  }

  private static ApiException unavailable(String why) {
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "API keys cannot be checked right now, try again later",
        null,
        null,
        Map.of(),
        new IllegalStateException(why));
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
