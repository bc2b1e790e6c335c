package dev.cumulus.gateway.ratelimit;

import dev.cumulus.gateway.common.GatewayMetrics;
import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.platform.logging.WarningThrottle;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fixed-window request counters in Redis: one Lua script increments the window's key and starts its
 * expiry on the first hit, atomically, and returns the count and the time left (another moves a
 * request from one counter to another). Every gateway instance sharing the Redis shares the counts.
 *
 * <p>Talks to Lettuce directly on one multiplexed connection (no pool, no template): the script is
 * sent by SHA (loaded on first NOSCRIPT), commands time out after {@code redis-timeout} on
 * Lettuce's own timer, and commands are refused at once while disconnected. Any failure yields
 * {@link Verdict#UNCOUNTED}: the request goes through (fail open), a warning is logged at most
 * every ten seconds and {@code cumulus.gateway.ratelimit.failopen} counts it.
 */
public class RedisWindowCounter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedisWindowCounter.class);

  /**
   * KEYS[1] counter; KEYS[2], when given, a guard: a counter of the same limit that, once spent,
   * refuses the request without counting it in KEYS[1]. ARGV[1] window in ms, ARGV[2] the limit.
   * Returns {count, milliseconds left in the window} (a refusal by the guard: the guard's, plus
   * one).
   */
  static final String SCRIPT =
      """
      if KEYS[2] then
        local guard = tonumber(redis.call('GET', KEYS[2]) or '0')
        if guard >= tonumber(ARGV[2]) then
          return {guard + 1, redis.call('PTTL', KEYS[2])}
        end
      end
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if count == 1 or ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {count, ttl}
      """;

  /**
   * Takes one request back from KEYS[1] (if its window still runs) and counts it in KEYS[2]
   * instead. ARGV[1] KEYS[2]'s window in ms. Returns {KEYS[2]'s count, milliseconds left}.
   */
  static final String MOVE_SCRIPT =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 then
        redis.call('DECR', KEYS[1])
      end
      local count = redis.call('INCR', KEYS[2])
      local ttl = redis.call('PTTL', KEYS[2])
      if count == 1 or ttl < 0 then
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {count, ttl}
      """;

  /**
   * Reserves up to ARGV[3] requests of KEYS[1]'s window for one gateway to spend locally (see
   * {@link LocalAllowances}); KEYS[2] and ARGV[1..2] as in {@link #SCRIPT}. Never grants beyond the
   * limit, and no more than 1/128 of what is left, so a gateway that falls silent holds back little
   * of a budget. Returns {granted, count after the grant, milliseconds left, 1 if the guard
   * refused}.
   */
  static final String RESERVE_SCRIPT =
      """
      local limit = tonumber(ARGV[2])
      if KEYS[2] then
        local guard = tonumber(redis.call('GET', KEYS[2]) or '0')
        if guard >= limit then
          return {0, guard + 1, redis.call('PTTL', KEYS[2]), 1}
        end
      end
      local count = tonumber(redis.call('GET', KEYS[1]) or '0')
      local ttl = redis.call('PTTL', KEYS[1])
      if count >= limit then
        return {0, count + 1, ttl, 0}
      end
      local left = limit - count
      local grant = math.min(tonumber(ARGV[3]), left, math.max(1, math.floor(left / 128)))
      count = redis.call('INCRBY', KEYS[1], grant)
      if count == grant or ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {grant, count, ttl, 0}
      """;

  /** Gives back ARGV[1] reserved, unspent requests of KEYS[1], if its window still runs. */
  static final String RELEASE_SCRIPT =
      """
      if redis.call('PTTL', KEYS[1]) > 0 then
        return redis.call('DECRBY', KEYS[1], ARGV[1])
      end
      return 0
      """;

  private static final String SHA = sha1(SCRIPT);
  private static final String MOVE_SHA = sha1(MOVE_SCRIPT);
  private static final String RESERVE_SHA = sha1(RESERVE_SCRIPT);
  private static final String RELEASE_SHA = sha1(RELEASE_SCRIPT);

  private final RedisClient client;
  private final RedisURI uri;
  private final GatewayMetrics metrics;
  private final Timer timer;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(10));
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean running;

  public RedisWindowCounter(
      ClientResources resources, RedisURI uri, Duration timeout, GatewayMetrics metrics) {
    this.uri = uri;
    this.metrics = metrics;
    this.timer = metrics.redisTimer();
    this.client = RedisClient.create(resources, uri);
    this.client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Waiting for a reconnect would only delay the request: fail open at once instead.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .keepAlive(true)
                    .build())
            .build());
  }

  /**
   * Counts one request against {@code key}; never fails, never blocks. The answer is delivered on
   * {@code continueOn} (the request's own event loop) when given: otherwise the rest of the request
   * would run on Lettuce's single I/O thread, which every request shares.
   */
  public Mono<Verdict> hit(String key, Limit limit, Executor continueOn) {
    return hit(key, null, limit, continueOn);
  }

  /**
   * As {@link #hit(String, Limit, Executor)}, but once {@code guard} (a counter of the same limit)
   * is spent the request is refused without being counted against {@code key}.
   */
  public Mono<Verdict> hit(String key, String guard, Limit limit, Executor continueOn) {
    return evaluate(
            SCRIPT,
            SHA,
            keys(key, guard),
            continueOn,
            Long.toString(limit.windowMillis()),
            Long.toString(limit.requests()))
        .map(reply -> Verdict.of(limit, (Long) reply.get(0), (Long) reply.get(1)))
        .onErrorResume(e -> Mono.just(failOpen("Redis did not count a request", unwrap(e))));
  }

  /**
   * Reserves up to {@code wanted} requests of {@code key}'s window ({@link #RESERVE_SCRIPT}); never
   * fails: without Redis the answer is {@link Reservation#UNCOUNTED}. Delivered on {@code
   * continueOn} when given, as {@link #hit} is.
   */
  public Mono<Reservation> reserve(
      String key, String guard, Limit limit, long wanted, Executor continueOn) {
    return evaluate(
            RESERVE_SCRIPT,
            RESERVE_SHA,
            keys(key, guard),
            continueOn,
            Long.toString(limit.windowMillis()),
            Long.toString(limit.requests()),
            Long.toString(wanted))
        .map(
            reply ->
                new Reservation(
                    true,
                    (Long) reply.get(0),
                    (Long) reply.get(1),
                    (Long) reply.get(2),
                    (Long) reply.get(3) == 1L))
        .onErrorResume(
            e -> {
              failOpen("Redis did not reserve requests", unwrap(e));
              return Mono.just(Reservation.UNCOUNTED);
            });
  }

  private static String[] keys(String key, String guard) {
    return guard == null ? new String[] {key} : new String[] {key, guard};
  }

  /**
   * Runs a counting script, timed, its reply delivered on {@code continueOn} when given; fails when
   * Redis is not connected or does not answer.
   */
  private Mono<List<Object>> evaluate(
      String script, String sha, String[] keys, Executor continueOn, String... args) {
    StatefulRedisConnection<String, String> current = connection;
    if (current == null || !current.isOpen()) {
      return Mono.error(new IllegalStateException("no connection to Redis"));
    }
    long started = System.nanoTime();
    CompletionStage<List<Object>> evaluation =
        run(current, script, sha, ScriptOutputType.MULTI, keys, args);
    if (continueOn != null) {
      evaluation = evaluation.whenCompleteAsync((reply, failure) -> {}, continueOn);
    }
    return Mono.fromCompletionStage(evaluation)
        .doOnNext(reply -> timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
  }

  /** Gives {@code unspent} reserved requests of {@code key} back; fire and forget. */
  public void release(String key, long unspent) {
    StatefulRedisConnection<String, String> current = connection;
    if (current == null || !current.isOpen() || unspent <= 0) {
      return;
    }
    run(
            current,
            RELEASE_SCRIPT,
            RELEASE_SHA,
            ScriptOutputType.INTEGER,
            new String[] {key},
            Long.toString(unspent))
        .exceptionally(e -> null);
  }

  /**
   * What Redis granted.
   *
   * @param counted false when Redis did not answer (fail open)
   * @param granted requests this gateway may now spend
   * @param count the window's count after the grant (above the limit when nothing was granted)
   * @param millisLeft until the window (or, when the guard refused, the guard's window) ends
   * @param guardRefused the guard's budget is spent
   */
  public record Reservation(
      boolean counted, long granted, long count, long millisLeft, boolean guardRefused) {

    static final Reservation UNCOUNTED = new Reservation(false, 0, 0, 0, false);
  }

  /**
   * Moves one request counted against {@code from} to {@code to} (of window {@code limit}): for a
   * request that turned out not to be {@code from}'s to spend. Answers {@code to}'s count after the
   * move and its window's exact time left (empty without Redis); never fails; completes on {@code
   * continueOn} when given, as {@link #hit} does.
   */
  public Mono<Moved> moveOne(String from, String to, Limit limit, Executor continueOn) {
    return evaluate(
            MOVE_SCRIPT,
            MOVE_SHA,
            new String[] {from, to},
            continueOn,
            Long.toString(limit.windowMillis()))
        .map(reply -> new Moved((Long) reply.get(0), (Long) reply.get(1)))
        .onErrorResume(
            e -> Mono.fromRunnable(() -> failOpen("Redis did not move a request", unwrap(e))));
  }

  /**
   * Where a moved request landed.
   *
   * @param count the receiving window's count after the move
   * @param millisLeft until that window ends, exactly (not rounded to the second as a verdict's
   *     reset is)
   */
  public record Moved(long count, long millisLeft) {}

  /** Runs a script by its SHA, sending the script itself when Redis does not know it yet. */
  private static <T> CompletionStage<T> run(
      StatefulRedisConnection<String, String> connection,
      String script,
      String sha,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    return connection
        .async()
        .<T>evalsha(sha, type, keys, args)
        .exceptionallyCompose(
            e ->
                unwrap(e) instanceof RedisNoScriptException
                    ? connection.async().<T>eval(script, type, keys, args)
                    : CompletableFuture.<T>failedStage(e));
  }

  private Verdict failOpen(String why, Throwable cause) {
    metrics.failOpen();
    if (warnings.due()) {
      log.warn(
          "Rate limits not enforced (fail open): {}{}",
          why,
          cause == null ? "" : ": " + cause.toString());
    }
    return Verdict.UNCOUNTED;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause()
        : e;
  }

  // Connecting is asynchronous and retried in the background: the gateway starts, and serves
  // (unlimited), while Redis is away.

  @Override
  public void start() {
    running = true;
    connect(Duration.ofMillis(500));
  }

  private void connect(Duration nextDelay) {
    if (!running) {
      return;
    }
    client
        .connectAsync(StringCodec.UTF8, uri)
        .whenComplete(
            (opened, failure) -> {
              if (failure == null) {
                connection = opened;
                log.info("Rate limits count in Redis at {}:{}", uri.getHost(), uri.getPort());
                if (!running) {
                  opened.closeAsync();
                }
                return;
              }
              failOpen("cannot connect to Redis (retrying in " + nextDelay + ")", unwrap(failure));
              Duration after = nextDelay.multipliedBy(2);
              Duration capped =
                  after.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : after;
              Schedulers.parallel()
                  .schedule(() -> connect(capped), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            });
  }

  @Override
  public void stop() {
    running = false;
    StatefulRedisConnection<String, String> current = connection;
    connection = null;
    if (current != null) {
      current.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The outcome of counting a request.
   *
   * @param limit requests allowed in the window
   * @param remaining requests left after this one
   * @param resetEpochSeconds when the window ends
   * @param retryAfterSeconds for a refused request, how long until the window ends
   */
  public record Verdict(
      boolean counted,
      boolean allowed,
      long limit,
      long remaining,
      long resetEpochSeconds,
      long retryAfterSeconds) {

    /** Redis did not answer: let the request through without rate-limit headers. */
    public static final Verdict UNCOUNTED = new Verdict(false, true, 0, 0, 0, 0);

    static Verdict of(Limit limit, long count, long millisLeft) {
      long now = System.currentTimeMillis();
      long left = Math.max(millisLeft, 0);
      long reset = (now + left + 999) / 1000;
      return new Verdict(
          true,
          count <= limit.requests(),
          limit.requests(),
          Math.max(limit.requests() - count, 0),
          reset,
          Math.max((left + 999) / 1000, 1));
    }
  }
}
