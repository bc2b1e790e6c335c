package dev.cumulus.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.logging.WarningThrottle;
import dev.cumulus.platform.security.EndedSessions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * Whether a token's session has ended (logged out, or its refresh token reused), from the keys
 * auth-service writes to Redis ({@link EndedSessions}). Each answer is reused for {@code
 * recheckAfter}, so a client sending many requests costs one Redis read per session per period and
 * a logout through another gateway instance takes effect here within it (through this one, at once:
 * {@link #endedHere}). If Redis cannot answer, the session counts as live (fail open, as rate
 * limits do) and a warning is logged at most every ten seconds.
 */
public class SessionCheck {

  private static final Logger log = LoggerFactory.getLogger(SessionCheck.class);

  private final ReactiveStringRedisTemplate redis;
  private final Duration timeout;
  private final AsyncCache<String, Boolean> ended;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(10));

  public SessionCheck(
      ReactiveStringRedisTemplate redis, Duration recheckAfter, Duration timeout, long maxEntries) {
    this.redis = redis;
    this.timeout = timeout;
    this.ended =
        Caffeine.newBuilder().expireAfterWrite(recheckAfter).maximumSize(maxEntries).buildAsync();
  }

  /**
   * True when the session has ended; concurrent checks of one session share one read. An answer
   * Redis has yet to give is delivered on {@code continueOn} (the request's event loop) when given:
   * otherwise the rest of the request would run on Lettuce's single I/O thread.
   */
  public Mono<Boolean> hasEnded(String sessionId, Executor continueOn) {
    CompletableFuture<Boolean> answer =
        ended.get(sessionId, (sid, executor) -> read(sid).toFuture());
    if (continueOn != null && !answer.isDone()) {
      answer = answer.whenCompleteAsync((value, failure) -> {}, continueOn);
    }
    return Mono.fromFuture(answer, true);
  }

  /**
   * Records a session this gateway has just seen end (its logout answered with success), so its
   * tokens are refused here from the next request on, without waiting for a recheck.
   */
  public void endedHere(String sessionId) {
    ended.put(sessionId, CompletableFuture.completedFuture(true));
  }

  private Mono<Boolean> read(String sessionId) {
    return redis
        .hasKey(EndedSessions.redisKey(sessionId))
        .timeout(timeout)
        .onErrorResume(
            e -> {
              if (warnings.due()) {
                log.warn(
                    "Ended sessions not checked (fail open): Redis did not answer: {}",
                    e.toString());
              }
              return Mono.just(false);
            });
  }
}
