package dev.cumulus.gateway.common;

import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;

/**
 * The event loop serving a request, for answers that arrive on another client's thread (Redis'
 * single I/O thread is shared by every request): continuing there keeps the rest of the request off
 * that thread.
 */
public final class EventLoops {

  private EventLoops() {}

  /** The Netty event loop serving the request's connection, or null outside Reactor Netty. */
  public static Executor of(ServerWebExchange exchange) {
    try {
      Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
      return request instanceof Connection connection ? connection.channel().eventLoop() : null;
    } catch (IllegalArgumentException notNetty) {
      return null;
    }
  }
}
