package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Rate limits counted in the real Redis: the Free plan's 1,000 requests per hour, shared by two
 * gateway instances; the Auto-Update per-IP and Cloud Integration per-IP budgets (small here); S3
 * per access key, with what storage-service refuses charged to its sender.
 */
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRateLimitIT {

  static final TestUpstream upstream = new TestUpstream();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** Properties both gateway instances share (the second one is started by hand). */
  static final Map<String, String> SHARED = new HashMap<>();

  static {
    for (String service :
        new String[] {"AUTH", "STORAGE", "DATABASE", "QUEUE", "FUNCTION", "KAFKA_SERVICE"}) {
      SHARED.put("CUMULUS_" + service + "_URL", upstream.url());
    }
    for (String service : new String[] {"UPDATER", "COMMERCE", "INTEGRATION"}) {
      SHARED.put("CUMULUS_" + service + "_URL", upstream.url());
    }
    // Every service is routed to the test upstream, built or not.
    SHARED.put("cumulus.gateway.routing.unbuilt-services", "");
    SHARED.put("cumulus.gateway.rate-limits.key-prefix", "test-" + RUN + ":");
    // A loaded test machine must not turn a slow Redis answer into an uncounted request.
    SHARED.put("cumulus.gateway.rate-limits.redis-timeout", "2s");
    SHARED.put("cumulus.gateway.rate-limits.auto-update.anonymous", "5/1m");
    SHARED.put("cumulus.gateway.rate-limits.cloud-integration", "3/15m");
    SHARED.put("cumulus.gateway.rate-limits.s3", "2/1m");
    SHARED.put("cumulus.gateway.rate-limits.aws-plans.free", "3/1m");
    SHARED.put("cumulus.gateway.rate-limits.aws-plans.pro", "4/1m");
    // The secret of auth-service's internal lookups (here: the test upstream's).
    SHARED.put("cumulus.internal.secret", TestUpstream.INTERNAL_SECRET);
    SHARED.put("cumulus.gateway.rate-limits.failed-authentications", "3/1m");
    // Lets a test speak from several client addresses (requests without the header: the peer's).
    SHARED.put("cumulus.gateway.trust-forwarded-for", "true");
  }

  static ConfigurableApplicationContext second;

  @LocalServerPort int port;
  @Autowired Environment environment;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "gateway");
    SHARED.forEach((k, v) -> registry.add(k, () -> v));
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    upstream.close();
  }

  /**
   * Guessing credentials from one address: after its failures are spent, even a valid token from
   * there waits (429 with Retry-After); other addresses are untouched (issue 21).
   */
  @Test
  void anAddressThatKeepsFailingToAuthenticateIsSlowedDownAndNoOtherIs() {
    WebTestClient http = TestClients.http(port);
    String attacker = "198.51.100." + (1 + new java.util.Random().nextInt(250));
    String tenant = "tenant-guess-" + RUN;
    String path = "/api/queue/" + tenant + "/svc-1/messages";
    for (int i = 1; i <= 4; i++) {
      http.get()
          .uri(path)
          .header(HttpHeaders.AUTHORIZATION, "Bearer forged-" + i)
          .header("X-Forwarded-For", attacker)
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
    String valid = TestJwtIssuer.shared().token(tenant, "user");
    http.get()
        .uri(path)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + valid)
        .header("X-Forwarded-For", attacker)
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .value(HttpHeaders.RETRY_AFTER, v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L))
        .expectHeader()
        .valueEquals("X-RateLimit-Remaining", "0");
    http.get()
        .uri(path)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + valid)
        .header("X-Forwarded-For", "192.0.2.77")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aFreeTenantsThousandAndFirstRequestInTheHourIsRefusedAcrossTwoGateways() {
    WebTestClient a = TestClients.http(port);
    WebTestClient b = TestClients.http(startSecondGateway());
    String tenant = "tenant-free-" + RUN;
    String token = TestJwtIssuer.shared().token(tenant, "user");
    String path = "/api/s3storage/" + tenant + "/svc-1/objects";
    long hourFromNow = Instant.now().plusSeconds(3600).getEpochSecond();
    for (int i = 1; i <= 1000; i++) {
      // Alternate the instances: both spend the same tenant budget.
      EntityExchangeResult<byte[]> ok =
          (i % 2 == 0 ? a : b)
              .get()
              .uri(path)
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody()
              .returnResult();
      HttpHeaders headers = ok.getResponseHeaders();
      assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("1000");
      // Each gateway spends requests it reserved a few at a time (LocalAllowances): its count
      // lags behind the other's spending by at most what that one holds, under 1/64 of the limit.
      assertThat(Long.parseLong(headers.getFirst("X-RateLimit-Remaining")))
          .isBetween(1000L - i - 16, 1000L - i + 16);
      assertThat(Long.parseLong(headers.getFirst("X-RateLimit-Reset")))
          .isBetween(hourFromNow - 120, hourFromNow + 5);
    }
    for (WebTestClient gateway : new WebTestClient[] {a, b}) {
      gateway
          .get()
          .uri(path)
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
          .header("X-Request-Id", "limited-" + RUN)
          .exchange()
          .expectStatus()
          .isEqualTo(429)
          .expectHeader()
          .valueEquals("X-RateLimit-Limit", "1000")
          .expectHeader()
          .valueEquals("X-RateLimit-Remaining", "0")
          .expectHeader()
          .exists("X-RateLimit-Reset")
          .expectHeader()
          .value(
              HttpHeaders.RETRY_AFTER, v -> assertThat(Long.parseLong(v)).isBetween(3000L, 3600L))
          .expectBody()
          .jsonPath("$.error.code")
          .isEqualTo("TooManyRequests")
          .jsonPath("$.requestId")
          .isEqualTo("limited-" + RUN);
    }
    // Another tenant's budget is untouched.
    a.get()
        .uri("/v1/functions")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestJwtIssuer.shared().token("other-" + RUN))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-RateLimit-Remaining", "999");
  }

  @Test
  void autoUpdateLimitsAnonymousCallersPerIp() {
    WebTestClient http = TestClients.http(port);
    for (int i = 1; i <= 5; i++) {
      http.get()
          .uri("/api/health")
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .valueEquals("X-RateLimit-Limit", "5")
          .expectHeader()
          .valueEquals("X-RateLimit-Remaining", Integer.toString(5 - i));
    }
    http.post()
        .uri("/api/auth/login")
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER)
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.code")
        .isEqualTo("RATE_LIMIT_EXCEEDED");
    // An authenticated user has a budget of their own (1,000 per minute).
    http.get()
        .uri("/api/containers")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestJwtIssuer.shared().token("au-" + RUN))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-RateLimit-Limit", "1000");
  }

  @Test
  void cloudIntegrationLimitsPerIpWithItsOwnSentence() {
    WebTestClient http = TestClients.http(port);
    for (int i = 0; i < 3; i++) {
      http.post().uri("/webhooks/stripe").exchange().expectStatus().isOk();
    }
    http.post()
        .uri("/webhooks/stripe")
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.message")
        .isEqualTo("Too many requests from this IP, please try again later.");
  }

  @Test
  void s3ClientsAreSlowedDownPerAccessKeyInS3Xml() {
    WebTestClient http = TestClients.http(port);
    String key = "CKRATE" + RUN.toUpperCase();
    String authorization =
        "AWS4-HMAC-SHA256 Credential="
            + key
            + "/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";
    for (int i = 0; i < 2; i++) {
      http.get()
          .uri("/s3/bucket/key")
          .header("Authorization", authorization)
          .exchange()
          .expectStatus()
          .isOk();
    }
    http.get()
        .uri("/s3/bucket/key")
        .header("Authorization", authorization)
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .contentTypeCompatibleWith("application/xml")
        .expectHeader()
        .exists("Retry-After")
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .startsWith("<?xml")
                    .contains("<Error><Code>SlowDown</Code>")
                    .contains("<RequestId>"));
  }

  @Test
  void s3RequestsStorageRefusesCountAgainstTheirSenderNotAgainstTheKeyTheyName() {
    WebTestClient http = TestClients.http(port);
    String victimKey = "CKVICTIM" + RUN.toUpperCase();
    String attacker = "10.66.0.1"; // counters are this run's own (key prefix)
    String owner = "10.77.0.1";
    // A presigned URL shows its key id to anyone who holds it: forged requests naming the key go
    // through to storage-service, which refuses them; each moves to the sender's budget (2 here).
    for (int i = 0; i < 2; i++) {
      s3(http, victimKey, "forged", attacker).expectStatus().isForbidden();
    }
    s3(http, victimKey, "forged", attacker)
        .expectStatus()
        .isEqualTo(429)
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("<Code>SlowDown</Code>"));
    // The spent sender cannot spend any key's budget either, even with a signature that is good.
    s3(http, "CKOTHER" + RUN.toUpperCase(), "00", attacker).expectStatus().isEqualTo(429);
    // The key's owner still has the key's whole budget, and spends it.
    s3(http, victimKey, "00", owner)
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-RateLimit-Remaining", "1");
    s3(http, victimKey, "00", owner).expectStatus().isOk();
    s3(http, victimKey, "00", owner).expectStatus().isEqualTo(429);
  }

  /**
   * Access keys auth-service knows spend their tenant's budget, by plan: a second key of the same
   * tenant adds nothing, another tenant's key is untouched, and a key auth-service does not know
   * spends its own (smaller, per-key) budget. Owners are looked up once, not per request.
   */
  @Test
  void awsRequestsSpendTheirKeysTenantsBudgetByPlanSoNewKeysAddNone() {
    WebTestClient http = TestClients.http(port);
    String first = accessKeyId("A");
    String second = accessKeyId("B");
    String otherTenants = accessKeyId("C");
    upstream.accessKey(first, "tenant-aws-" + RUN, "free");
    upstream.accessKey(second, "tenant-aws-" + RUN, "free");
    upstream.accessKey(otherTenants, "tenant-aws-pro-" + RUN, "pro");
    String client = "10.88.0.1";
    int lookupsBefore = upstream.ownerLookups();

    s3(http, first, "00", client)
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-RateLimit-Limit", "3");
    s3(http, second, "00", client).expectStatus().isOk();
    s3(http, first, "00", client).expectStatus().isOk();
    // The free tenant's 3 are spent, whichever of its keys signs.
    s3(http, second, "00", client).expectStatus().isEqualTo(429);
    s3(http, first, "00", client).expectStatus().isEqualTo(429);
    // Another tenant (pro: 4) is untouched.
    s3(http, otherTenants, "00", client)
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-RateLimit-Remaining", "3");
    assertThat(upstream.ownerLookups() - lookupsBefore).isEqualTo(3);

    // Unknown to auth-service: the per-key budget (2 here).
    String unknown = accessKeyId("D");
    s3(http, unknown, "00", client).expectStatus().isOk();
    s3(http, unknown, "00", client).expectStatus().isOk();
    s3(http, unknown, "00", client).expectStatus().isEqualTo(429);
  }

  /** An id in auth-service's format (CK + 18 of A-Z0-9), unique to this run. */
  private static String accessKeyId(String tag) {
    return ("CK" + tag + RUN.toUpperCase() + "000000000").substring(0, 20);
  }

  private static WebTestClient.ResponseSpec s3(
      WebTestClient http, String keyId, String signature, String clientAddress) {
    return http.get()
        .uri("/s3/bucket/key")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential="
                + keyId
                + "/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature="
                + signature)
        .header("X-Forwarded-For", clientAddress)
        .exchange();
  }

  /** A second gateway application context on its own port, sharing Redis and the settings. */
  private int startSecondGateway() {
    Map<String, Object> properties = new HashMap<>(SHARED);
    for (String name :
        new String[] {
          "cumulus.pg.host",
          "cumulus.pg.port",
          "cumulus.pg.user",
          "cumulus.pg.password",
          "cumulus.kafka.bootstrap-servers",
          "spring.data.redis.host",
          "spring.data.redis.port",
          "cumulus.security.jwks-uri"
        }) {
      properties.put(name, environment.getProperty(name));
    }
    properties.put("cumulus.database.name", "gateway_second_" + RUN);
    properties.put("server.port", "0");
    // Not the default 9080: a gateway running on this machine may hold it.
    properties.put("management.server.port", "0");
    // As command-line arguments: they outrank every other property source, as the test's own do.
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    second = new SpringApplicationBuilder(GatewayApplication.class).run(args);
    return ((WebServerApplicationContext) second).getWebServer().getPort();
  }
}
