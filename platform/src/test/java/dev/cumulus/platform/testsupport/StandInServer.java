package dev.cumulus.platform.testsupport;

import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/** A real HTTP server on a free loopback port, standing in for another service in a test. */
public final class StandInServer {

  private StandInServer() {}

  /** Started and bound; {@code disposeNow()} it when done. */
  public static DisposableServer start(Consumer<? super HttpServerRoutes> routes) {
    return HttpServer.create().host("127.0.0.1").port(0).route(routes).bindNow();
  }

  /** Answers {@code body} as JSON. */
  public static Mono<Void> json(HttpServerResponse response, String body) {
    return response.header("Content-Type", "application/json").sendString(Mono.just(body)).then();
  }
}
