package dev.cumulus.auth.session.application;

import dev.cumulus.auth.common.application.TooManyAttemptsException;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.session.domain.Secrets;
import dev.cumulus.auth.user.domain.User;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Slows password guessing without handing an attacker a way to lock others out (docs/identity.md,
 * "Login protection"). Failed logins are counted in Redis per <em>account</em> (the user's tenant
 * and id, whatever the login was spelled as: username or e-mail, any case of the domain), per
 * client IP and account, and per client IP:
 *
 * <ul>
 *   <li>one IP that fails {@code maxFailures} times on an account is refused on it (429) until the
 *       window passes: the attacker is stopped;
 *   <li>from anywhere else the account only waits a delay after its last failure, doubling from
 *       {@code baseDelay} per failure beyond {@code maxFailures} up to {@code maxDelay}: its owner
 *       still gets in, and a distributed guesser gets one try per delay;
 *   <li>one IP that fails {@code maxFailuresPerIp} times across accounts is refused on all of them:
 *       high enough that users behind one shared address do not lock each other out.
 * </ul>
 *
 * A successful login clears the account's counters. When Redis is unreachable logins are allowed
 * (fail open) and a warning is logged.
 */
@Component
public class BruteForceGuard {

  private static final Logger log = LoggerFactory.getLogger(BruteForceGuard.class);
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  /** KEYS: account, ip+account, ip. ARGV: now, maxFailures, maxPerIp, baseDelay, maxDelay (ms). */
  private static final RedisScript<Long> WAIT =
      RedisScript.of(
          """
          local now, max, maxIp = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
          local wait = 0
          local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
          if n >= max then
            local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
            local delay = math.min(tonumber(ARGV[4]) * 2 ^ (n - max), tonumber(ARGV[5]))
            wait = math.max(wait, last + delay - now)
          end
          if tonumber(redis.call('GET', KEYS[2]) or '0') >= max then
            wait = math.max(wait, redis.call('PTTL', KEYS[2]))
          end
          if tonumber(redis.call('GET', KEYS[3]) or '0') >= maxIp then
            wait = math.max(wait, redis.call('PTTL', KEYS[3]))
          end
          return math.floor(wait)
          """,
          Long.class);

  /** KEYS: account, ip+account, ip. ARGV: now, window (ms). */
  private static final RedisScript<Long> FAIL =
      RedisScript.of(
          """
          redis.call('HINCRBY', KEYS[1], 'n', 1)
          redis.call('HSET', KEYS[1], 'last', ARGV[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          for i = 2, 3 do
            if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
          end
          return 1
          """,
          Long.class);

  private final ReactiveStringRedisTemplate redis;
  private final AuthProperties.BruteForce settings;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1));

  public BruteForceGuard(ReactiveStringRedisTemplate redis, AuthProperties properties) {
    this.redis = redis;
    this.settings = properties.bruteForce();
  }

  /**
   * A login attempt on {@code accounts}: the candidate users' canonical ids, or, when the login
   * names no user, a hash of how it was written (so unknown names are slowed down the same way).
   */
  public record Attempt(List<String> accounts, String ip) {

    public static Attempt of(String scope, String login, List<User> candidates, String ip) {
      List<String> accounts =
          candidates.isEmpty()
              ? List.of("login:" + Secrets.sha256(scope + "\n" + login.toLowerCase(Locale.ROOT)))
              : candidates.stream()
                  .map(user -> "user:" + user.tenantId() + ":" + user.id())
                  .toList();
      return new Attempt(accounts, ip == null ? "unknown" : ip);
    }

    List<String> keys(String prefix, String account) {
      return List.of(
          prefix + "account:" + account,
          // Hashed: client addresses and account ids do not belong in Redis key listings.
          prefix + "ip-account:" + Secrets.sha256(ip + "\n" + account),
          prefix + "ip:" + ip);
    }
  }

  /** Fails with 429 and how long to wait while any of the attempt's accounts must wait. */
  public Mono<Void> check(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    long now = System.currentTimeMillis();
    return Flux.fromIterable(attempt.accounts())
        .concatMap(
            account ->
                run(
                    WAIT,
                    attempt.keys(settings.keyPrefix(), account),
                    Long.toString(now),
                    Integer.toString(settings.maxFailures()),
                    Integer.toString(settings.maxFailuresPerIp()),
                    Long.toString(settings.baseDelay().toMillis()),
                    Long.toString(settings.maxDelay().toMillis())))
        .reduce(0L, Math::max)
        .timeout(REDIS_TIMEOUT)
        .flatMap(
            wait ->
                wait > 0
                    ? Mono.<Void>error(
                        new TooManyAttemptsException(
                            "Too many failed login attempts; try again later",
                            Duration.ofMillis(wait).plusMillis(999)))
                    : Mono.<Void>empty())
        .onErrorResume(e -> !(e instanceof TooManyAttemptsException), this::failOpen);
  }

  public Mono<Void> recordFailure(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    String now = Long.toString(System.currentTimeMillis());
    String window = Long.toString(settings.window().toMillis());
    return Flux.fromIterable(attempt.accounts())
        .concatMap(account -> run(FAIL, attempt.keys(settings.keyPrefix(), account), now, window))
        .then()
        .timeout(REDIS_TIMEOUT)
        .onErrorResume(this::failOpen);
  }

  /** Clears the account's counters and this IP's on it (not the IP's own total). */
  public Mono<Void> recordSuccess(Attempt attempt) {
    if (!settings.enabled()) {
      return Mono.empty();
    }
    return Flux.fromIterable(attempt.accounts())
        .map(account -> attempt.keys(settings.keyPrefix(), account).subList(0, 2))
        .concatMap(keys -> redis.delete(keys.toArray(String[]::new)))
        // Lettuce opens its first connection synchronously: never on the event loop.
        .subscribeOn(Schedulers.boundedElastic())
        .then()
        .timeout(REDIS_TIMEOUT)
        .onErrorResume(this::failOpen);
  }

  private Mono<Long> run(RedisScript<Long> script, List<String> keys, String... args) {
    return redis
        .execute(script, keys, List.of(args))
        .subscribeOn(Schedulers.boundedElastic())
        .next()
        .defaultIfEmpty(0L);
  }

  private Mono<Void> failOpen(Throwable e) {
    if (warnings.due()) {
      log.warn("Login failure counters unavailable (Redis: {}); allowing logins", e.toString());
    }
    return Mono.empty();
  }
}
