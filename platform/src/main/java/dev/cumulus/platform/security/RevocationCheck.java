package dev.cumulus.platform.security;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * Whether a verified token has been revoked before its expiry ({@link RevokedTokens}): its session
 * ended, or its subject (user or API key) was revoked after the token was issued. The gateway and
 * every service ask the same question of the same Redis keys, so a direct call to a service gets
 * the gateway's answer.
 *
 * <p>One Redis read (both keys at once) per session and subject per {@code recheckAfter}: a client
 * sending many requests costs a read per period, and a revocation takes effect within it. If Redis
 * cannot answer, the token counts as live (fail open, as rate limits do) and a warning is logged at
 * most every ten seconds.
 */
public class RevocationCheck {

  private static final Logger log = LoggerFactory.getLogger(RevocationCheck.class);

  /** What Redis holds for a session and subject; {@code subjectRevokedAt} null when nothing. */
  private record Revocations(boolean sessionEnded, String subjectRevokedAt) {
    static final Revocations NONE = new Revocations(false, null);
  }

  private final ReactiveStringRedisTemplate redis;
  private final Duration timeout;
  private final AsyncCache<String, Revocations> answers;
  private final Cache<String, Boolean> endedHere;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(10));

  public RevocationCheck(
      ReactiveStringRedisTemplate redis, Duration recheckAfter, Duration timeout, long maxEntries) {
    this.redis = redis;
    this.timeout = timeout;
    this.answers =
        Caffeine.newBuilder().expireAfterWrite(recheckAfter).maximumSize(maxEntries).buildAsync();
    // Sessions this process saw end; kept longer than a recheck, bounded like the answers.
    this.endedHere =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(24))
            .maximumSize(maxEntries)
            .build();
  }

  /**
   * True when the token of {@code sessionId} (may be null) and {@code subject}, issued at {@code
   * issuedAt}, has been revoked; concurrent checks of one session and subject share one read. An
   * answer Redis has yet to give is delivered on {@code continueOn} (the request's event loop; null
   * for wherever it arrives): otherwise the rest of the request would run on Lettuce's single I/O
   * thread.
   */
  public Mono<Boolean> isRevoked(
      String sessionId, String subject, Instant issuedAt, Executor continueOn) {
    if (sessionId == null && subject == null) {
      return Mono.just(false);
    }
    if (sessionId != null && endedHere.getIfPresent(sessionId) != null) {
      return Mono.just(true);
    }
    CompletableFuture<Revocations> answer =
        answers.get(sessionId + "\u0000" + subject, (k, executor) -> read(sessionId, subject));
    if (continueOn != null && !answer.isDone()) {
      answer = answer.whenCompleteAsync((value, failure) -> {}, continueOn);
    }
    return Mono.fromFuture(answer, true)
        .map(
            found ->
                found.sessionEnded() || RevokedTokens.predates(issuedAt, found.subjectRevokedAt()));
  }

  /**
   * Records a session this process has just seen end (its logout answered with success), so its
   * tokens are refused here from the next request on, without waiting for a recheck.
   */
  public void endedHere(String sessionId) {
    endedHere.put(sessionId, Boolean.TRUE);
  }

  private CompletableFuture<Revocations> read(String sessionId, String subject) {
    List<String> keys = new ArrayList<>(2);
    keys.add(sessionId == null ? null : RevokedTokens.sessionKey(sessionId));
    keys.add(subject == null ? null : RevokedTokens.subjectKey(subject));
    List<String> asked = keys.stream().filter(k -> k != null).toList();
    return redis
        .opsForValue()
        .multiGet(asked)
        .timeout(timeout)
        .map(values -> revocations(keys, values))
        .onErrorResume(
            e -> {
              if (warnings.due()) {
                log.warn(
                    "Token revocations not checked (fail open): Redis did not answer: {}",
                    e.toString());
              }
              return Mono.just(Revocations.NONE);
            })
        .toFuture();
  }

  /** Maps MGET's answers (in the order asked, nulls for absent keys) back to the two keys. */
  private static Revocations revocations(List<String> keys, List<String> values) {
    int next = 0;
    boolean sessionEnded = false;
    String subjectRevokedAt = null;
    if (keys.get(0) != null) {
      sessionEnded = values.get(next++) != null;
    }
    if (keys.get(1) != null) {
      subjectRevokedAt = values.get(next);
    }
    return new Revocations(sessionEnded, subjectRevokedAt);
  }
}
