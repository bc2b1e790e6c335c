package dev.cumulus.gateway;

import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.web.S3Preflights;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.accept.ApiVersionStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * S3 buckets have CORS rules of their own, which storage-service applies (to preflights too), so
 * the gateway's global CORS must not answer for {@code /s3/**}. WebFlux applies it in two places:
 * the handler mapping adds its CORS headers to every response (this route lookup skips that for S3
 * paths only), and the dispatcher answers preflights without routing them ({@link S3Preflights}).
 * Everything else keeps {@code globalcors}.
 */
@Configuration(proxyBeanMethods = false)
public class S3CorsRouting {

  /** Replaces Spring Cloud Gateway's own (conditional on no other being defined). */
  @Bean
  RoutePredicateHandlerMapping s3AwareRoutePredicateHandlerMapping(
      FilteringWebHandler webHandler,
      RouteLocator routes,
      GlobalCorsProperties globalCors,
      Environment environment,
      ObjectProvider<ApiVersionStrategy> apiVersions) {
    RoutePredicateHandlerMapping mapping =
        new S3AwareHandlerMapping(webHandler, routes, globalCors, environment);
    apiVersions.ifAvailable(mapping::setApiVersionStrategy);
    return mapping;
  }

  @Bean
  S3Preflights s3Preflights() {
    return new S3Preflights();
  }

  @Bean
  S3Preflights.Restore s3PreflightMethod() {
    return new S3Preflights.Restore();
  }

  static final class S3AwareHandlerMapping extends RoutePredicateHandlerMapping {

    S3AwareHandlerMapping(
        FilteringWebHandler webHandler,
        RouteLocator routes,
        GlobalCorsProperties globalCors,
        Environment environment) {
      super(webHandler, routes, globalCors, environment);
    }

    @Override
    public Mono<Object> getHandler(ServerWebExchange exchange) {
      if (GatewayPaths.isS3(exchange.getRequest().getPath().pathWithinApplication().value())) {
        return getHandlerInternal(exchange).cast(Object.class);
      }
      return super.getHandler(exchange);
    }
  }
}
