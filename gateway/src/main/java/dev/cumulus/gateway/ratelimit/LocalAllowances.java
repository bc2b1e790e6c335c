package dev.cumulus.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.gateway.ratelimit.RedisWindowCounter.Reservation;
import dev.cumulus.gateway.ratelimit.RedisWindowCounter.Verdict;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import reactor.core.publisher.Mono;

/**
 * Rate-limit budgets spent without a Redis round trip per request: a gateway reserves a few
 * requests of a budget's window in Redis at a time ({@link RedisWindowCounter#reserve}) and spends
 * them locally; when they run out it reserves again. Reservations grow while a budget is busy
 * (doubling up to {@value #MOST_AT_ONCE}) and Redis never grants more than 1/128 of what is left,
 * so near the end of a budget every request is reserved on its own.
 *
 * <p>What this guarantees across any number of gateways sharing one Redis: no budget is ever
 * exceeded (Redis grants at most the limit in total); a gateway that falls silent gives what it
 * holds back after {@link #IDLE} (until then at most 1/128 of what was left when it reserved is
 * held back, under 1 %); {@code X-RateLimit-Remaining} is exact for requests that reserve and
 * otherwise lags behind other gateways' spending by at most what they hold.
 */
public class LocalAllowances {

  static final long MOST_AT_ONCE = 1024;
  static final Duration IDLE = Duration.ofSeconds(2);

  /** A spent budget is refused locally for this long before Redis is asked again. */
  private static final long SPENT_RECHECK_MILLIS = 1000;

  private final RedisWindowCounter redis;
  private final Cache<String, Allowance> allowances;

  /** Guards (sender budgets) Redis said are spent: until when, each dropped at that time. */
  private final Cache<String, Long> spentGuards;

  public LocalAllowances(RedisWindowCounter redis) {
    this.redis = redis;
    this.allowances =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(IDLE)
            .scheduler(Scheduler.systemScheduler())
            .removalListener(
                (String key, Allowance allowance, RemovalCause cause) -> {
                  if (allowance != null) {
                    redis.release(key, allowance.drain(System.currentTimeMillis()));
                  }
                })
            .build();
    this.spentGuards =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfter(
                Expiry.<String, Long>writing(
                    (guard, until) ->
                        Duration.ofMillis(Math.max(until - System.currentTimeMillis(), 0))))
            .build();
  }

  /**
   * Counts one request against {@code key}; refused without counting once {@code guard} (may be
   * null) is spent, as {@link RedisWindowCounter#hit(String, String, Limit, Executor)}. Never
   * fails.
   */
  public Mono<Verdict> hit(String key, String guard, Limit limit, Executor continueOn) {
    long now = System.currentTimeMillis();
    if (guard != null) {
      Long spentUntil = spentGuards.getIfPresent(guard);
      if (spentUntil != null && spentUntil > now) {
        return Mono.just(Verdict.of(limit, limit.requests() + 1, spentUntil - now));
      }
    }
    Allowance allowance = allowances.get(key, k -> new Allowance());
    Verdict local = allowance.spend(limit, now);
    return local != null
        ? Mono.just(local)
        : reserveAndSpend(key, guard, limit, allowance, continueOn);
  }

  /** Notes that {@code guard} has spent its budget of {@code limit} for {@code millisLeft}. */
  public void guardSpent(String guard, long millisLeft) {
    spentGuards.put(guard, System.currentTimeMillis() + millisLeft);
  }

  /**
   * Joins the reservation in flight for this budget, or starts one, then spends from what it
   * brought; reserves once more if other requests spent it first. The reservation runs to its end
   * even when the request that started it goes away, so no budget waits on a reservation forever.
   */
  private Mono<Verdict> reserveAndSpend(
      String key, String guard, Limit limit, Allowance allowance, Executor continueOn) {
    CompletableFuture<Reservation> reservation;
    boolean started = false;
    synchronized (allowance) {
      if (allowance.inFlight == null) {
        allowance.inFlight = new CompletableFuture<>();
        started = true;
      }
      reservation = allowance.inFlight;
    }
    if (started) {
      // Outside the monitor: Redis may answer on this very thread.
      reserve(key, guard, limit, allowance, reservation);
    }
    if (continueOn != null && !reservation.isDone()) {
      // Otherwise the rest of the request would run on Lettuce's single I/O thread.
      reservation = reservation.whenCompleteAsync((done, failure) -> {}, continueOn);
    }
    return Mono.fromFuture(reservation, true)
        .flatMap(
            done -> {
              if (!done.counted()) {
                return Mono.just(Verdict.UNCOUNTED);
              }
              if (done.guardRefused()) {
                return Mono.just(Verdict.of(limit, done.count(), done.millisLeft()));
              }
              Verdict local = allowance.spend(limit, System.currentTimeMillis());
              return local != null
                  ? Mono.just(local)
                  : reserveAndSpend(key, guard, limit, allowance, continueOn);
            });
  }

  /** Asks Redis, records the answer in {@code allowance}, then completes {@code reservation}. */
  private void reserve(
      String key,
      String guard,
      Limit limit,
      Allowance allowance,
      CompletableFuture<Reservation> reservation) {
    long ask = allowance.nextAsk(System.currentTimeMillis());
    redis
        .reserve(key, guard, limit, ask, null)
        .subscribe(
            answer -> {
              if (answer.guardRefused()) {
                guardSpent(guard, answer.millisLeft());
              } else if (answer.counted()) {
                allowance.granted(answer, System.currentTimeMillis());
              }
              synchronized (allowance) {
                allowance.inFlight = null;
              }
              reservation.complete(answer);
            });
  }

  /** One budget as this gateway sees it. Guarded by its own monitor. */
  static final class Allowance {

    private long windowEndsAt;
    private long countAtGrant;
    private long held;
    private long lastAsk;
    private long lastAskAt;
    private long spentUntil;
    CompletableFuture<Reservation> inFlight;

    /**
     * Spends one held request: its verdict, or null when nothing is held and Redis must be asked.
     */
    synchronized Verdict spend(Limit limit, long now) {
      if (now >= windowEndsAt) {
        held = 0; // what was held belonged to a window that has ended
      }
      if (now < spentUntil) {
        return Verdict.of(limit, limit.requests() + 1, windowEndsAt - now);
      }
      if (held == 0) {
        return null;
      }
      held--;
      return Verdict.of(limit, countAtGrant - held, windowEndsAt - now);
    }

    /** How many to ask for: twice the last ask while the budget is busy, fewer when it is not. */
    synchronized long nextAsk(long now) {
      long ask =
          now - lastAskAt < 250 ? Math.min(lastAsk * 2, MOST_AT_ONCE) : Math.max(lastAsk / 2, 1);
      lastAsk = ask;
      lastAskAt = now;
      return ask;
    }

    synchronized void granted(Reservation reservation, long now) {
      long endsAt = now + Math.max(reservation.millisLeft(), 0);
      if (reservation.granted() == 0) {
        windowEndsAt = endsAt;
        spentUntil = Math.min(endsAt, now + SPENT_RECHECK_MILLIS);
        return;
      }
      held = (now >= windowEndsAt ? 0 : held) + reservation.granted();
      windowEndsAt = endsAt;
      countAtGrant = reservation.count();
    }

    /** Empties the allowance: what it held, if its window still runs, for giving back. */
    synchronized long drain(long now) {
      long unspent = now < windowEndsAt - 50 ? held : 0;
      held = 0;
      return unspent;
    }
  }
}
