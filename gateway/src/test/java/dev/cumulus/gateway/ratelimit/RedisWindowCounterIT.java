package dev.cumulus.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The counter's two scripts against the real Redis: the guard, and moving a request. */
class RedisWindowCounterIT {

  static final Limit TWO_PER_MINUTE = Limit.parse("2/1m");
  static ClientResources resources;
  static RedisWindowCounter counter;
  static RedisClient inspector;
  static StatefulRedisConnection<String, String> connection;
  static RedisCommands<String, String> redis;

  final String run = "test-rwc-" + UUID.randomUUID() + ":";

  @BeforeAll
  static void start() throws InterruptedException {
    RedisURI uri = RedisURI.create(TestInfrastructure.redis());
    resources = ClientResources.create();
    counter = StartedCounters.started(resources, uri);
    inspector = RedisClient.create(uri);
    connection = inspector.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    counter.stop();
    connection.close();
    inspector.shutdown();
    resources.shutdown();
  }

  /** A guard counter of this test that has counted {@code requests}, for 30 more seconds. */
  private String guardHolding(long requests) {
    String guard = run + "guard";
    redis.psetex(guard, 30_000, Long.toString(requests));
    return guard;
  }

  @Test
  void aSpentGuardRefusesWithoutCountingTheKey() {
    String key = run + "key";
    String guard = guardHolding(2);

    var verdict = counter.hit(key, guard, TWO_PER_MINUTE, null).block();

    assertThat(verdict.counted()).isTrue();
    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.retryAfterSeconds()).isBetween(1L, 30L);
    assertThat(redis.exists(key)).isZero();
  }

  @Test
  void anUnspentGuardLetsTheKeyCount() {
    String key = run + "key";
    String guard = guardHolding(1);

    var first = counter.hit(key, guard, TWO_PER_MINUTE, null).block();
    var second = counter.hit(key, guard, TWO_PER_MINUTE, null).block();
    var third = counter.hit(key, guard, TWO_PER_MINUTE, null).block();

    assertThat(first.allowed()).isTrue();
    assertThat(second.remaining()).isZero();
    assertThat(third.allowed()).isFalse();
    assertThat(redis.get(key)).isEqualTo("3");
    assertThat(redis.get(guard)).isEqualTo("1");
  }

  @Test
  void movingARequestTakesItFromOneWindowAndCountsItInTheOther() {
    String from = run + "from";
    String to = run + "to";
    counter.hit(from, TWO_PER_MINUTE, null).block();
    counter.hit(from, TWO_PER_MINUTE, null).block();

    RedisWindowCounter.Moved moved = counter.moveOne(from, to, TWO_PER_MINUTE, null).block();

    assertThat(redis.get(from)).isEqualTo("1");
    assertThat(redis.get(to)).isEqualTo("1");
    // The receiving window's count and its exact time left (a new window: about a minute).
    assertThat(moved.count()).isEqualTo(1);
    assertThat(moved.millisLeft()).isBetween(50_000L, 60_000L);
    assertThat(redis.pttl(to)).isBetween(1L, 60_000L);
    assertThat(counter.hit(from, TWO_PER_MINUTE, null).block().remaining()).isZero();
  }

  @Test
  void aWindowThatHasEndedIsNotRecreatedByAMove() {
    String from = run + "ended";
    String to = run + "to";

    counter.moveOne(from, to, TWO_PER_MINUTE, null).block();

    assertThat(redis.exists(from)).isZero();
    assertThat(redis.get(to)).isEqualTo("1");
  }
}
