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

  /** KEYS: the hashes; ARGV: the fields. Every field of every hash as a number, 0 where none. */
  private static final RedisScript<List> READ =
      RedisScript.of(
          """
          local out = {}
          for i = 1, #KEYS do
            local values = redis.call('HMGET', KEYS[i], unpack(ARGV))
            for j = 1, #ARGV do
              out[#out + 1] = tonumber(values[j]) or 0
            end
          end
          return out
          """,
          List.class);

  /** Hashes read by one script call: a day (1440 minutes) is four calls, sent together. */
  static final int KEYS_PER_READ = 360;

  /** The fields read back, in the order {@link #minuteOf} expects them. */
  private static final List<String> FIELDS = fields();

  /**
   * The minutes {@code from..to} (inclusive) of one instance, oldest first, zeros where none: one
   * Lua call per {@link #KEYS_PER_READ} minutes, all in flight at once, instead of a round trip per
   * minute.
   */
  Flux<Minute> read(String tenantId, String instanceId, long fromMinute, long toMinute) {
    int count = (int) (toMinute - fromMinute + 1);
    int calls = (count + KEYS_PER_READ - 1) / KEYS_PER_READ;
    return Flux.range(0, calls)
        .flatMapSequential(
            call -> {
              long first = fromMinute + (long) call * KEYS_PER_READ;
              long last = Math.min(toMinute, first + KEYS_PER_READ - 1);
              List<String> keys = new ArrayList<>((int) (last - first + 1));
              for (long minute = first; minute <= last; minute++) {
                keys.add(key(tenantId, instanceId, minute));
              }
              return redis
                  .execute(READ, keys, FIELDS)
                  .collectList()
                  .flatMapIterable(values -> minutesOf(first, keys.size(), flatten(values)));
            },
            calls);
  }

  /** Lettuce hands a script's array over as one list or element by element: either way, longs. */
  private static long[] flatten(List<?> values) {
    List<Object> flat = new ArrayList<>();
    for (Object value : values) {
      if (value instanceof List<?> list) {
        flat.addAll(list);
      } else {
        flat.add(value);
      }
    }
    long[] numbers = new long[flat.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = ((Number) flat.get(i)).longValue();
    }
    return numbers;
  }

  private static List<Minute> minutesOf(long first, int count, long[] values) {
    int width = FIELDS.size();
    if (values.length != count * width) {
      throw new IllegalStateException(
          "Expected " + count * width + " values from Redis, got " + values.length);
    }
    List<Minute> minutes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = i * width;
      long[] latency = new long[LatencyHistogram.BUCKETS];
      System.arraycopy(values, at + 3, latency, 0, latency.length);
      minutes.add(new Minute(first + i, values[at], values[at + 1], values[at + 2], latency));
    }
    return minutes;
  }

  private static List<String> fields() {
    List<String> fields = new ArrayList<>(List.of("n", "c4", "c5"));
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      fields.add(LatencyHistogram.field(i));
    }
    return List.copyOf(fields);
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
