package dev.cumulus.gateway.ratelimit;

import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.gateway.web.GatewayMetrics;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fixed-window request counters in Redis: one Lua script increments the window's key and starts its
 * expiry on the first hit, atomically, and returns the count and the time left. Every gateway
 * instance sharing the Redis shares the counts.
 *
 * <p>Talks to Lettuce directly on one multiplexed connection (no pool, no template): the script is
 * sent by SHA (loaded on first NOSCRIPT), commands time out after {@code redis-timeout} on
 * Lettuce's own timer, and commands are refused at once while disconnected. Any failure yields
 * {@link Verdict#UNCOUNTED}: the request goes through (fail open), a warning is logged at most
 * every ten seconds and {@code cumulus.gateway.ratelimit.failopen} counts it.
 */
public class RedisWindowCounter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedisWindowCounter.class);

  /** KEYS[1] counter; ARGV[1] window in ms. Returns {count, milliseconds left in the window}. */
  static final String SCRIPT =
      """
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if count == 1 or ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {count, ttl}
      """;

  private static final String SHA = sha1(SCRIPT);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RedisClient client;
  private final RedisURI uri;
  private final GatewayMetrics metrics;
  private final Timer timer;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
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
    StatefulRedisConnection<String, String> current = connection;
    if (current == null || !current.isOpen()) {
      return Mono.just(failOpen("no connection to Redis", null));
    }
    long started = System.nanoTime();
    String[] keys = {key};
    String window = Long.toString(limit.windowMillis());
    CompletionStage<List<Object>> evaluation =
        current
            .async()
            .<List<Object>>evalsha(SHA, ScriptOutputType.MULTI, keys, window)
            .exceptionallyCompose(
                e ->
                    unwrap(e) instanceof RedisNoScriptException
                        ? current.async().eval(SCRIPT, ScriptOutputType.MULTI, keys, window)
                        : CompletableFuture.failedStage(e));
    if (continueOn != null) {
      evaluation = evaluation.whenCompleteAsync((reply, failure) -> {}, continueOn);
    }
    return Mono.fromCompletionStage(evaluation)
        .map(
            reply -> {
              timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              return Verdict.of(limit, (Long) reply.get(0), (Long) reply.get(1));
            })
        .onErrorResume(e -> Mono.just(failOpen("Redis did not count a request", unwrap(e))));
  }

  private Verdict failOpen(String why, Throwable cause) {
    metrics.failOpen();
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
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
