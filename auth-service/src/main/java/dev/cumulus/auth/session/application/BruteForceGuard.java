package dev.cumulus.auth.session.application;

import dev.cumulus.auth.common.application.TooManyAttemptsException;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.session.domain.Secrets;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Slows password guessing: failed logins are counted per account and per client IP in Redis, in a
 * fixed window starting at the first failure. Once either count reaches the limit, logins answer
 * 429 with {@code Retry-After} until the window passes. A successful login clears the account's
 * count. When Redis is unreachable logins are allowed (fail open) and a warning is logged.
 */
@Component
public class BruteForceGuard {

  private static final Logger log = LoggerFactory.getLogger(BruteForceGuard.class);
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  @SuppressWarnings("rawtypes")
  private static final RedisScript<List> READ =
      RedisScript.of(
          """
          return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]),
                  tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('PTTL', KEYS[2])}
          """,
          List.class);

  @SuppressWarnings("rawtypes")
  private static final RedisScript<List> FAIL =
      RedisScript.of(
          """
          local result = {}
          for i, key in ipairs(KEYS) do
            local n = redis.call('INCR', key)
            if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
            result[i] = n
          end
          return result
          """,
          List.class);

  private final ReactiveStringRedisTemplate redis;
  private final AuthProperties.BruteForce settings;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1));

  public BruteForceGuard(ReactiveStringRedisTemplate redis, AuthProperties properties) {
    this.redis = redis;
    this.settings = properties.bruteForce();
  }

  /** The account being attacked: a login name within a scope (a tenant domain, or e-mail). */
  public record Attempt(String scope, String login, String ip) {
    String accountKey(String prefix) {
      // Hashed: login names (e-mails) do not belong in Redis key listings.
      return prefix + "account:" + Secrets.sha256(scope + "\n" + login.toLowerCase(Locale.ROOT));
    }

    String ipKey(String prefix) {
      return prefix + "ip:" + (ip == null ? "unknown" : ip);
    }
  }

  /** Fails with 429 while the account or the IP is over the limit. */
  public Mono<Void> check(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    List<String> keys =
        List.of(attempt.accountKey(settings.keyPrefix()), attempt.ipKey(settings.keyPrefix()));
    return values(redis.execute(READ, keys, List.of()))
        .timeout(REDIS_TIMEOUT)
        .flatMap(
            values -> {
              long account = number(values, 0);
              long ip = number(values, 2);
              long wait = 0;
              if (account >= settings.maxFailures()) {
                wait = Math.max(wait, number(values, 1));
              }
              if (ip >= settings.maxFailures()) {
                wait = Math.max(wait, number(values, 3));
              }
              if (wait > 0) {
                return Mono.<Void>error(
                    new TooManyAttemptsException(
                        "Too many failed login attempts; try again later",
                        Duration.ofMillis(wait).plusMillis(999)));
              }
              return Mono.<Void>empty();
            })
        .onErrorResume(e -> !(e instanceof TooManyAttemptsException), this::failOpen);
  }

  public Mono<Void> recordFailure(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    List<String> keys =
        List.of(attempt.accountKey(settings.keyPrefix()), attempt.ipKey(settings.keyPrefix()));
    return values(redis.execute(FAIL, keys, List.of(Long.toString(settings.window().toMillis()))))
        .timeout(REDIS_TIMEOUT)
        .then()
        .onErrorResume(this::failOpen);
  }

  public Mono<Void> recordSuccess(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    return redis
        .delete(attempt.accountKey(settings.keyPrefix()))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(REDIS_TIMEOUT)
        .then()
        .onErrorResume(this::failOpen);
  }

  private Mono<Void> failOpen(Throwable e) {
    if (warnings.due()) {
      log.warn("Login failure counters unavailable (Redis: {}); allowing logins", e.toString());
    }
    return Mono.empty();
  }

  /** A script's array reply, whether the driver emits it whole or element by element. */
  private static Mono<List<?>> values(reactor.core.publisher.Flux<?> reply) {
    return reply
        // Lettuce opens its first connection synchronously: never on the event loop.
        .subscribeOn(Schedulers.boundedElastic())
        .collectList()
        .map(
            items ->
                items.size() == 1 && items.getFirst() instanceof List<?> whole ? whole : items);
  }

  private static long number(List<?> values, int index) {
    return values.size() > index && values.get(index) instanceof Number n ? n.longValue() : 0;
  }
}
