package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.metrics.InstanceTraffic.Counters;
import dev.cumulus.gateway.metrics.InstanceTraffic.Key;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The per-minute counts in Redis: one hash per (tenant, instance, minute) with fields {@code n}
 * (requests), {@code c4} / {@code c5} (4xx / 5xx) and {@code b0..b14} (latency buckets), expiring
 * after the retention. Every gateway replica adds its own counts to the same hashes.
 */
class InstanceMetricsStore {

  private static final Logger log = LoggerFactory.getLogger(InstanceMetricsStore.class);

  /** KEYS[1] the hash; ARGV[1] TTL in seconds, then field/increment pairs. */
  private static final RedisScript<Long> ADD =
      RedisScript.of(
          """
          for i = 2, #ARGV, 2 do
            redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
          end
          redis.call('EXPIRE', KEYS[1], ARGV[1])
          return 1
          """,
          Long.class);

  /** One minute as read back. */
  record Minute(
      long epochMinute, long requests, long clientErrors, long serverErrors, long[] latency) {}

  private final ReactiveStringRedisTemplate redis;
  private final InstanceMetricsProperties properties;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1));

  InstanceMetricsStore(ReactiveStringRedisTemplate redis, InstanceMetricsProperties properties) {
    this.redis = redis;
    this.properties = properties;
  }

  String key(String tenantId, String instanceId, long epochMinute) {
    return properties.keyPrefix() + tenantId + ":" + instanceId + ":" + epochMinute;
  }

  /** Adds the counters to Redis; a failure is logged (throttled) and the counts are lost. */
  Mono<Void> add(Map<Key, Counters> counters) {
    if (counters.isEmpty()) {
      return Mono.empty();
    }
    String ttl = Long.toString(properties.retention().toSeconds());
    return Flux.fromIterable(counters.entrySet())
        .flatMap(
            entry ->
                redis.execute(
                    ADD,
                    List.of(
                        key(
                            entry.getKey().tenantId(),
                            entry.getKey().instanceId(),
                            entry.getKey().epochMinute())),
                    arguments(ttl, entry.getValue())),
            64)
        .then()
        .onErrorResume(
            e -> {
              if (warnings.due()) {
                log.warn("Cannot store instance metrics in Redis: {}", e.toString());
              }
              return Mono.empty();
            });
  }

  /** The minutes {@code from..to} (inclusive) of one instance, oldest first, zeros where none. */
  Flux<Minute> read(String tenantId, String instanceId, long fromMinute, long toMinute) {
    return Flux.range(0, (int) (toMinute - fromMinute + 1))
        .map(i -> fromMinute + i)
        .flatMapSequential(
            minute ->
                redis
                    .<String, String>opsForHash()
                    .entries(key(tenantId, instanceId, minute))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                    .map(hash -> minuteOf(minute, hash)),
            32);
  }

  private static Minute minuteOf(long minute, Map<String, String> hash) {
    return new Minute(
        minute,
        count(hash, "n"),
        count(hash, "c4"),
        count(hash, "c5"),
        LatencyHistogram.countsOf(hash));
  }

  private static long count(Map<String, String> hash, String field) {
    String value = hash.get(field);
    return value == null ? 0 : Long.parseLong(value);
  }

  private static List<String> arguments(String ttl, Counters counters) {
    List<String> args = new ArrayList<>();
    args.add(ttl);
    addIfAny(args, "n", counters.requests.sum());
    addIfAny(args, "c4", counters.clientErrors.sum());
    addIfAny(args, "c5", counters.serverErrors.sum());
    for (int i = 0; i < counters.latency.length; i++) {
      addIfAny(args, LatencyHistogram.field(i), counters.latency[i].sum());
    }
    return args;
  }

  private static void addIfAny(List<String> args, String field, long value) {
    if (value != 0) {
      args.add(field);
      args.add(Long.toString(value));
    }
  }
}
