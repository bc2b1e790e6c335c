package dev.cumulus.function.lambda.web;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.application.InvocationService;
import dev.cumulus.function.sources.application.EventSourceMappingService;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.ObjectMapper;

/** The AWS Lambda API's routes at {@code cumulus.function.lambda.path-prefix}. */
@Configuration(proxyBeanMethods = false)
class LambdaConfiguration {

  @Bean
  RouterFunction<ServerResponse> lambdaRoutes(
      FunctionProperties properties,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      FunctionService functions,
      InvocationService invocations,
      EventSourceMappingService mappings,
      ObjectMapper json) {
    return new LambdaRoutes(
            properties.lambda().pathPrefix(),
            authenticator,
            instances,
            new LambdaOperations(
                functions, invocations, mappings, json, properties.pool().maxLogChars()),
            json)
        .routes();
  }
}
