package dev.cumulus.platform.config;

import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.authclient.AuthServiceProperties;
import dev.cumulus.platform.context.ContextPropagatingExchangeFilter;
import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.context.MdcThreadLocalAccessor;
import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiErrorWebExceptionHandler;
import dev.cumulus.platform.error.ApiFamilyResolver;
import dev.cumulus.platform.internalclient.InternalServiceClients;
import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.sigv4.AuthServiceSigningKeys;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.platform.sigv4.SigV4Properties;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.platform.web.client.WebClientDnsCache;
import dev.cumulus.platform.web.client.WebClientProperties;
import dev.cumulus.platform.web.server.ServerTimeouts;
import io.micrometer.context.ContextRegistry;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Wires the platform into the gateway and every service: envelopes, request context, the
 * auth-service client and SigV4. Database, events and instances: platform-data's
 * PlatformDataAutoConfiguration.
 */
@AutoConfiguration
@EnableConfigurationProperties({
  CumulusProperties.class,
  AuthServiceProperties.class,
  SigV4Properties.class,
  ServerTimeouts.class,
  WebClientProperties.class
})
public class PlatformAutoConfiguration {

  static {
    // Reactor context -> MDC on every thread (spring.reactor.context-propagation=auto).
    ContextRegistry.getInstance()
        .registerThreadLocalAccessor(new MdcThreadLocalAccessor(CumulusContext.REQUEST_ID));
    ContextRegistry.getInstance()
        .registerThreadLocalAccessor(new MdcThreadLocalAccessor(CumulusContext.TENANT_ID));
  }

  @Bean
  ApiFamilyResolver apiFamilyResolver(CumulusProperties properties) {
    return new ApiFamilyResolver(
        ServiceRegistry.packaged(), properties.api().families(), properties.api().defaultFamily());
  }

  @Bean
  ApiErrorWebExceptionHandler apiErrorWebExceptionHandler(
      ApiFamilyResolver families, ServerCodecConfigurer codecs) {
    return new ApiErrorWebExceptionHandler(families, codecs);
  }

  @Bean
  RequestIdWebFilter requestIdWebFilter() {
    return new RequestIdWebFilter();
  }

  /** auth-service's internal API (API keys, signing keys), for the gateway and every service. */
  @Bean
  @ConditionalOnMissingBean
  AuthServiceClient authServiceClient(InternalServiceClients clients, AuthServiceProperties auth) {
    return new AuthServiceClient(clients.of("auth-service"), auth.timeout());
  }

  /** Other services' {@code /internal/**} endpoints: registry URL, internal secret, errors. */
  @Bean
  @ConditionalOnMissingBean
  InternalServiceClients internalServiceClients(
      WebClient.Builder builder,
      Environment environment,
      @Value("${cumulus.internal.secret:}") String secret) {
    return new InternalServiceClients(ServiceRegistry.packaged(), builder, environment, secret);
  }

  /** SigV4 verification for AWS-protocol endpoints (S3, SQS, DynamoDB, Lambda...). */
  @Bean
  @ConditionalOnMissingBean
  SigningKeys sigV4SigningKeys(AuthServiceClient authService, AuthServiceProperties auth) {
    return new AuthServiceSigningKeys(authService, auth.signingKeyCacheTtl());
  }

  @Bean
  @ConditionalOnMissingBean
  SigV4Authenticator sigV4Authenticator(SigningKeys signingKeys, SigV4Properties sigV4) {
    return new SigV4Authenticator(signingKeys, Clock.systemUTC(), sigV4.regions());
  }

  /** Slow clients cannot hold connections: request-head deadline and body read timeout. */
  @Bean
  NettyServerCustomizer slowClientTimeouts(ServerTimeouts timeouts) {
    return timeouts.customizer();
  }

  /** Other services' addresses kept at most {@code cumulus.web-client.dns-cache-ttl}. */
  @Bean
  WebClientDnsCache webClientDnsCache(WebClientProperties webClient) {
    return new WebClientDnsCache(webClient.dnsCacheTtl());
  }

  @Bean
  WebClientCustomizer contextPropagatingWebClient() {
    return builder -> builder.filter(new ContextPropagatingExchangeFilter());
  }
}
