package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.security.RevokedTokens;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway in front of a real echo upstream: routing, authentication (JWT and API keys) with
 * each family's 401 envelope, ended sessions, tenancy, forwarded headers, CORS, the 503 fallback.
 */
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {

  static final TestUpstream upstream = new TestUpstream();
  static final TestJwtIssuer issuer = TestJwtIssuer.shared();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String ALICE = "tenant-alice-" + RUN;
  static final String BOB = "tenant-bob-" + RUN;

  @LocalServerPort int port;
  @Autowired ReactiveStringRedisTemplate redis;
  @Autowired HttpClient gatewayHttpClient;
  WebTestClient http;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "gateway");
    for (String service :
        List.of("AUTH", "STORAGE", "DATABASE", "QUEUE", "FUNCTION", "UPDATER", "INTEGRATION")) {
      registry.add("CUMULUS_" + service + "_URL", upstream::url);
    }
    // Commerce answers slowly on /slow; the Kafka service is dead (nothing listens).
    registry.add("CUMULUS_COMMERCE_URL", upstream::url);
    registry.add("CUMULUS_KAFKA_SERVICE_URL", () -> "http://127.0.0.1:" + FreePorts.next());
    registry.add("CUMULUS_GATEWAY_RESPONSE_TIMEOUT", () -> "1s");
    // Every service is routed to the test upstream, built or not.
    registry.add("cumulus.gateway.routing.unbuilt-services", () -> "");
    registry.add("cumulus.gateway.rate-limits.key-prefix", () -> "test-" + RUN + ":");
    registry.add("cumulus.gateway.rate-limits.redis-timeout", () -> "2s");
    registry.add("cumulus.gateway.instance-metrics.flush-interval", () -> "200ms");
    registry.add("cumulus.gateway.instance-metrics.key-prefix", () -> "test-" + RUN + ":im:");
    // Access-key owner lookups (per-tenant AWS budgets, AWS traffic per instance).
    registry.add("cumulus.internal.secret", () -> TestUpstream.INTERNAL_SECRET);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @BeforeEach
  void client() {
    http = TestClients.http(port);
  }

  // --- public and protected paths ---------------------------------------------------------

  @Test
  void theRoutingClientRemembersAServiceAddressAtMostFiveSeconds() {
    // aardvark-dns answers with a one-day TTL: a restarted container's new address must be found.
    var resolver = gatewayHttpClient.configuration().getNameResolverProvider();
    assertThat(resolver).isNotNull();
    assertThat(resolver.cacheMaxTimeToLive()).isEqualTo(Duration.ofSeconds(5));
    assertThat(resolver.cacheNegativeTimeToLive()).isEqualTo(Duration.ZERO);
  }

  @Test
  void requestBodiesStreamThroughWithoutBeingBuffered() {
    // The second half of the body is sent only once the upstream has seen the first half: a
    // gateway that buffered whole bodies would wait forever here.
    long before = upstream.bodyBytes();
    int half = 4 * 1024 * 1024;
    Flux<DataBuffer> body =
        Flux.concat(
            Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[half])),
            Flux.interval(Duration.ofMillis(20))
                .filter(tick -> upstream.bodyBytes() - before >= half)
                .next()
                .timeout(Duration.ofSeconds(10))
                .map(tick -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[half])));
    http.put()
        .uri("/s3/bucket/large-object")
        .body(body, DataBuffer.class)
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(upstream.bodyBytes() - before).isEqualTo(2L * half);
  }

  @Test
  void theConsoleIsServedWithoutCredentialUnderItsContentSecurityPolicy() {
    for (String path : List.of("/console/", "/console/storage")) {
      http.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .valueEquals(
              "Content-Security-Policy",
              dev.cumulus.gateway.console.ConsoleRoutes.CONTENT_SECURITY_POLICY)
          .expectHeader()
          .valueEquals("X-Frame-Options", "DENY")
          .expectBody(String.class)
          .value(page -> assertThat(page).contains("<div id=\"root\"></div>"));
    }
  }

  @Test
  void publicPathsNeedNoCredential() {
    for (String path : List.of("/healthz", "/api/health", "/.well-known/jwks.json")) {
      http.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.path")
          .isEqualTo(path);
    }
    http.post()
        .uri("/api/auth/login")
        .bodyValue(Map.of("username", "admin", "password", "x"))
        .exchange()
        .expectStatus()
        .isOk();
    http.post().uri("/api/tenants/auth/").exchange().expectStatus().isOk();
  }

  @Test
  void oneObjectMayBeReadWithoutACredentialAndTheServiceDecides() {
    // storage-service serves it only from a public bucket; the gateway lets the read through as
    // an anonymous caller (per-IP budget), with no identity headers a client could plant.
    String object = "/api/s3storage/" + ALICE + "/svc-1/buckets/site/objects/docs/index.html";
    http.get()
        .uri(object)
        .header("X-Cumulus-Tenant-Id", ALICE)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.path")
        .isEqualTo(object)
        .jsonPath("$.headers.authorization")
        .doesNotExist()
        .jsonPath("$.headers.x-cumulus-tenant-id")
        .doesNotExist();
    http.head().uri(object).exchange().expectStatus().isOk();

    // Only GET and HEAD of one object: writes, deletes, listings, buckets need a credential.
    http.post().uri(object).exchange().expectStatus().isUnauthorized();
    http.delete().uri(object).exchange().expectStatus().isUnauthorized();
    String bucket = "/api/s3storage/" + ALICE + "/svc-1/buckets/site";
    http.get().uri(bucket + "/objects").exchange().expectStatus().isUnauthorized();
    http.get().uri(bucket).exchange().expectStatus().isUnauthorized();

    // A credential that comes along is checked as anywhere.
    http.get()
        .uri(object)
        .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    http.get()
        .uri(object)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(BOB, "user"))
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void aValidTokenPassesAndTheServiceSeesTheTokenAndItsTenantNotASpoofedOne() {
    String token = issuer.token(ALICE, "user");
    http.get()
        .uri("/api/s3storage/" + ALICE + "/svc-1/buckets?max=5")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .header("X-Cumulus-Tenant-Id", BOB)
        .header("X-Cumulus-User-Id", "someone-else")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("X-Request-Id", "req-" + RUN)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-Request-Id", "req-" + RUN)
        .expectBody()
        .jsonPath("$.path")
        .isEqualTo("/api/s3storage/" + ALICE + "/svc-1/buckets")
        .jsonPath("$.query")
        .isEqualTo("max=5")
        .jsonPath("$.headers.authorization")
        .isEqualTo("Bearer " + token)
        .jsonPath("$.headers.x-cumulus-tenant-id")
        .isEqualTo(ALICE)
        .jsonPath("$.headers.x-cumulus-user-id")
        .isEqualTo("user-of-" + ALICE)
        .jsonPath("$.headers.x-request-id")
        .isEqualTo("req-" + RUN)
        // The client's own address, not the one it claimed.
        .jsonPath("$.headers.x-forwarded-for")
        .isEqualTo("127.0.0.1");
  }

  @Test
  void aRequestIdIsGeneratedWhenMissingAndTheUpstreamSeesTheSameOne() {
    var result =
        http.get()
            .uri("/v1/functions")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult();
    List<String> ids = result.getResponseHeaders().get("X-Request-Id");
    assertThat(ids).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, String> seen = (Map<String, String>) result.getResponseBody().get("headers");
    assertThat(seen.get("x-request-id")).isEqualTo(ids.getFirst());
  }

  @Test
  void everyFamilyRefusesAMissingCredentialInItsOwnEnvelope() {
    // 000 DockSaaS
    http.get()
        .uri("/api/queue/" + ALICE + "/q1/messages")
        .header("X-Request-Id", "r-000")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("Unauthorized")
        .jsonPath("$.requestId")
        .isEqualTo("r-000");
    // 001 EventFlow
    http.get()
        .uri("/v1/functions")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("Unauthorized")
        .jsonPath("$.message")
        .exists();
    // 002 Auto-Update
    http.get()
        .uri("/api/containers")
        .header("X-Request-Id", "r-002")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.code")
        .isEqualTo("AUTHENTICATION_REQUIRED")
        .jsonPath("$.meta.request_id")
        .isEqualTo("r-002");
    // 003 multi-tenant
    http.get()
        .uri("/api/tenants/users/")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("failure")
        .jsonPath("$.error")
        .isNotEmpty()
        .jsonPath("$.data")
        .isEmpty();
    // 004 Cloud Integration
    http.get()
        .uri("/api/orders")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.message")
        .isNotEmpty();
  }

  @Test
  void expiredForeignSignedUnsignedAndTamperedTokensAreRefusedInEachFamily() {
    Map<String, Object> claims = TestJwtIssuer.userClaims(ALICE, "user");
    String valid = issuer.token(claims);
    List<String> bad =
        List.of(
            issuer.token(claims, Duration.ofMinutes(-5)),
            TestJwtIssuer.start().token(claims),
            unsigned(claims),
            tampered(valid, BOB),
            "not-a-jwt");
    Map<String, String> families =
        Map.of(
            "/api/s3storage/" + ALICE + "/svc-1/x",
            "$.error.code",
            "/v1/functions",
            "$.message",
            "/api/containers",
            "$.error.code",
            "/api/tenants/users/",
            "$.status",
            "/api/orders",
            "$.error.message");
    for (String token : bad) {
      families.forEach(
          (path, field) ->
              refusedAsInvalidToken(
                      http.get()
                          .uri(path)
                          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                          .exchange())
                  .jsonPath(field)
                  .isNotEmpty());
    }
    // The untouched token still works, so the refusals above are about the token.
    http.get()
        .uri("/api/orders")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + valid)
        .exchange()
        .expectStatus()
        .isOk();
  }

  // --- tenancy ------------------------------------------------------------------------------

  @Test
  void aTenantCannotReachAnotherTenantsPathOrDomain() {
    String alice = issuer.token(ALICE, "admin");
    for (String type :
        List.of("s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka")) {
      http.get()
          .uri("/api/" + type + "/" + BOB + "/svc-1/anything")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectBody()
          .jsonPath("$.error.code")
          .isEqualTo("AccessDenied");
    }
    http.get()
        .uri("/api/tenants/users/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
        .header("X-Tenant-Domain", BOB)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("failure");
    http.get()
        .uri("/api/tenants/users/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
        .header("X-Tenant-Domain", ALICE)
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aPlatformAdminReachesEveryTenant() {
    Map<String, Object> claims = TestJwtIssuer.userClaims("default", "admin");
    claims.put(CumulusClaims.ROLES, List.of("admin", CumulusClaims.ROLE_PLATFORM_ADMIN));
    String admin = issuer.token(claims);
    http.get()
        .uri("/api/rdsdatabase/" + BOB + "/db-1/tables")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
        .header("X-Tenant-Domain", BOB)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.headers.x-cumulus-tenant-id")
        .isEqualTo("default");
  }

  // --- per-instance metrics -------------------------------------------------------------------

  @Test
  void anInstancesTrafficIsCountedPerMinuteAndOnlyItsTenantReadsIt() {
    String instance = UUID.randomUUID().toString();
    upstream.instance(instance, ALICE);
    String alice = issuer.token(ALICE, "admin");
    String bob = issuer.token(BOB, "admin");
    String base = "/api/s3storage/" + ALICE + "/" + instance;
    for (String path : List.of("/buckets", "/buckets/a", "/status-404", "/status-503")) {
      http.get().uri(base + path).header(HttpHeaders.AUTHORIZATION, "Bearer " + alice).exchange();
    }
    // Refused by the tenancy check: never counted on Alice's instance.
    http.get()
        .uri(base + "/status-500")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bob)
        .exchange()
        .expectStatus()
        .isForbidden();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Long> totals = Map.of();
    while (System.nanoTime() < deadline) {
      Map<?, ?> body =
          http.get()
              .uri("/api/metrics/instances/" + instance + "?minutes=2")
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      List<?> points = (List<?>) body.get("points");
      assertThat(points).hasSize(2);
      totals = totals(points);
      if (totals.get("requests") >= 4) {
        Map<?, ?> busiest =
            points.stream()
                .map(p -> (Map<?, ?>) p)
                .filter(p -> ((Number) p.get("requests")).longValue() > 0)
                .findFirst()
                .orElseThrow();
        assertThat(busiest.get("p50Ms")).isNotNull();
        assertThat(busiest.get("p99Ms")).isNotNull();
        break;
      }
    }
    assertThat(totals)
        .containsEntry("requests", 4L)
        .containsEntry("clientErrors", 1L)
        .containsEntry("serverErrors", 1L);

    // Another tenant's instance is not found for Bob (auth-service's decision), nor reachable by
    // naming Alice's domain (the gateway's).
    http.get()
        .uri("/api/metrics/instances/" + instance)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bob)
        .exchange()
        .expectStatus()
        .isNotFound();
    http.get()
        .uri("/api/metrics/instances/" + instance)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bob)
        .header("X-Tenant-Domain", ALICE)
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get().uri("/api/metrics/instances/" + instance).exchange().expectStatus().isUnauthorized();
  }

  @Test
  void awsProtocolTrafficIsCountedOnTheInstanceOfItsAccessKeyButNotWhatTheServiceRefused() {
    String instance = UUID.randomUUID().toString();
    upstream.instance(instance, ALICE);
    String keyId =
        ("CK" + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 20);
    upstream.accessKey(keyId, ALICE, "free", instance);
    String signed =
        "AWS4-HMAC-SHA256 Credential="
            + keyId
            + "/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=";
    http.get()
        .uri("/s3/bucket/object")
        .header(HttpHeaders.AUTHORIZATION, signed + "00")
        .exchange()
        .expectStatus()
        .isOk();
    http.post()
        .uri("/sqs/")
        .header(HttpHeaders.AUTHORIZATION, signed.replace("/s3/", "/sqs/") + "00")
        .exchange()
        .expectStatus()
        .isOk();
    http.get()
        .uri("/s3/bucket/status-404")
        .header(HttpHeaders.AUTHORIZATION, signed + "00")
        .exchange()
        .expectStatus()
        .isNotFound();
    // A forged signature naming Alice's key: refused by the service, not counted on her instance.
    http.get()
        .uri("/s3/bucket/object")
        .header(HttpHeaders.AUTHORIZATION, signed + "forged")
        .exchange()
        .expectStatus()
        .isForbidden();

    // Read with an API key bound to that instance (issue 32): its own instance only.
    String key = "ck_" + RUN + "m_secret";
    upstream.apiKey(key, apiKeyClaims("k-m", List.of("read"), instance));
    Map<String, Long> totals = awaitTotals(instance, h -> h.set("X-API-Key", key), 3);
    assertThat(totals)
        .containsEntry("requests", 3L)
        .containsEntry("clientErrors", 1L)
        .containsEntry("serverErrors", 0L);
    String other = UUID.randomUUID().toString();
    upstream.instance(other, ALICE);
    http.get()
        .uri("/api/metrics/instances/" + other)
        .header("X-API-Key", key)
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  /**
   * Every request shape of a queue instance (queue-service's routes, plus the instance root, a
   * trailing slash, a query, an encoded receipt handle, HEAD, upstream errors, an API key) and one
   * SQS-protocol request (by its access key's owner) is in the instance's Redis hash exactly once
   * after the flush: the counts reach the number sent, and two flushes later are still that number.
   */
  @Test
  void everyQueueInstanceRequestShapeIsCountedOnceInRedis() throws InterruptedException {
    String instance = UUID.randomUUID().toString();
    String token = issuer.token(ALICE, "admin");
    String base = "/api/queue/" + ALICE + "/" + instance;
    List<String> shapes =
        List.of(
            "GET ",
            "GET /",
            "GET /queues",
            "GET /queues/",
            "POST /queues",
            "GET /queues/orders",
            "GET /queues/orders/attributes",
            "DELETE /queues/orders",
            "POST /queues/orders/purge",
            "POST /queues/orders/messages",
            "POST /queues/orders/messages/batch",
            "GET /queues/orders/messages?maxMessages=10&waitTimeSeconds=0",
            "DELETE /queues/orders/messages/AQEB-ab_cd%3D%3D",
            "POST /queues/orders/move-tasks",
            "GET /queues/orders/move-tasks",
            "POST /queues/orders/move-tasks/task-1/cancel",
            "HEAD /queues/orders",
            "GET /queues/status-404",
            "POST /queues/orders/status-503");
    for (String shape : shapes) {
      String[] methodAndPath = shape.split(" ", 2);
      http.method(HttpMethod.valueOf(methodAndPath[0]))
          .uri(URI.create("http://localhost:" + port + base + methodAndPath[1]))
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
          .exchange()
          .expectBody()
          .returnResult();
    }
    String key = "ck_" + RUN + "q_secret";
    upstream.apiKey(key, apiKeyClaims("k-q", List.of("write"), instance));
    http.get().uri(base + "/queues").header("X-API-Key", key).exchange().expectStatus().isOk();
    String keyId =
        ("CK" + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 20);
    upstream.accessKey(keyId, ALICE, "free", instance);
    http.post()
        .uri("/sqs/")
        .header(
            HttpHeaders.AUTHORIZATION,
            "AWS4-HMAC-SHA256 Credential="
                + keyId
                + "/20261201/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00")
        .header("X-Amz-Target", "AmazonSQS.ListQueues")
        .exchange()
        .expectStatus()
        .isOk();
    long sent = shapes.size() + 2;

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (countedInRedis(ALICE, instance).get("n") < sent && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(600); // three flush intervals more: nothing is counted twice
    assertThat(countedInRedis(ALICE, instance))
        .containsEntry("n", sent)
        .containsEntry("c4", 1L)
        .containsEntry("c5", 1L);
  }

  /**
   * The same gateway with rate limits off: nothing else looks up whose an access key is, so the
   * instance metrics filter does, and AWS-protocol traffic is still counted on its instance.
   */
  @Nested
  @TestPropertySource(properties = "cumulus.gateway.rate-limits.enabled=false")
  class RateLimitsOff {

    @LocalServerPort int offPort;

    @Test
    void awsProtocolTrafficIsStillCountedOnTheInstanceOfItsAccessKey() throws InterruptedException {
      String instance = UUID.randomUUID().toString();
      String keyId =
          ("CK" + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 20);
      upstream.accessKey(keyId, ALICE, "free", instance);
      WebTestClient off = TestClients.http(offPort);
      String signed =
          "AWS4-HMAC-SHA256 Credential="
              + keyId
              + "/20261201/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=";
      for (String signature : List.of("00", "00", "forged")) {
        off.post().uri("/sqs/").header(HttpHeaders.AUTHORIZATION, signed + signature).exchange();
      }
      off.get()
          .uri("/s3/bucket/object")
          .header(HttpHeaders.AUTHORIZATION, signed.replace("/sqs/", "/s3/") + "forged")
          .exchange()
          .expectStatus()
          .isForbidden();

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (countedInRedis(ALICE, instance).get("n") < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(600);
      // Three /sqs requests counted (the upstream ignores their signature); the refused /s3 one
      // not.
      assertThat(countedInRedis(ALICE, instance)).containsEntry("n", 3L);
    }
  }

  /** The fields n, c4 and c5 of the instance's hashes of this and the previous minute, summed. */
  private Map<String, Long> countedInRedis(String tenant, String instance) {
    long minute = System.currentTimeMillis() / 60_000;
    Map<String, Long> sums = new java.util.HashMap<>(Map.of("n", 0L, "c4", 0L, "c5", 0L));
    for (long m = minute - 1; m <= minute; m++) {
      Map<Object, Object> hash =
          redis
              .opsForHash()
              .entries("test-" + RUN + ":im:" + tenant + ":" + instance + ":" + m)
              .collectMap(Map.Entry::getKey, Map.Entry::getValue)
              .block(Duration.ofSeconds(5));
      sums.replaceAll((field, sum) -> sum + Long.parseLong((String) hash.getOrDefault(field, "0")));
    }
    return sums;
  }

  /** The instance's totals over two minutes once they reach {@code atLeast} requests (10 s). */
  private Map<String, Long> awaitTotals(
      String instance, Consumer<HttpHeaders> credential, long atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Long> totals = Map.of();
    while (System.nanoTime() < deadline) {
      Map<?, ?> body =
          http.get()
              .uri("/api/metrics/instances/" + instance + "?minutes=2")
              .headers(credential)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      totals = totals((List<?>) body.get("points"));
      if (totals.get("requests") >= atLeast) {
        break;
      }
    }
    return totals;
  }

  @Test
  void instanceMetricsRefuseBadInputInTheEnvelope() {
    String alice = issuer.token(ALICE, "admin");
    for (String minutes : List.of("0", "1441", "sixty")) {
      http.get()
          .uri("/api/metrics/instances/" + UUID.randomUUID() + "?minutes=" + minutes)
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.error.message")
          .value(message -> assertThat((String) message).contains("minutes"));
    }
    http.get()
        .uri("/api/metrics/instances/not-an-instance")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private static Map<String, Long> totals(List<?> points) {
    Map<String, Long> totals = new java.util.HashMap<>();
    for (Object point : points) {
      for (String field : List.of("requests", "clientErrors", "serverErrors")) {
        totals.merge(field, ((Number) ((Map<?, ?>) point).get(field)).longValue(), Long::sum);
      }
    }
    return totals;
  }

  // --- API keys -----------------------------------------------------------------------------

  @Test
  void anApiKeyIsExchangedOnceCachedAndNeverForwarded() {
    String key = "ck_" + RUN + "a_secret";
    upstream.apiKey(key, apiKeyClaims("k-a", List.of("read", "write"), null));
    int before = upstream.exchanges();
    for (int i = 0; i < 5; i++) {
      http.get()
          .uri("/api/orders")
          .header("X-API-Key", key)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.headers.x-api-key")
          .doesNotExist()
          .jsonPath("$.headers.authorization")
          .value(String.class, v -> assertThat(v).startsWith("Bearer ey"))
          .jsonPath("$.headers.x-cumulus-tenant-id")
          .isEqualTo(ALICE)
          .jsonPath("$.headers.x-cumulus-user-id")
          .isEqualTo("key:k-a");
    }
    assertThat(upstream.exchanges() - before).isEqualTo(1);
    http.get()
        .uri("/api/orders")
        .header("X-API-Key", "ck_unknown_key")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aRevokedApiKeyIsRefusedWithinFiveSeconds() throws InterruptedException {
    String key = "ck_" + RUN + "r_secret";
    upstream.apiKey(key, apiKeyClaims("k-r", List.of("*"), null));
    http.get().uri("/api/orders").header("X-API-Key", key).exchange().expectStatus().isOk();
    upstream.revoke(key);
    long revokedAt = System.nanoTime();
    assertThat(statusOnceRefused(h -> h.set("X-API-Key", key), Duration.ofSeconds(6)))
        .isEqualTo(401);
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
  }

  /** A 401 that blames the token presented (RFC 6750), and its body to look into. */
  private static WebTestClient.BodyContentSpec refusedAsInvalidToken(
      WebTestClient.ResponseSpec response) {
    return response
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
        .expectBody();
  }

  /**
   * Repeats {@code GET /api/orders} with these headers while it answers 200, for at most {@code
   * limit}; the last status.
   */
  private int statusOnceRefused(Consumer<HttpHeaders> headers, Duration limit)
      throws InterruptedException {
    long started = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - started < limit.toNanos()) {
      Thread.sleep(100);
      status =
          http.get()
              .uri("/api/orders")
              .headers(headers)
              .exchange()
              .returnResult(String.class)
              .getStatus()
              .value();
    }
    return status;
  }

  @Test
  void aTokenOfAnEndedSessionIsRefusedWithinTwoSecondsAndNoOtherIs() throws InterruptedException {
    Map<String, Object> ending = TestJwtIssuer.userClaims(ALICE, "user");
    String endingSession = UUID.randomUUID().toString();
    ending.put(CumulusClaims.SESSION_ID, endingSession);
    String token = issuer.token(ending);
    Map<String, Object> staying = TestJwtIssuer.userClaims(ALICE, "user");
    staying.put(CumulusClaims.SESSION_ID, UUID.randomUUID().toString());
    String other = issuer.token(staying);
    http.get()
        .uri("/api/orders")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk();

    // What auth-service's logout does.
    redis
        .opsForValue()
        .set(RevokedTokens.sessionKey(endingSession), "1", Duration.ofMinutes(5))
        .block();
    long endedAt = System.nanoTime();
    assertThat(statusOnceRefused(h -> h.setBearerAuth(token), Duration.ofSeconds(4)))
        .isEqualTo(401);
    assertThat(Duration.ofNanos(System.nanoTime() - endedAt)).isLessThan(Duration.ofSeconds(3));
    refusedAsInvalidToken(
            http.get()
                .uri("/api/s3storage/" + ALICE + "/svc-1/buckets")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange())
        .jsonPath("$.error.message")
        .isEqualTo("Token revoked");
    http.get()
        .uri("/api/orders")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aLogoutThroughThisGatewayEndsItsSessionHereAtOnce() {
    Map<String, Object> claims = TestJwtIssuer.userClaims(ALICE, "user");
    claims.put(CumulusClaims.SESSION_ID, UUID.randomUUID().toString());
    String token = issuer.token(claims);
    http.get()
        .uri("/api/orders")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk();

    // The upstream answers the logout with 200 (and writes nothing to Redis): the gateway itself
    // remembers that the session ended.
    http.post()
        .uri("/api/auth/logout")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk();

    http.get()
        .uri("/api/orders")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void anInstanceKeyReachesOnlyItsInstanceAndAReadKeyOnlyReads() {
    String key = "ck_" + RUN + "i_secret";
    upstream.apiKey(key, apiKeyClaims("k-i", List.of("read"), "svc-mine"));
    String mine = "/api/queue/" + ALICE + "/svc-mine/messages";
    http.get().uri(mine).header("X-API-Key", key).exchange().expectStatus().isOk();
    http.head().uri(mine).header("X-API-Key", key).exchange().expectStatus().isOk();
    http.post().uri(mine).header("X-API-Key", key).exchange().expectStatus().isForbidden();
    http.get()
        .uri("/api/queue/" + ALICE + "/svc-other/messages")
        .header("X-API-Key", key)
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/api/services")
        .header("X-API-Key", key)
        .exchange()
        .expectStatus()
        .isForbidden();

    String writer = "ck_" + RUN + "w_secret";
    upstream.apiKey(writer, apiKeyClaims("k-w", List.of("read", "write"), "svc-mine"));
    http.post().uri(mine).header("X-API-Key", writer).exchange().expectStatus().isOk();
  }

  // --- edges --------------------------------------------------------------------------------

  @Test
  void pathsNoServiceShouldInterpretAreRefusedBeforeAuthenticationInTheFamilyEnvelope() {
    String token = "Bearer " + issuer.token(ALICE, "admin");
    for (String path :
        List.of(
            "/api/s3storage/" + ALICE + "/svc-1/a%2F..%2Fb",
            "/api/s3storage/" + ALICE + "/svc-1/a;jsessionid=1",
            "/api/s3storage//" + ALICE + "/svc-1",
            "/api/s3storage/" + ALICE + "/./svc-1",
            "/api/s3storage/" + ALICE + "/%2e%2e/svc-1",
            "/api/s3storage/" + ALICE + "/svc-1/%00")) {
      http.get()
          .uri(URI.create("http://localhost:" + port + path))
          .header(HttpHeaders.AUTHORIZATION, token)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.error.code")
          .isEqualTo("InvalidRequest");
    }
    http.method(HttpMethod.valueOf("TRACE"))
        .uri("/api/s3storage/" + ALICE + "/svc-1/objects")
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersTheGatewayAnswersOrNot() {
    Consumer<HttpHeaders> securityHeaders =
        headers -> {
          assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
          assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
          assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
          assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).contains("no-store");
        };
    http.get()
        .uri("/api/s3storage/" + ALICE + "/svc-1/objects")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE, "admin"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .values("X-Content-Type-Options", values -> assertThat(values).hasSize(1))
        .expectHeader()
        .value("X-Frame-Options", v -> assertThat(v).isEqualTo("DENY"));
    securityHeaders.accept(
        http.get()
            .uri("/api/s3storage/" + ALICE + "/svc-1/objects")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .returnResult(String.class)
            .getResponseHeaders());
  }

  @Test
  void internalPathsAreNeverRouted() {
    for (String method : List.of("GET", "POST")) {
      http.method(HttpMethod.valueOf(method))
          .uri("/internal/auth/api-key-token")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE, "admin"))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.error.code")
          .isEqualTo("NotFound");
    }
  }

  @Test
  void corsPreflightNeedsNoCredentialAndExposesTheGatewayHeaders() {
    http.options()
        .uri("/api/containers")
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Access-Control-Allow-Origin", "http://localhost:3000")
        .expectHeader()
        .exists("Access-Control-Allow-Methods")
        .expectHeader()
        .doesNotExist("X-RateLimit-Limit");
    http.get()
        .uri("/api/containers")
        .header("Origin", "http://localhost:3000")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Access-Control-Allow-Origin", "http://localhost:3000")
        .expectHeader()
        .value(
            "Access-Control-Expose-Headers", v -> assertThat(v).contains("X-RateLimit-Remaining"));
  }

  @Test
  void s3CorsComesFromStorageServiceNotFromTheGateway() {
    String origin = "https://app.example.com";
    String vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    // An unsigned preflight reaches storage-service (here: the upstream stub, which answers as it
    // does), unanswered by the gateway's global CORS and without the gateway's own headers.
    http.options()
        .uri("/s3/photos/cat.jpg")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type,x-amz-date")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .values("Access-Control-Allow-Origin", v -> assertThat(v).containsExactly(origin))
        .expectHeader()
        .values("Access-Control-Allow-Methods", v -> assertThat(v).containsExactly("GET, PUT"))
        .expectHeader()
        .values("Vary", v -> assertThat(v).containsExactly(vary))
        .expectHeader()
        .doesNotExist("Access-Control-Max-Age")
        .expectHeader()
        .doesNotExist("Access-Control-Expose-Headers")
        .expectBody()
        .jsonPath("$.method")
        .isEqualTo("OPTIONS")
        .jsonPath("$.path")
        .isEqualTo("/s3/photos/cat.jpg")
        .jsonPath("$.headers['origin']")
        .isEqualTo(origin)
        .jsonPath("$.headers['access-control-request-method']")
        .isEqualTo("PUT")
        .jsonPath("$.headers['access-control-request-headers']")
        .isEqualTo("content-type,x-amz-date");
    // Actual S3 requests: storage-service's CORS headers, once each.
    http.get()
        .uri("/s3/photos/cat.jpg")
        .header("Origin", origin)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .values("Access-Control-Allow-Origin", v -> assertThat(v).containsExactly(origin))
        .expectHeader()
        .values("Vary", v -> assertThat(v).containsExactly(vary))
        .expectHeader()
        .doesNotExist("Access-Control-Expose-Headers")
        .expectBody()
        .jsonPath("$.headers['access-control-request-method']")
        .doesNotExist();
    // The rest of the API keeps the gateway's global CORS, answered at the gateway.
    http.options()
        .uri("/api/s3storage/" + ALICE + "/svc-1/buckets")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Access-Control-Allow-Origin", origin)
        .expectHeader()
        .valueEquals("Access-Control-Max-Age", "3600")
        .expectBody()
        .isEmpty();
  }

  @Test
  void aWebSocketPathAcceptsTheTokenAsQueryParameter() {
    http.get()
        .uri("/api/ws?token=" + issuer.token(ALICE))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.headers.x-cumulus-tenant-id")
        .isEqualTo(ALICE);
    http.get()
        .uri("/api/containers?token=" + issuer.token(ALICE))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aDeadServiceGivesA503InItsFamilyEnvelopeAtOnce() {
    long started = System.nanoTime();
    http.get()
        .uri("/api/kafka/" + ALICE + "/cluster-1/topics")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE))
        .header("X-Request-Id", "dead-1")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("ServiceUnavailable")
        .jsonPath("$.requestId")
        .isEqualTo("dead-1");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aSlowServiceGivesA503WithinTheConfiguredTimeout() {
    long started = System.nanoTime();
    http.get()
        .uri("/api/monitoring/slow")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issuer.token(ALICE))
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.message")
        .value(String.class, m -> assertThat(m).contains("unavailable"));
    // Response timeout 1 s; the upstream would answer after 5 s.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
  }

  // --- helpers ------------------------------------------------------------------------------

  static Map<String, Object> apiKeyClaims(String keyId, List<String> scopes, String serviceId) {
    Map<String, Object> claims = TestJwtIssuer.userClaims(ALICE);
    claims.put("sub", "key:" + keyId);
    claims.remove(CumulusClaims.USERNAME);
    claims.put(CumulusClaims.API_KEY_ID, keyId);
    claims.put(CumulusClaims.SCOPES, scopes);
    if (serviceId != null) {
      claims.put(CumulusClaims.SERVICE_ID, serviceId);
    }
    return claims;
  }

  /** {@code alg: none} with the same claims and no signature. */
  static String unsigned(Map<String, Object> claims) {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    long now = System.currentTimeMillis() / 1000;
    StringBuilder payload = new StringBuilder("{\"iss\":\"cumulus\",\"exp\":" + (now + 3600));
    claims.forEach(
        (k, v) ->
            payload
                .append(",\"")
                .append(k)
                .append("\":")
                .append(v instanceof List<?> l ? listJson(l) : "\"" + v + "\""));
    return header + "." + b64(payload.append('}').toString()) + ".";
  }

  /** A valid token whose payload claims another tenant, signature left as it was. */
  static String tampered(String token, String tenant) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String changed =
        payload.replaceAll("\"tenant_id\":\"[^\"]*\"", "\"tenant_id\":\"" + tenant + "\"");
    assertThat(changed).isNotEqualTo(payload);
    return parts[0] + "." + b64(changed) + "." + parts[2];
  }

  private static String listJson(List<?> list) {
    return list.stream().map(v -> "\"" + v + "\"").toList().toString().replace(" ", "");
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
