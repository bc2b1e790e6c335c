package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.ratelimit.AccessKeyOwners;
import dev.cumulus.gateway.ratelimit.RateLimitFilter;
import dev.cumulus.platform.authclient.AuthServiceProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Per-instance traffic metrics: recorded by {@link InstanceTrafficFilter}, flushed to Redis, served
 * at {@code /api/metrics/instances/{id}} by the gateway itself (it is the one that measures them;
 * docs/identity.md, "Instance metrics").
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InstanceMetricsProperties.class)
@ConditionalOnProperty(value = "cumulus.gateway.instance-metrics.enabled", matchIfMissing = true)
public class InstanceMetricsConfiguration {

  @Bean
  InstanceTraffic instanceTraffic(InstanceMetricsProperties properties) {
    return new InstanceTraffic(properties.maxKeys());
  }

  @Bean
  InstanceTrafficFilter instanceTrafficFilter(
      InstanceTraffic traffic,
      GatewayPaths paths,
      AccessKeyOwners owners,
      ObjectProvider<RateLimitFilter> rateLimiter) {
    // The rate limiter looks up access-key owners anyway; without it the filter asks itself.
    return new InstanceTrafficFilter(
        traffic, paths, rateLimiter.getIfAvailable() == null ? owners : null);
  }

  @Bean
  InstanceMetricsStore instanceMetricsStore(
      ReactiveStringRedisTemplate redis, InstanceMetricsProperties properties) {
    return new InstanceMetricsStore(redis, properties);
  }

  @Bean
  InstanceMetricsFlusher instanceMetricsFlusher(
      InstanceTraffic traffic, InstanceMetricsStore store, InstanceMetricsProperties properties) {
    return new InstanceMetricsFlusher(traffic, store, properties);
  }

  @Bean
  RouterFunction<ServerResponse> instanceMetricsRoutes(
      WebClient.Builder builder, AuthServiceProperties auth, InstanceMetricsStore store) {
    InstanceOwners owners =
        new InstanceOwners(builder.clone().baseUrl(auth.url().toString()).build(), auth.timeout());
    return new InstanceMetricsRoutes(owners, store, Clock.systemUTC()).routes();
  }
}
