package dev.cumulus.auth.session.application;

import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.EndedSessions;
import java.time.Duration;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records that a session has ended, where the gateway looks ({@link EndedSessions}), for as long as
 * an access token of the session may live: from then on the gateway refuses its access tokens,
 * which would otherwise stay valid until they expire (24 h by default).
 */
@Component
public class SessionEnds {

  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  private final ReactiveStringRedisTemplate redis;
  private final Duration keepFor;

  public SessionEnds(ReactiveStringRedisTemplate redis, AuthProperties properties) {
    this.redis = redis;
    this.keepFor = properties.accessTokenTtl();
  }

  /**
   * Fails with 503 when Redis cannot record it: a logout that answered success while the token kept
   * working would mislead the user, and the client can simply try again.
   */
  public Mono<Void> record(String sessionId) {
    return redis
        .opsForValue()
        .set(EndedSessions.redisKey(sessionId), "1", keepFor)
        .timeout(REDIS_TIMEOUT)
        .filter(Boolean::booleanValue)
        .switchIfEmpty(Mono.error(new IllegalStateException("Redis did not store the key")))
        .then()
        .onErrorMap(
            e ->
                new ApiException(
                    ErrorKind.SERVICE_UNAVAILABLE,
                    "The session cannot be ended right now, try again later",
                    null,
                    null,
                    Map.of(),
                    e));
  }
}
