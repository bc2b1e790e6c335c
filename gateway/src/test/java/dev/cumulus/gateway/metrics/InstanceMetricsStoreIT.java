package dev.cumulus.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.metrics.InstanceMetricsStore.Minute;
import dev.cumulus.gateway.metrics.InstanceTraffic.Counters;
import dev.cumulus.gateway.metrics.InstanceTraffic.Key;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The per-minute hashes against the real Redis: added, then read back a range at a time. */
class InstanceMetricsStoreIT {

  static LettuceConnectionFactory connections;
  static InstanceMetricsStore store;

  final String tenant = "t-" + UUID.randomUUID();
  final String instance = UUID.randomUUID().toString();

  @BeforeAll
  static void connect() {
    connections =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(
                TestInfrastructure.redis().getHost(), TestInfrastructure.redis().getPort()));
    connections.afterPropertiesSet();
    connections.start();
    store =
        new InstanceMetricsStore(
            new ReactiveStringRedisTemplate(connections),
            new InstanceMetricsProperties(
                true,
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                1000,
                "test-ims-" + UUID.randomUUID() + ":"));
  }

  @AfterAll
  static void close() {
    connections.destroy();
  }

  static Counters counters(int... statuses) {
    Counters counters = new Counters();
    for (int status : statuses) {
      counters.add(status, 3_000_000); // 3 ms: bucket b2
    }
    return counters;
  }

  @Test
  void aDaysRangeReadsBackEveryMinuteInOrderWithZerosWhereNothingWasCounted() {
    long now = System.currentTimeMillis() / 60_000;
    long from = now - InstanceMetricsRoutes.MAX_MINUTES + 1;
    // Minutes at both ends, and on both sides of a boundary between two script calls.
    long boundary = from + InstanceMetricsStore.KEYS_PER_READ;
    store
        .add(
            Map.of(
                new Key(tenant, instance, from), counters(200),
                new Key(tenant, instance, boundary - 1), counters(200, 404),
                new Key(tenant, instance, boundary), counters(500, 503, 200),
                new Key(tenant, instance, now), counters(200, 200, 200, 429),
                // Another instance's minute is not this one's.
                new Key(tenant, "other", boundary), counters(200)))
        .block(Duration.ofSeconds(10));

    List<Minute> minutes =
        store.read(tenant, instance, from, now).collectList().block(Duration.ofSeconds(10));

    assertThat(minutes).hasSize(InstanceMetricsRoutes.MAX_MINUTES);
    for (int i = 0; i < minutes.size(); i++) {
      assertThat(minutes.get(i).epochMinute()).isEqualTo(from + i);
    }
    assertCounts(minutes.getFirst(), 1, 0, 0);
    assertCounts(minutes.get((int) (boundary - 1 - from)), 2, 1, 0);
    assertCounts(minutes.get((int) (boundary - from)), 3, 0, 2);
    assertCounts(minutes.getLast(), 4, 1, 0);
    assertThat(minutes.getLast().latency()[2]).isEqualTo(4);
    assertThat(minutes.stream().mapToLong(Minute::requests).sum()).isEqualTo(10);
    assertCounts(minutes.get(1), 0, 0, 0);
    assertThat(minutes.get(1).latency()).containsOnly(0L);
  }

  @Test
  void aSingleMinuteReadsBack() {
    long minute = System.currentTimeMillis() / 60_000;
    store
        .add(Map.of(new Key(tenant, instance, minute), counters(201)))
        .block(Duration.ofSeconds(10));
    List<Minute> minutes =
        store.read(tenant, instance, minute, minute).collectList().block(Duration.ofSeconds(10));
    assertThat(minutes).hasSize(1);
    assertCounts(minutes.getFirst(), 1, 0, 0);
  }

  static void assertCounts(Minute minute, long requests, long clientErrors, long serverErrors) {
    assertThat(minute.requests()).as("requests").isEqualTo(requests);
    assertThat(minute.clientErrors()).as("4xx").isEqualTo(clientErrors);
    assertThat(minute.serverErrors()).as("5xx").isEqualTo(serverErrors);
  }
}
