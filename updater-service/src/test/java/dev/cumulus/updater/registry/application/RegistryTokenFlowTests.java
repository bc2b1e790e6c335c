package dev.cumulus.updater.registry.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.registry.config.RegistryProperties;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.registry.domain.RegistryCredentials;
import dev.cumulus.updater.registry.domain.RemoteDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Registry API client against a local fake that speaks Docker Hub's wire format: a 401 with a
 * {@code WWW-Authenticate: Bearer} challenge, a token realm that checks Basic credentials, a
 * manifest endpoint that wants the token, an OCI index for a multi-arch tag, and {@code
 * RateLimit-Remaining}.
 */
class RegistryTokenFlowTests {

  static final String INDEX_DIGEST = "sha256:" + "a".repeat(64);
  static final String AMD64_DIGEST = "sha256:" + "b".repeat(64);
  static final String ARM64_DIGEST = "sha256:" + "c".repeat(64);
  static final String SINGLE_DIGEST = "sha256:" + "d".repeat(64);
  static final String TOKEN = "issued-token-123";

  HttpServer server;
  String host;
  final Queue<String> requests = new ConcurrentLinkedQueue<>();
  final AtomicInteger tokensIssued = new AtomicInteger();
  RegistryClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    host = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::manifest);
    server.start();
    var properties =
        new RegistryProperties(List.of(host), Duration.ofSeconds(5), 4, "linux", "amd64");
    client = new RegistryClient(WebClient.builder(), properties, JsonMapper.builder().build());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void followsTheBearerChallengeAndCachesTheToken() {
    var credentials = new RegistryCredentials("login-1", "robot", "s3cret");
    RemoteDigest first =
        client.latest(ImageReference.parse(host + "/team/app:1.0"), credentials).block();
    assertThat(first.digest()).isEqualTo(SINGLE_DIGEST);
    assertThat(first.platformDigest()).isNull();
    assertThat(first.rateLimitRemaining()).isEqualTo(97);
    assertThat(requests)
        .containsSubsequence(
            "HEAD /v2/team/app/manifests/1.0 anonymous",
            "GET /token scope=repository:team/app:pull basic=robot:s3cret",
            "HEAD /v2/team/app/manifests/1.0 bearer");
    assertThat(first.matches(SINGLE_DIGEST)).isTrue();
    assertThat(first.matches(INDEX_DIGEST)).isFalse();

    requests.clear();
    client.latest(ImageReference.parse(host + "/team/app:1.0"), credentials).block();
    assertThat(tokensIssued.get()).isEqualTo(1);
    assertThat(requests).containsExactly("HEAD /v2/team/app/manifests/1.0 bearer");
  }

  @Test
  void aTokenFetchedWithOneLoginIsNeverSentForAnother() {
    var alice = new RegistryCredentials("login-a", "alice", "a-pass");
    var bob = new RegistryCredentials("login-b", "bob", "b-pass");
    ImageReference app = ImageReference.parse(host + "/team/app:1.0");
    client.latest(app, alice).block();
    client.latest(app, alice).block();
    assertThat(tokensIssued.get()).isEqualTo(1);
    requests.clear();
    client.latest(app, bob).block();
    client.latest(app, null).block();
    assertThat(tokensIssued.get()).isEqualTo(3);
    assertThat(requests)
        .containsSubsequence(
            "HEAD /v2/team/app/manifests/1.0 anonymous",
            "GET /token scope=repository:team/app:pull basic=bob:b-pass",
            "HEAD /v2/team/app/manifests/1.0 anonymous",
            "GET /token scope=repository:team/app:pull basic=none");
  }

  @Test
  void answersABasicChallengeWithTheLoginAndNeverAnonymously() {
    ImageReference image = ImageReference.parse(host + "/basic/app:1.0");
    assertThatThrownBy(() -> client.latest(image, null).block())
        .hasMessageContaining("wants a login");
    var login = new RegistryCredentials("login-1", "robot", "s3cret");
    assertThat(client.latest(image, login).block().digest()).isEqualTo(SINGLE_DIGEST);
    // The login answered the challenge once; it goes along at once from then on.
    requests.clear();
    client.latest(image, login).block();
    assertThat(requests).containsExactly("HEAD /v2/basic/app/manifests/1.0 basic=robot:s3cret");
    assertThatThrownBy(
            () ->
                client.latest(image, new RegistryCredentials("login-2", "robot", "wrong")).block())
        .hasMessageContaining("refused the login");
  }

  @Test
  void resolvesAMultiArchIndexToTheHostPlatform() {
    assertThat(
            client.platformDigest(
                "{\"manifests\":[{\"digest\":\"d1\",\"platform\":{\"os\":\"linux\","
                    + "\"architecture\":\"amd64\"}}]}"))
        .isEqualTo("d1");
    RemoteDigest multi =
        client.latest(ImageReference.parse(host + "/team/multi:latest"), null).block();
    assertThat(multi.digest()).isEqualTo(INDEX_DIGEST);
    assertThat(multi.mediaType()).startsWith("application/vnd.oci.image.index.v1+json");
    assertThat(multi.platformDigest()).isEqualTo(AMD64_DIGEST);
    // A local image pulled for this platform matches either digest.
    assertThat(multi.matches(AMD64_DIGEST)).isTrue();
    assertThat(multi.matches(INDEX_DIGEST)).isTrue();
    assertThat(multi.matches(ARM64_DIGEST)).isFalse();
  }

  @Test
  void answersTheAcceptTypesOfEveryManifestKind() {
    client.latest(ImageReference.parse(host + "/team/app:1.0"), null).block();
    assertThat(lastAccept)
        .contains(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
  }

  @Test
  void anUnknownTagIsNotFoundAndWrongCredentialsAreABadGateway() {
    assertThatThrownBy(
            () -> client.latest(ImageReference.parse(host + "/team/missing:1"), null).block())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("REGISTRY_ERROR");
              assertThat(e.kind().defaultStatus().value()).isEqualTo(404);
            });
    assertThatThrownBy(
            () ->
                client
                    .latest(
                        ImageReference.parse(host + "/team/app:1.0"),
                        new RegistryCredentials("login-2", "robot", "wrong"))
                    .block())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("REGISTRY_ERROR"));
  }

  @Test
  void anUnreachableRegistryIsAnError() {
    server.stop(0);
    assertThatThrownBy(
            () -> client.latest(ImageReference.parse(host + "/team/app:1"), null).block())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("REGISTRY_ERROR"));
  }

  volatile String lastAccept;

  private void token(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String basic =
        auth == null
            ? "none"
            : new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
    String query = exchange.getRequestURI().getQuery();
    String scope = query.substring(query.indexOf("scope=") + 6);
    requests.add("GET /token scope=" + scope + " basic=" + basic);
    if (basic.endsWith(":wrong")) {
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", null);
      return;
    }
    tokensIssued.incrementAndGet();
    respond(exchange, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}", "application/json");
  }

  private void manifest(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (path.startsWith("/v2/basic/")) {
      basicManifest(exchange, path, auth);
      return;
    }
    boolean bearer = ("Bearer " + TOKEN).equals(auth);
    lastAccept = exchange.getRequestHeaders().getFirst("Accept");
    requests.add(exchange.getRequestMethod() + " " + path + (bearer ? " bearer" : " anonymous"));
    String repository = path.substring(4, path.indexOf("/manifests/"));
    if (!bearer) {
      exchange
          .getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\"http://"
                  + host
                  + "/token\",service=\"fake-registry\",scope=\"repository:"
                  + repository
                  + ":pull\"");
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "application/json");
      return;
    }
    exchange.getResponseHeaders().add("RateLimit-Remaining", "97;w=21600");
    switch (repository) {
      case "team/app" -> {
        exchange.getResponseHeaders().add("Docker-Content-Digest", SINGLE_DIGEST);
        respond(exchange, 200, "{}", "application/vnd.oci.image.manifest.v1+json");
      }
      case "team/multi" -> {
        exchange.getResponseHeaders().add("Docker-Content-Digest", INDEX_DIGEST);
        respond(
            exchange,
            200,
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"digest":"%s","platform":{"os":"linux","architecture":"arm64"}},
              {"digest":"%s","platform":{"os":"linux","architecture":"amd64"}}]}
            """
                .formatted(ARM64_DIGEST, AMD64_DIGEST),
            "application/vnd.oci.image.index.v1+json");
      }
      default ->
          respond(
              exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}", "application/json");
    }
  }

  /** A registry behind htpasswd: Basic challenges, the login on every request. */
  private void basicManifest(HttpExchange exchange, String path, String auth) throws IOException {
    String login =
        auth != null && auth.startsWith("Basic ")
            ? new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8)
            : "none";
    requests.add(exchange.getRequestMethod() + " " + path + " basic=" + login);
    if (!login.equals("robot:s3cret")) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake-registry\"");
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "application/json");
      return;
    }
    exchange.getResponseHeaders().add("Docker-Content-Digest", SINGLE_DIGEST);
    respond(exchange, 200, "{}", "application/vnd.oci.image.manifest.v1+json");
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }
}
