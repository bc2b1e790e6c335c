package dev.cumulus.updater.live.config;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;

/** Maps {@code /api/ws} to the seed's WebSocket. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

  @Bean
  HandlerMapping liveSocketMapping(WebSocketHandler liveSocketHandler) {
    return new SimpleUrlHandlerMapping(
        Map.of("/api/ws", liveSocketHandler), Ordered.HIGHEST_PRECEDENCE);
  }
}
