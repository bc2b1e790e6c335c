package dev.cumulus.gateway;

import dev.cumulus.gateway.auth.ApiKeyExchange;
import dev.cumulus.gateway.auth.AuthenticationFailures;
import dev.cumulus.gateway.auth.GatewayAuthenticationFilter;
import dev.cumulus.gateway.auth.TokenVerifier;
import dev.cumulus.gateway.common.ClientAddress;
import dev.cumulus.gateway.common.GatewayMetrics;
import dev.cumulus.gateway.config.CircuitBreakerProperties;
import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.config.GatewayProperties;
import dev.cumulus.gateway.ratelimit.AccessKeyOwners;
import dev.cumulus.gateway.ratelimit.FailedAuthentications;
import dev.cumulus.gateway.ratelimit.LocalAllowances;
import dev.cumulus.gateway.ratelimit.RateLimitFilter;
import dev.cumulus.gateway.ratelimit.RedisWindowCounter;
import dev.cumulus.gateway.routing.RegistryRoutes;
import dev.cumulus.gateway.routing.RoutingProperties;
import dev.cumulus.gateway.routing.UpstreamDnsCache;
import dev.cumulus.gateway.web.AccessLogFilter;
import dev.cumulus.gateway.web.RequestFirewall;
import dev.cumulus.gateway.web.SecurityHeaders;
import dev.cumulus.gateway.web.UpstreamHeaders;
import dev.cumulus.gateway.web.UpstreamUnavailable;
import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.error.ApiErrorWebExceptionHandler;
import dev.cumulus.platform.error.ApiFamilyResolver;
import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.RevocationCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.util.StringUtils;

