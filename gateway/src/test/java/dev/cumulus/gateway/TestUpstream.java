package dev.cumulus.gateway;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for every Cumulus service behind the gateway: it answers each
 * request with what it received (method, path, query, headers, as JSON). Paths containing {@code
 * /slow} answer after five seconds; an S3 request whose signature is {@code forged} gets
 * storage-service's 403 {@code SignatureDoesNotMatch}. It also plays auth-service's API-key
 * exchange contract (docs/identity.md): {@code POST /internal/auth/api-key-token} with {@code
 * X-API-Key} gives a token for a registered, unrevoked key, else 401; and its access-key owner
 * lookup: {@code GET /internal/access-keys/{id}} with {@link #INTERNAL_SECRET} names a registered
 * key's tenant and plan, else 404 (401 without the secret).
 */
final class TestUpstream implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final String INTERNAL_SECRET = "gateway-test-internal-secret";

  private final Map<String, Map<String, Object>> apiKeys = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> accessKeyOwners = new ConcurrentHashMap<>();
  private final Map<String, String> instanceTenants = new ConcurrentHashMap<>();
  private final AtomicInteger ownerLookups = new AtomicInteger();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong bodyBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final DisposableServer server;

  TestUpstream() {
    server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Registers an API key standing for a token with these claims. */
  void apiKey(String key, Map<String, Object> claims) {
    apiKeys.put(key, claims);
  }

  /** Registers an AWS access key id as the tenant's, on that plan. */
  void accessKey(String accessKeyId, String tenantId, String plan) {
    accessKeyOwners.put(
        accessKeyId, Map.of("accessKeyId", accessKeyId, "tenantId", tenantId, "plan", plan));
  }

  /** Registers an AWS access key id as the key of the tenant's instance, on that plan. */
  void accessKey(String accessKeyId, String tenantId, String plan, String serviceId) {
    accessKeyOwners.put(
        accessKeyId,
        Map.of(
            "accessKeyId",
            accessKeyId,
            "tenantId",
            tenantId,
            "plan",
            plan,
            "serviceId",
            serviceId));
  }

  /**
   * Registers a service instance of the tenant: {@code GET /api/services/{id}} then answers its
   * record to a bearer token of that tenant and 404 to anyone else, as auth-service does.
   */
  void instance(String instanceId, String tenantId) {
    instanceTenants.put(instanceId, tenantId);
  }

  /** How many access-key owner lookups the gateway asked for. */
  int ownerLookups() {
    return ownerLookups.get();
  }

  void revoke(String key) {
    revoked.add(key);
  }

  /** Request body bytes received so far, over all requests (to see a body stream in). */
  long bodyBytes() {
    return bodyBytes.get();
  }

  /** How many API-key exchanges the gateway asked for. */
  int exchanges() {
    return exchanges.get();
  }

  /** Requests received so far, of any kind (to see which replica served). */
  int requests() {
    return requests.get();
  }

  private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    requests.incrementAndGet();
    if (request.uri().startsWith("/internal/auth/api-key-token")) {
      return exchangeApiKey(request, response);
    }
    if (request.uri().startsWith("/internal/access-keys/")) {
      return accessKeyOwner(request, response);
    }
    String authorization = request.requestHeaders().get("Authorization");
    if (request.uri().startsWith("/api/services/")
        && instanceTenants.containsKey(request.uri().substring("/api/services/".length()))) {
      return instance(request.uri().substring("/api/services/".length()), authorization, response);
    }
    int asked = request.uri().indexOf("/status-");
    if (asked >= 0 && request.uri().length() >= asked + 11) {
      // /status-503 and the like: an upstream answering with that status.
      return response
          .status(Integer.parseInt(request.uri().substring(asked + 8, asked + 11)))
          .header("Content-Type", "application/json")
          .sendString(Mono.just("{}"))
          .then();
    }
    if (request.uri().startsWith("/s3")
        && authorization != null
        && authorization.endsWith("Signature=forged")) {
      return response
          .status(HttpResponseStatus.FORBIDDEN)
          .header("Content-Type", "application/xml")
          .sendString(Mono.just("<Error><Code>SignatureDoesNotMatch</Code></Error>"))
          .then();
    }
    Map<String, Object> echo = new TreeMap<>();
    echo.put("method", request.method().name());
    String uri = request.uri();
    int query = uri.indexOf('?');
    echo.put("path", query < 0 ? uri : uri.substring(0, query));
    echo.put("query", query < 0 ? "" : uri.substring(query + 1));
    Map<String, String> headers = new TreeMap<>();
    request
        .requestHeaders()
        .forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + "," + b));
    echo.put("headers", headers);
    String origin = request.requestHeaders().get("Origin");
    if (uri.startsWith("/s3") && origin != null) {
      // As storage-service does: the bucket's CORS rule answers (here: any origin, GET and PUT).
      response
          .header("Access-Control-Allow-Origin", origin)
          .header("Access-Control-Allow-Methods", "GET, PUT")
          .header("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    }
    Mono<Void> answer =
        request
            .receive()
            .doOnNext(chunk -> bodyBytes.addAndGet(chunk.readableBytes()))
            .then(
                Mono.defer(
                    () ->
                        response
                            .header("Content-Type", "application/json")
                            // Services echo the request id; the gateway must not duplicate it.
                            .header("X-Request-Id", headers.getOrDefault("x-request-id", "none"))
                            .sendString(Mono.just(JSON.writeValueAsString(echo)))
                            .then()));
    return uri.contains("/slow") ? Mono.delay(Duration.ofSeconds(5)).then(answer) : answer;
  }

  private Mono<Void> exchangeApiKey(HttpServerRequest request, HttpServerResponse response) {
    exchanges.incrementAndGet();
    String key = request.requestHeaders().get("X-API-Key");
    Map<String, Object> claims = key == null ? null : apiKeys.get(key);
    if (claims == null || revoked.contains(key) || !"POST".equals(request.method().name())) {
      return response
          .status(HttpResponseStatus.UNAUTHORIZED)
          .header("Content-Type", "application/json")
          .sendString(Mono.just("{\"error\":\"invalid api key\"}"))
          .then();
    }
    String token = TestJwtIssuer.shared().token(claims, Duration.ofMinutes(5));
    return response
        .header("Content-Type", "application/json")
        .sendString(
            Mono.just(
                JSON.writeValueAsString(
                    Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300))))
        .then();
  }

  private Mono<Void> instance(
      String instanceId, String authorization, HttpServerResponse response) {
    String tenant = instanceTenants.get(instanceId);
    String callerTenant = null;
    if (authorization != null && authorization.startsWith("Bearer ")) {
      String[] parts = authorization.substring(7).split("\\.");
      if (parts.length == 3) {
        Map<?, ?> claims =
            JSON.readValue(java.util.Base64.getUrlDecoder().decode(parts[1]), Map.class);
        callerTenant = (String) claims.get("tenant_id");
      }
    }
    if (!tenant.equals(callerTenant)) {
      return response
          .status(HttpResponseStatus.NOT_FOUND)
          .header("Content-Type", "application/json")
          .sendString(Mono.just("{\"error\":{\"code\":\"NotFound\"}}"))
          .then();
    }
    return response
        .header("Content-Type", "application/json")
        .sendString(
            Mono.just(JSON.writeValueAsString(Map.of("id", instanceId, "tenantId", tenant))))
        .then();
  }

  private Mono<Void> accessKeyOwner(HttpServerRequest request, HttpServerResponse response) {
    ownerLookups.incrementAndGet();
    if (!INTERNAL_SECRET.equals(request.requestHeaders().get("X-Cumulus-Internal-Secret"))) {
      return response.status(HttpResponseStatus.UNAUTHORIZED).send();
    }
    Map<String, String> owner =
        accessKeyOwners.get(request.uri().substring("/internal/access-keys/".length()));
    if (owner == null) {
      return response.status(HttpResponseStatus.NOT_FOUND).send();
    }
    return response
        .header("Content-Type", "application/json")
        .sendString(Mono.just(JSON.writeValueAsString(owner)))
        .then();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
