package dev.cumulus.gateway.auth;

import java.util.concurrent.Executor;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where {@link GatewayAuthenticationFilter} reports refused credentials and learns whether a client
 * address must wait (rate limiting implements it; without rate limits nothing is counted).
 */
public interface AuthenticationFailures {

  /** Nothing counted, nobody refused. */
  AuthenticationFailures NONE =
      new AuthenticationFailures() {
        @Override
        public Mono<Void> refuseIfBlocked(String ip, ServerWebExchange exchange) {
          return Mono.empty();
        }

        @Override
        public Mono<Void> record(String ip, Executor continueOn) {
          return Mono.empty();
        }
      };

  /** An error (429) when {@code ip} has failed too often; else empty. */
  Mono<Void> refuseIfBlocked(String ip, ServerWebExchange exchange);

  /** Counts one refused credential of {@code ip}; never fails. */
  Mono<Void> record(String ip, Executor continueOn);
}
