package dev.cumulus.gateway.common;

import dev.cumulus.platform.error.ApiFamily;
import dev.cumulus.platform.error.ApiFamilyResolver;
import dev.cumulus.platform.error.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The gateway's own meters, registered once (no per-request registry look-ups):
 *
 * <ul>
 *   <li>{@code cumulus.gateway.auth.failures{family,outcome=unauthorized|forbidden}}
 *   <li>{@code cumulus.gateway.ratelimit.rejected{family}}
 *   <li>{@code cumulus.gateway.ratelimit.failopen} (Redis unreachable or slow: let through)
 *   <li>{@code cumulus.gateway.ratelimit.redis} timer of the counter round trip
 * </ul>
 */
public class GatewayMetrics {

  private final ApiFamilyResolver families;
  private final Map<ApiFamily, Counter> unauthorized = new EnumMap<>(ApiFamily.class);
  private final Map<ApiFamily, Counter> forbidden = new EnumMap<>(ApiFamily.class);
  private final Map<ApiFamily, Counter> rateLimited = new EnumMap<>(ApiFamily.class);
  private final Counter failOpen;
  private final Timer redis;

  public GatewayMetrics(MeterRegistry registry, ApiFamilyResolver families) {
    this.families = families;
    for (ApiFamily family : ApiFamily.values()) {
      String tag = family.name().toLowerCase();
      unauthorized.put(family, authFailures(registry, tag, "unauthorized"));
      forbidden.put(family, authFailures(registry, tag, "forbidden"));
      rateLimited.put(
          family,
          Counter.builder("cumulus.gateway.ratelimit.rejected")
              .description("Requests refused with 429")
              .tag("family", tag)
              .register(registry));
    }
    failOpen =
        Counter.builder("cumulus.gateway.ratelimit.failopen")
            .description("Requests let through uncounted because Redis did not answer in time")
            .register(registry);
    redis =
        Timer.builder("cumulus.gateway.ratelimit.redis")
            .description("Round trip of the rate-limit counter script")
            .register(registry);
  }

  private static Counter authFailures(MeterRegistry registry, String family, String outcome) {
    return Counter.builder("cumulus.gateway.auth.failures")
        .description("Requests refused by authentication (401) or tenancy (403)")
        .tag("family", family)
        .tag("outcome", outcome)
        .register(registry);
  }

  public void authFailure(ErrorKind kind, String path) {
    if (kind == ErrorKind.UNAUTHORIZED) {
      unauthorized.get(families.resolve(path)).increment();
    } else if (kind == ErrorKind.FORBIDDEN) {
      forbidden.get(families.resolve(path)).increment();
    }
  }

  public void rateLimited(ApiFamily family) {
    rateLimited.get(family).increment();
  }

  public void failOpen() {
    failOpen.increment();
  }

  public Timer redisTimer() {
    return redis;
  }
}
