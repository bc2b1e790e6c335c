package dev.cumulus.gateway.ratelimit;

import dev.cumulus.gateway.common.GatewayMetrics;
import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.platform.error.ApiFamilyResolver;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;

/** A gateway's {@link RedisWindowCounter} on the test Redis, as the ITs of this package use it. */
final class StartedCounters {

  private StartedCounters() {}

  /**
   * A started counter (2 s Redis timeout) that has counted a hit: {@code start()} connects in the
   * background, and the first counted hit says it is up (5 s at most).
   */
  static RedisWindowCounter started(ClientResources resources, RedisURI uri)
      throws InterruptedException {
    RedisWindowCounter counter =
        new RedisWindowCounter(
            resources,
            uri,
            Duration.ofSeconds(2),
            new GatewayMetrics(new SimpleMeterRegistry(), ApiFamilyResolver.withDefaults()));
    counter.start();
    String probe = "test-ready-" + UUID.randomUUID();
    Limit limit = Limit.parse("1000/1m");
    for (int i = 0; i < 100 && !counter.hit(probe, limit, null).block().counted(); i++) {
      Thread.sleep(50);
    }
    return counter;
  }
}