/** Wires the gateway pipeline: firewall, authentication, rate limits, headers, fallback. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  GatewayProperties.class,
  CircuitBreakerProperties.class,
  RoutingProperties.class
})
public class GatewayConfiguration {

  @Bean
  @ConfigurationPropertiesBinding
  static Converter<String, GatewayProperties.Limit> rateLimitConverter() {
    return new LimitConverter();
  }

  /** Reads {@code 1000/1h} in configuration. */
  @ConfigurationPropertiesBinding
  static final class LimitConverter implements Converter<String, GatewayProperties.Limit> {
    @Override
    public GatewayProperties.Limit convert(String source) {
      return GatewayProperties.Limit.parse(source);
    }
  }

  /** Routes from the service registry (services.yml), not from YAML routes. */
  @Bean
  RouteLocator registryRouteLocator(
      RouteLocatorBuilder builder, Environment environment, RoutingProperties routing) {
    return new RegistryRoutes(ServiceRegistry.packaged(), environment, routing).build(builder);
  }

  /**
   * Service addresses remembered at most {@code upstream-dns-ttl} (a restarted container moves).
   */
  @Bean
  UpstreamDnsCache upstreamDnsCache(RoutingProperties routing) {
    return new UpstreamDnsCache(routing.upstreamDnsTtl());
  }

  @Bean
  GatewayPaths gatewayPaths(GatewayProperties properties) {
    return new GatewayPaths(properties);
  }

  @Bean
  GatewayMetrics gatewayMetrics(MeterRegistry registry, ApiFamilyResolver families) {
    return new GatewayMetrics(registry, families);
  }

  @Bean
  ClientAddress clientAddress(GatewayProperties properties) {
    return new ClientAddress(properties.trustForwardedFor());
  }

  @Bean
  ApiKeyExchange apiKeyExchange(
      AuthServiceClient authService, ReactiveJwtDecoder decoder, GatewayProperties properties) {
    return new ApiKeyExchange(authService, decoder, properties);
  }

  @Bean
  TokenVerifier tokenVerifier(ReactiveJwtDecoder decoder, GatewayProperties properties) {
    return new TokenVerifier(
        decoder,
        properties.verifiedTokenCache().maxEntries(),
        properties.verifiedTokenCache().maxAge());
  }

  @Bean
  GatewayAuthenticationFilter gatewayAuthenticationFilter(
      TokenVerifier tokens,
      RevocationCheck revocations,
      ApiKeyExchange apiKeys,
      GatewayPaths paths,
      GatewayMetrics metrics,
      ObjectProvider<AuthenticationFailures> failures,
      ClientAddress clientAddress) {
    return new GatewayAuthenticationFilter(
        tokens,
        revocations,
        apiKeys,
        paths,
        metrics,
        failures.getIfAvailable(() -> AuthenticationFailures.NONE),
        clientAddress);
  }

  @Bean
  RequestFirewall requestFirewall() {
    return new RequestFirewall();
  }

  @Bean
  SecurityHeaders securityHeaders(GatewayPaths paths) {
    return new SecurityHeaders(paths);
  }

  @Bean
  @ConditionalOnProperty(value = "cumulus.gateway.access-log", matchIfMissing = true)
  AccessLogFilter accessLogFilter(ApiErrorWebExceptionHandler errors) {
    return new AccessLogFilter(errors);
  }

  @Bean
  UpstreamHeaders.Request upstreamRequestHeaders(ClientAddress clientAddress) {
    return new UpstreamHeaders.Request(clientAddress);
  }

  @Bean
  UpstreamHeaders.Response upstreamResponseHeaders() {
    return new UpstreamHeaders.Response();
  }

  @Bean
  UpstreamUnavailable upstreamUnavailable() {
    return new UpstreamUnavailable();
  }

  /** Whose an access key is: the rate limiter's budgets and instance metrics ask. */
  @Bean
  AccessKeyOwners accessKeyOwners(AuthServiceClient authService) {
    return new AccessKeyOwners(authService);
  }

  /** Rate limiting; off entirely with {@code cumulus.gateway.rate-limits.enabled=false}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(value = "cumulus.gateway.rate-limits.enabled", matchIfMissing = true)
  static class RateLimiting {

    @Bean
    RedisWindowCounter redisWindowCounter(
        ClientResources resources,
        DataRedisProperties redis,
        GatewayProperties properties,
        GatewayMetrics metrics) {
      return new RedisWindowCounter(
          resources, redisUri(redis), properties.rateLimits().redisTimeout(), metrics);
    }

    @Bean
    FailedAuthentications failedAuthentications(
        RedisWindowCounter counter, GatewayProperties properties) {
      return new FailedAuthentications(
          counter,
          properties.rateLimits().failedAuthentications(),
          properties.rateLimits().keyPrefix());
    }

    @Bean
    LocalAllowances localAllowances(RedisWindowCounter counter) {
      return new LocalAllowances(counter);
    }

    @Bean
    RateLimitFilter rateLimitFilter(
        RedisWindowCounter counter,
        LocalAllowances allowances,
        AccessKeyOwners owners,
        GatewayProperties properties,
        ApiFamilyResolver families,
        GatewayPaths paths,
        ClientAddress clientAddress,
        GatewayMetrics metrics) {
      return new RateLimitFilter(
          counter, allowances, owners, properties, families, paths, clientAddress, metrics);
    }

    /** The same Redis Spring Boot would use ({@code spring.data.redis.*}). */
    static RedisURI redisUri(DataRedisProperties redis) {
      RedisURI.Builder uri =
          StringUtils.hasText(redis.getUrl())
              ? RedisURI.builder(RedisURI.create(redis.getUrl()))
              : RedisURI.builder().withHost(redis.getHost()).withPort(redis.getPort());
      if (StringUtils.hasText(redis.getPassword())) {
        if (StringUtils.hasText(redis.getUsername())) {
          uri.withAuthentication(redis.getUsername(), redis.getPassword().toCharArray());
        } else {
          uri.withPassword(redis.getPassword().toCharArray());
        }
      }
      if (!StringUtils.hasText(redis.getUrl())) {
        uri.withDatabase(redis.getDatabase()).withSsl(redis.getSsl().isEnabled());
      }
      return uri.build();
    }
  }

  /**
   * One circuit breaker per route (named after the service in application.yml), configured by
   * {@code cumulus.gateway.circuit-breaker.*}. Timeouts are the HTTP client's (per route), not a
   * Resilience4j time limiter, so there is one timeout to reason about.
   */
  @Bean
  Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults(
      CircuitBreakerProperties breaker) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(breaker.slidingWindowSize())
            .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
            .failureRateThreshold(breaker.failureRateThreshold())
            .waitDurationInOpenState(breaker.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(breaker.callsInHalfOpenState())
            .build();
    return factory ->
        factory.configureDefault(
            id -> new Resilience4JConfigBuilder(id).circuitBreakerConfig(config).build());
  }
}
