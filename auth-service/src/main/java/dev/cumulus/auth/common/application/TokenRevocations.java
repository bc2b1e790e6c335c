package dev.cumulus.auth.common.application;

import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.RevocationCheck;
import dev.cumulus.platform.security.RevokedTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records that access tokens must stop working before they expire, where the gateway and every
 * service look ({@link RevokedTokens}), for as long as such a token may live: a session's tokens
 * after a logout, a subject's earlier tokens after a user is deactivated, deleted, demoted or
 * changes password, or an API key is revoked. Without it they would stay valid until they expire
 * (24 h for a login, minutes for an exchanged API key).
 *
 * <p>Both fail with 503 when Redis cannot record the revocation: a logout or a revocation that
 * answered success while the tokens kept working would mislead, and the client can try again.
 */
@Component
public class TokenRevocations {

  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  private final ReactiveStringRedisTemplate redis;
  private final RevocationCheck localCheck;
  private final Duration keepFor;

  public TokenRevocations(
      ReactiveStringRedisTemplate redis, RevocationCheck localCheck, AuthProperties properties) {
    this.redis = redis;
    this.localCheck = localCheck;
    // The longest-lived access token; API-key tokens live shorter.
    this.keepFor = properties.accessTokenTtl();
  }

  /**
   * Every access token of session {@code sessionId} stops working: here at once (this process's own
   * check may hold a fresh "live" answer), elsewhere within their recheck period.
   */
  public Mono<Void> endSession(String sessionId) {
    return store(RevokedTokens.sessionKey(sessionId), "1", "The session cannot be ended")
        .doOnSuccess(done -> localCheck.endedHere(sessionId));
  }

  /**
   * Every access token of {@code subject} (a user id, or {@code key:<id>}) issued until now stops
   * working; tokens issued after this call are unaffected.
   */
  public Mono<Void> revokeSubject(String subject) {
    return store(
        RevokedTokens.subjectKey(subject),
        RevokedTokens.subjectValue(Instant.now()),
        "The change cannot be applied");
  }

  private Mono<Void> store(String key, String value, String failure) {
    return redis
        .opsForValue()
        .set(key, value, keepFor)
        .timeout(REDIS_TIMEOUT)
        .filter(Boolean::booleanValue)
        .switchIfEmpty(Mono.error(new IllegalStateException("Redis did not store the key")))
        .then()
        .onErrorMap(
            e ->
                new ApiException(
                    ErrorKind.SERVICE_UNAVAILABLE,
                    failure + " right now, try again later",
                    null,
                    null,
                    Map.of(),
                    e));
  }
}
