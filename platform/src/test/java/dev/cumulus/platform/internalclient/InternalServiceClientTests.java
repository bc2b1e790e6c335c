package dev.cumulus.platform.internalclient;

import static dev.cumulus.platform.testsupport.StandInServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.InternalSecret;
import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.StandInServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * Against a real HTTP server standing in for queue-service at the URL its registry variable names:
 * the secret travels, 2xx bodies are read, a 404 and other failures are told apart.
 */
class InternalServiceClientTests {

  private final List<String> secretsSeen = new CopyOnWriteArrayList<>();
  private final List<String> bodiesSeen = new CopyOnWriteArrayList<>();
  private DisposableServer server;

  record Echo(String path) {}

  @BeforeEach
  void start() {
    server =
        StandInServer.start(
            routes ->
                routes
                    .get(
                        "/internal/ok/{name}",
                        (request, response) -> {
                          secretsSeen.add(request.requestHeaders().get(InternalSecret.HEADER));
                          return json(response, "{\"path\":\"" + request.param("name") + "\"}");
                        })
                    .post(
                        "/internal/ok",
                        (request, response) ->
                            request
                                .receive()
                                .aggregate()
                                .asString()
                                .doOnNext(bodiesSeen::add)
                                .then(json(response, "{\"path\":\"posted\"}")))
                    .get(
                        "/internal/missing",
                        (request, response) -> response.status(404).sendString(Mono.just("no")))
                    .get("/internal/broken", (request, response) -> response.status(500).send()));
  }

  @AfterEach
  void stop() {
    server.disposeNow();
  }

  private InternalServiceClient client(String secret) {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("CUMULUS_QUEUE_URL", "http://127.0.0.1:" + server.port());
    return new InternalServiceClients(
            ServiceRegistry.packaged(), WebClient.builder(), environment, secret)
        .of("queue-service");
  }

  @Test
  void findsTheServiceInTheRegistryAndSendsTheSecret() {
    Echo echo = client("s3cret").get(Echo.class, "/internal/ok/{name}", "q-1").block();

    assertThat(echo).isEqualTo(new Echo("q-1"));
    assertThat(secretsSeen).containsExactly("s3cret");
  }

  @Test
  void postsTheBodyAsJson() {
    Echo echo = client("s3cret").post(Map.of("k", 1), Echo.class, "/internal/ok").block();

    assertThat(echo).isEqualTo(new Echo("posted"));
    assertThat(bodiesSeen).containsExactly("{\"k\":1}");
  }

  @Test
  void aNotFoundIsToldApartFromOtherFailures() {
    InternalServiceClient client = client("s3cret");

    assertThatThrownBy(() -> client.get(Echo.class, "/internal/missing").block())
        .isInstanceOf(InternalServiceClient.NotFound.class)
        .hasMessage("queue-service answered 404");
    assertThatThrownBy(() -> client.get(Echo.class, "/internal/broken").block())
        .isInstanceOf(InternalServiceClient.Unavailable.class)
        .hasMessageContaining("queue-service answered 500");
  }

  @Test
  void anUnreachableServiceIsUnavailable() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("CUMULUS_QUEUE_URL", "http://127.0.0.1:" + FreePorts.next());
    InternalServiceClient client =
        new InternalServiceClients(
                ServiceRegistry.packaged(), WebClient.builder(), environment, "s3cret")
            .of("queue-service");

    assertThatThrownBy(() -> client.get(Echo.class, "/internal/ok/x").block())
        .isInstanceOf(InternalServiceClient.Unavailable.class)
        .hasMessageContaining("queue-service is unreachable");
  }

  @Test
  void withoutASecretNothingIsSent() {
    InternalServiceClient client = client(" ");

    assertThat(client.configured()).isFalse();
    assertThatThrownBy(() -> client.get(Echo.class, "/internal/ok/x").block())
        .isInstanceOf(InternalServiceClient.Unavailable.class)
        .hasMessage("cumulus.internal.secret is not set");
    assertThat(secretsSeen).isEmpty();
  }

  @Test
  void aServiceOutsideTheRegistryIsRefused() {
    assertThatThrownBy(
            () ->
                new InternalServiceClients(
                        ServiceRegistry.packaged(),
                        WebClient.builder(),
                        new MockEnvironment(),
                        "s3cret")
                    .of("no-such-service"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
