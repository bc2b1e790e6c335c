package dev.cumulus.gateway.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the web console at {@code /console} (docs/console.md). Its router function is consulted
 * before the gateway's routes, so no service path can shadow it; the paths are public in {@code
 * cumulus.gateway.public-paths}: the app itself holds no data, every API call it makes carries the
 * user's token.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ConsoleConfiguration.class);

  @Bean
  RouterFunction<ServerResponse> consoleRoutes() {
    ConsoleFiles files = ConsoleFiles.fromClassPath();
    if (files.isEmpty()) {
      log.warn("The console's files are not on the class path: /console answers 503");
    } else {
      log.info("Console: {} files served at /console", files.size());
    }
    return new ConsoleRoutes(files).routes();
  }
}
