package dev.cumulus.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.gateway.ratelimit.RedisWindowCounter.Verdict;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Two gateways (each its own Redis connection and local allowances) spending one budget in the real
 * Redis: the budget holds exactly however the requests are spread and however fast they come.
 */
class LocalAllowancesIT {

  static ClientResources resources;
  static RedisWindowCounter redisOfA;
  static RedisWindowCounter redisOfB;
  static RedisClient inspector;
  static StatefulRedisConnection<String, String> connection;

  final String run = "test-la-" + UUID.randomUUID() + ":";

  @BeforeAll
  static void start() throws InterruptedException {
    RedisURI uri = RedisURI.create(TestInfrastructure.redis());
    resources = ClientResources.create();
    redisOfA = StartedCounters.started(resources, uri);
    redisOfB = StartedCounters.started(resources, uri);
    inspector = RedisClient.create(uri);
    connection = inspector.connect();
  }

  @AfterAll
  static void stop() {
    redisOfA.stop();
    redisOfB.stop();
    connection.close();
    inspector.shutdown();
    resources.shutdown();
  }

  @Test
  void aBudgetSpentConcurrentlyThroughTwoGatewaysAdmitsExactlyItsLimit() {
    Limit limit = Limit.parse("1000/1h");
    String key = run + "tenant";
    LocalAllowances a = new LocalAllowances(redisOfA);
    LocalAllowances b = new LocalAllowances(redisOfB);
    AtomicInteger allowed = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();

    Flux.range(0, 3000)
        .flatMap(
            i ->
                (i % 3 == 0 ? b : a).hit(key, null, limit, null).subscribeOn(Schedulers.parallel()),
            64)
        .doOnNext(v -> (v.allowed() ? allowed : refused).incrementAndGet())
        .blockLast(Duration.ofSeconds(60));

    assertThat(allowed.get()).isEqualTo(1000);
    assertThat(refused.get()).isEqualTo(2000);
    assertThat(connection.sync().get(key)).isEqualTo("1000");
  }

  @Test
  void whatASilentGatewayHoldsIsGivenBackSoTheOtherCanSpendTheWholeBudget()
      throws InterruptedException {
    Limit limit = Limit.parse("2000/1h");
    String key = run + "silent";
    LocalAllowances a = new LocalAllowances(redisOfA);
    LocalAllowances b = new LocalAllowances(redisOfB);
    // A busy burst through A: its reservations grow, so it holds requests it will not spend.
    List<Verdict> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      burst.add(a.hit(key, null, limit, null).block());
    }
    assertThat(burst).allMatch(Verdict::allowed);
    assertThat(Long.parseLong(connection.sync().get(key))).isGreaterThan(40);

    Thread.sleep(LocalAllowances.IDLE.toMillis() + 1500);

    assertThat(connection.sync().get(key)).isEqualTo("40");
    int spentThroughB = 0;
    while (b.hit(key, null, limit, null).block().allowed()) {
      spentThroughB++;
    }
    assertThat(spentThroughB).isEqualTo(2000 - 40);
  }

  @Test
  void theRemainingHeaderIsExactWhileOneGatewaySpendsAlone() {
    Limit limit = Limit.parse("500/1h");
    LocalAllowances a = new LocalAllowances(redisOfA);
    for (int i = 1; i <= 500; i++) {
      Verdict verdict = a.hit(run + "alone", null, limit, null).block();
      assertThat(verdict.allowed()).isTrue();
      assertThat(verdict.remaining()).isEqualTo(500 - i);
    }
    assertThat(a.hit(run + "alone", null, limit, null).block().allowed()).isFalse();
  }

  @Test
  void aSpentGuardRefusesAtOnceAndTheKeyStaysUntouched() {
    Limit limit = Limit.parse("2/1m");
    String guard = run + "guard";
    connection.sync().psetex(guard, 30_000, "2");
    LocalAllowances a = new LocalAllowances(redisOfA);

    Verdict first = a.hit(run + "key", guard, limit, null).block();
    Verdict second = a.hit(run + "other-key", guard, limit, null).block();

    assertThat(first.allowed()).isFalse();
    assertThat(second.allowed()).isFalse();
    assertThat(second.retryAfterSeconds()).isBetween(1L, 30L);
    assertThat(connection.sync().exists(run + "key")).isZero();
  }
}
