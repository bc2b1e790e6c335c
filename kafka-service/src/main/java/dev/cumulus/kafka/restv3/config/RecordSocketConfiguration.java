package dev.cumulus.kafka.restv3.config;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;

/** Maps the v3 push of records over WebSocket beside its Server-Sent Events form. */
@Configuration(proxyBeanMethods = false)
class RecordSocketConfiguration {

  static final String PATH = "/kafka/v3/clusters/{clusterId}/topics/{topic}/records/ws";

  @Bean
  HandlerMapping recordSocketMapping(WebSocketHandler recordSocketHandler) {
    return new SimpleUrlHandlerMapping(
        Map.of(PATH, recordSocketHandler), Ordered.HIGHEST_PRECEDENCE);
  }
}
