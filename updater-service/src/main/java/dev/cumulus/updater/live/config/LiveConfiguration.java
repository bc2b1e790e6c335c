package dev.cumulus.updater.live.config;

import dev.cumulus.updater.live.web.LiveTokenFilter;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/** Maps {@code /api/ws}; the verified caller travels from the handshake into the session. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration implements WebFluxConfigurer {

  @Bean
  HandlerMapping liveSocketMapping(WebSocketHandler liveSocketHandler) {
    return new SimpleUrlHandlerMapping(
        Map.of("/api/ws", liveSocketHandler), Ordered.HIGHEST_PRECEDENCE);
  }

  @Override
  public WebSocketService getWebSocketService() {
    HandshakeWebSocketService service = new HandshakeWebSocketService();
    service.setSessionAttributePredicate(LiveTokenFilter.PRINCIPAL::equals);
    return service;
  }
}
