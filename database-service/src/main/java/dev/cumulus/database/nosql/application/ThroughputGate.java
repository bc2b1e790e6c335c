package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Provisioned throughput, enforced per table as DynamoDB does: a token bucket per table and
 * direction in Redis (so every replica draws on the same capacity) that refills at the table's read
 * or write capacity per second and holds up to {@code burst} seconds of unused capacity (AWS keeps
 * five minutes). A request is admitted while the bucket is positive and charged its actual units
 * afterwards; an empty bucket is a {@code ProvisionedThroughputExceededException}. A global
 * secondary index has buckets of its own (its own provisioned throughput); local ones draw on the
 * table's. Tables on demand are not limited. Each table's capacity settings are those {@link
 * TableService#recentSchema} knows.
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

  /**
   * Refuses the request when a bucket it draws on is used up: a read draws on the read capacity of
   * the table, or of the global index it reads ({@code index}, null: none); a write on the write
   * capacity of the table and of every global index, since an index short of capacity throttles its
   * table's writes on DynamoDB too. Answers the admission that later charges the request, holding
   * the definition looked up here so that charging does not look it up again.
   */
  public Mono<Admission> admit(
      Instance instance, String table, Collection<Direction> directions, String index) {
    return provisioned(instance, table)
        .flatMap(
            schema ->
                Flux.fromIterable(directions)
                    .concatMapIterable(
                        direction -> admissionBuckets(instance, schema, direction, index))
                    .concatMap(bucket -> run(bucket, 0, true))
                    .all(admitted -> admitted)
                    .flatMap(
                        admitted ->
                            admitted
                                ? Mono.just((Admission) used -> charge(instance, schema, used))
                                : Mono.error(
                                    new DynamoException(
                                        ErrorKind.BAD_REQUEST,
                                        "ProvisionedThroughputExceededException",
                                        "The level of configured provisioned throughput for the"
                                            + " table was exceeded. Consider increasing your"
                                            + " provisioning level with the UpdateTable API."))))
        // On demand (or missing): nothing to charge.
        .defaultIfEmpty(used -> Mono.empty());
  }

  /** An admitted request's table: charges what the request consumed to its buckets. */
  @FunctionalInterface
  public interface Admission {
    Mono<Void> charge(Consumption used);
  }

  /**
   * Charges what a request consumed: the table's own and its local indexes' units to the table's
   * buckets, each global index's to its own.
   */
  private Mono<Void> charge(Instance instance, TableSchema schema, Consumption used) {
    List<Mono<Boolean>> charges = new ArrayList<>();
    Consumption.Units own = used.tableShare();
    charges.add(run(bucket(instance, schema, null, Direction.READ), own.read(), false));
    charges.add(run(bucket(instance, schema, null, Direction.WRITE), own.write(), false));
    used.globalIndexes()
        .forEach(
            (name, units) -> {
              TableSchema.Index index = schema.index(name);
              if (index != null) {
                charges.add(
                    run(bucket(instance, schema, index, Direction.READ), units.read(), false));
                charges.add(
                    run(bucket(instance, schema, index, Direction.WRITE), units.write(), false));
              }
            });
    return Flux.concat(charges).then();
  }

  /** A token bucket: its Redis key, refill rate (units/s, 0: not limited) and capacity. */
  private record Bucket(String key, long rate) {}

  private List<Bucket> admissionBuckets(
      Instance instance, TableSchema schema, Direction direction, String indexName) {
    if (direction == Direction.READ) {
      TableSchema.Index index = indexName == null ? null : schema.index(indexName);
      boolean global = index != null && schema.isGlobal(index);
      return List.of(bucket(instance, schema, global ? index : null, Direction.READ));
    }
    List<Bucket> buckets = new ArrayList<>();
    buckets.add(bucket(instance, schema, null, Direction.WRITE));
    for (TableSchema.Index index : schema.globalIndexes()) {
      buckets.add(bucket(instance, schema, index, Direction.WRITE));
    }
    return buckets;
  }

  /** The bucket of the table ({@code index} null) or of one of its global indexes. */
  private static Bucket bucket(
      Instance instance, TableSchema schema, TableSchema.Index index, Direction direction) {
    long rate =
        index == null
            ? (direction == Direction.READ ? schema.readCapacity() : schema.writeCapacity())
            : (direction == Direction.READ ? index.readCapacity() : index.writeCapacity());
    String key =
        "cumulus:nosql:throughput:"
            + instance.serviceId()
            + ":"
            + schema.name()
            + (index == null ? "" : "/" + index.name())
            + ":"
            + direction.name().toLowerCase();
    return new Bucket(key, rate);
  }

  /** Runs the bucket script: true when admitted (or charged, or the bucket is not limited). */
  private Mono<Boolean> run(Bucket bucket, double cost, boolean admit) {
    if (bucket.rate() <= 0 || (!admit && cost <= 0)) {
      return Mono.just(true);
    }
    return redis
        .execute(
            BUCKET,
            List.of(bucket.key()),
            List.of(
                Long.toString(bucket.rate()),
                Long.toString(bucket.rate() * burstSeconds),
                Long.toString(clock.millis()),
                Double.toString(cost),
                admit ? "1" : "0"))
        .next()
        .map(result -> result == 1L);
  }

  /** The table's definition when it is provisioned; empty on demand (or when it is missing). */
  private Mono<TableSchema> provisioned(Instance instance, String table) {
    return tables
        .recentSchema(instance, table)
        .onErrorResume(DynamoException.class, missing -> Mono.empty())
        .filter(s -> "PROVISIONED".equals(s.billingMode()));
  }
}
