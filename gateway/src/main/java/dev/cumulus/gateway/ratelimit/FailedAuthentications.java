package dev.cumulus.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.gateway.auth.AuthenticationFailures;
import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Failed authentications per client IP (a bad, expired or revoked token, an unknown API key),
 * counted in Redis like every budget so that all gateways share it. Once an IP has spent its
 * budget, every request of it that carries a credential is refused with 429 until the window ends,
 * before anything is verified: guessing keys or replaying forged tokens costs the guesser time and
 * auth-service nothing. A refusal is decided here from a local note of the window's end, so a
 * blocked client costs no Redis call either.
 */
public class FailedAuthentications implements AuthenticationFailures {

  private final RedisWindowCounter counter;
  private final Limit limit;
  private final String keyPrefix;
  private final Cache<String, Long> blockedUntil;

  public FailedAuthentications(RedisWindowCounter counter, Limit limit, String keyPrefix) {
    this.counter = counter;
    this.limit = limit;
    this.keyPrefix = keyPrefix;
    this.blockedUntil =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(limit.window()).build();
  }

  /** 429 with the rate-limit headers when {@code ip} has spent its budget. */
  @Override
  public Mono<Void> refuseIfBlocked(String ip, ServerWebExchange exchange) {
    Long until = blockedUntil.getIfPresent(ip);
    long now = System.currentTimeMillis();
    if (until == null || until <= now) {
      return Mono.empty();
    }
    HttpHeaders headers = exchange.getResponse().getHeaders();
    headers.set("X-RateLimit-Limit", Long.toString(limit.requests()));
    headers.set("X-RateLimit-Remaining", "0");
    headers.set("X-RateLimit-Reset", Long.toString((until + 999) / 1000));
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max((until - now + 999) / 1000, 1)));
    return Mono.error(
        new ApiException(
            ErrorKind.RATE_LIMITED,
            "Too many failed authentications from this address, try again later"));
  }

  @Override
  public Mono<Void> record(String ip, Executor continueOn) {
    return counter
        .hit(keyPrefix + "authfail:ip:" + ip, limit, continueOn)
        .doOnNext(
            verdict -> {
              if (verdict.counted() && !verdict.allowed()) {
                blockedUntil.put(
                    ip,
                    System.currentTimeMillis()
                        + Duration.ofSeconds(verdict.retryAfterSeconds()).toMillis());
              }
            })
        .then();
  }
}
