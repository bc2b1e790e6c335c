package dev.cumulus.platform.authclient;

import static dev.cumulus.platform.testsupport.StandInServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.authclient.AuthServiceClient.AccessKeyOwner;
import dev.cumulus.platform.internalclient.InternalServiceClients;
import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.InternalSecret;
import dev.cumulus.platform.testsupport.StandInServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * Against a real HTTP server standing in for auth-service at {@code cumulus.auth-service.url}:
 * which answers are grants, which are refusals (empty) and which mean auth-service is unavailable.
 */
class AuthServiceClientTests {

  private static final String SECRET = "s3cret";

  private final List<String> secretsSeen = new CopyOnWriteArrayList<>();
  private DisposableServer server;

  @BeforeEach
  void start() {
    server =
        StandInServer.start(
            routes ->
                routes
                    .post(
                        "/internal/auth/api-key-token",
                        (request, response) -> {
                          secretsSeen.add(
                              String.valueOf(request.requestHeaders().get(InternalSecret.HEADER)));
                          return switch (request.requestHeaders().get("X-API-Key")) {
                            case "ck_good" -> json(response, "{\"access_token\":\"tok\"}");
                            case "ck_revoked" -> response.status(401).send();
                            case "ck_tokenless" -> json(response, "{}");
                            default -> response.status(500).send();
                          };
                        })
                    .post(
                        "/internal/auth/s3/signing-key",
                        (request, response) ->
                            request
                                .receive()
                                .aggregate()
                                .asString()
                                .flatMap(
                                    body ->
                                        body.contains("\"region\":\"mars-1\"")
                                            ? response.status(400).send().then()
                                            : json(
                                                    response,
                                                    "{\"accessKeyId\":\"AK\",\"tenantId\":"
                                                        + "\"t\",\"serviceId\":\"s\","
                                                        + "\"signingKey\":\"AQI=\"}")
                                                .then()))
                    .get(
                        "/internal/access-keys/{id}",
                        (request, response) -> {
                          secretsSeen.add(request.requestHeaders().get(InternalSecret.HEADER));
                          return switch (request.param("id")) {
                            case "AK" ->
                                json(
                                    response,
                                    "{\"accessKeyId\":\"AK\",\"tenantId\":\"t\","
                                        + "\"plan\":\"pro\",\"serviceId\":\"s\"}");
                            case "SLOW" -> response.sendString(Mono.never());
                            case "FORBIDDEN" -> response.status(403).send();
                            default -> response.status(404).send();
                          };
                        }));
  }

  @AfterEach
  void stop() {
    server.disposeNow();
  }

  private AuthServiceClient client(String secret) {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("cumulus.auth-service.url", "http://127.0.0.1:" + server.port())
            .withProperty("CUMULUS_AUTH_URL", "http://127.0.0.1:1");
    return new AuthServiceClient(
        new InternalServiceClients(
                ServiceRegistry.packaged(), WebClient.builder(), environment, secret)
            .of("auth-service"),
        Duration.ofMillis(500));
  }

  @Test
  void anApiKeyIsItsOwnCredential() {
    AuthServiceClient client = client("");

    assertThat(client.exchangeApiKey("ck_good").block()).contains("tok");
    assertThat(client.exchangeApiKey("ck_revoked").block()).isEmpty();
    assertThatThrownBy(() -> client.exchangeApiKey("ck_tokenless").block())
        .isInstanceOf(AuthServiceUnavailableException.class)
        .hasMessage("auth-service returned no access_token");
    assertThatThrownBy(() -> client.exchangeApiKey("ck_boom").block())
        .isInstanceOf(AuthServiceUnavailableException.class)
        .hasMessageContaining("auth-service answered 500");
    assertThat(secretsSeen).containsOnly("null");
  }

  @Test
  void signingKeysTravelWithTheSecretAndAnUnknownScopeIsARefusal() {
    AuthServiceClient client = client(SECRET);

    assertThat(client.signingKey("AK", "20260101", "us-east-1", "s3").block())
        .hasValueSatisfying(
            grant -> {
              assertThat(grant.tenantId()).isEqualTo("t");
              assertThat(grant.signingKey()).containsExactly(1, 2);
            });
    assertThat(client.signingKey("AK", "20260101", "mars-1", "s3").block()).isEmpty();
  }

  @Test
  void aMissingKeyIsEmptyAndOtherFailuresAreUnavailable() {
    AuthServiceClient client = client(SECRET);

    assertThat(client.accessKeyOwner("AK").block())
        .isEqualTo(Optional.of(new AccessKeyOwner("AK", "t", "pro", "s")));
    assertThat(client.accessKeyOwner("GONE").block()).isEmpty();
    assertThat(secretsSeen).containsOnly(SECRET);
    assertThatThrownBy(() -> client.accessKeyOwner("FORBIDDEN").block())
        .isInstanceOf(AuthServiceUnavailableException.class)
        .hasMessageContaining("answered 403");
    assertThatThrownBy(() -> client.accessKeyOwner("SLOW").block())
        .isInstanceOf(AuthServiceUnavailableException.class)
        .hasMessageContaining("Timeout");
  }

  @Test
  void withoutTheSecretInternalLookupsAreUnavailable() {
    assertThatThrownBy(() -> client(" ").tenantQuota("t").block())
        .isInstanceOf(AuthServiceUnavailableException.class)
        .hasMessage("cumulus.internal.secret is not set");
    assertThat(secretsSeen).isEmpty();
  }
}
