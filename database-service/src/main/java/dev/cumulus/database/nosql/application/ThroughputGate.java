package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.time.Clock;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Provisioned throughput, enforced per table as DynamoDB does: a token bucket per table and
 * direction in Redis (so every replica draws on the same capacity) that refills at the table's read
 * or write capacity per second and holds up to {@code burst} seconds of unused capacity (AWS keeps
 * five minutes). A request is admitted while the bucket is positive and charged its actual units
 * afterwards; an empty bucket is a {@code ProvisionedThroughputExceededException}. Tables on demand
 * are not limited. Each table's capacity settings are those {@link TableService#recentSchema}
 * knows.
 */
@Component
public class ThroughputGate {

  /** Reads draw on the read capacity, writes on the write capacity. */
  public enum Direction {
    READ,
    WRITE
  }

  // KEYS[1] bucket; ARGV rate/s, capacity, now ms, cost, admit (1: refuse when not positive)
  private static final RedisScript<Long> BUCKET =
      RedisScript.of(
          """
          local rate, cap, now, cost, admit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
          local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
          local tokens, at = tonumber(state[1]), tonumber(state[2])
          if tokens == nil then tokens, at = cap, now end
          tokens = math.min(cap, tokens + math.max(0, now - at) * rate / 1000)
          if admit and tokens <= 0 then
            redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
            return 0
          end
          tokens = math.max(-cap, tokens - cost)
          redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
          redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 60000)
          return 1
          """,
          Long.class);

  private final TableService tables;
  private final ReactiveStringRedisTemplate redis;
  private final Clock clock;
  private final long burstSeconds;

  public ThroughputGate(
      TableService tables, ReactiveStringRedisTemplate redis, NoSqlProperties properties) {
    this.tables = tables;
    this.redis = redis;
    this.clock = Clock.systemUTC();
    this.burstSeconds = Math.max(1, properties.burstCapacity().toSeconds());
  }

  /** Refuses the request when the table is provisioned and its capacity is used up. */
  public Mono<Void> admit(Instance instance, String table, Direction direction) {
    return bucket(instance, table, direction, 0, true)
        .flatMap(
            admitted ->
                admitted
                    ? Mono.empty()
                    : Mono.error(
                        new DynamoException(
                            ErrorKind.BAD_REQUEST,
                            "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was"
                                + " exceeded. Consider increasing your provisioning level with the"
                                + " UpdateTable API.")));
  }

  /** Charges what a request consumed. */
  public Mono<Void> charge(Instance instance, String table, Direction direction, double units) {
    return bucket(instance, table, direction, units, false).then();
  }

  private Mono<Boolean> bucket(
      Instance instance, String table, Direction direction, double cost, boolean admit) {
    return provisioned(instance, table)
        .flatMap(
            schema -> {
              long rate =
                  direction == Direction.READ ? schema.readCapacity() : schema.writeCapacity();
              if (rate <= 0) {
                return Mono.just(true);
              }
              String key =
                  "cumulus:nosql:throughput:"
                      + instance.serviceId()
                      + ":"
                      + table
                      + ":"
                      + direction.name().toLowerCase();
              return redis
                  .execute(
                      BUCKET,
                      List.of(key),
                      List.of(
                          Long.toString(rate),
                          Long.toString(rate * burstSeconds),
                          Long.toString(clock.millis()),
                          Double.toString(cost),
                          admit ? "1" : "0"))
                  .next()
                  .map(result -> result == 1L);
            })
        .defaultIfEmpty(true);
  }

  /** The table's definition when it is provisioned; empty on demand (or when it is missing). */
  private Mono<TableSchema> provisioned(Instance instance, String table) {
    return tables
        .recentSchema(instance, table)
        .onErrorResume(DynamoException.class, missing -> Mono.empty())
        .filter(s -> "PROVISIONED".equals(s.billingMode()));
  }
}
