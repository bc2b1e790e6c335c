package dev.cumulus.platform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.security.RevokedTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every Cumulus web application must show once booted (the gateway, and every service through
 * {@link ServiceBootContract}): liveness and readiness, Prometheus metrics, an OpenAPI document and
 * Swagger UI, request ids, and the error envelope for unknown routes.
 *
 * <p>A boot test is this class plus {@code @SpringBootTest(classes = ..., webEnvironment =
 * RANDOM_PORT)}.
 */
public abstract class WebServiceBootContract {

  @LocalServerPort int port;

  /** Where actuator answers: the server's own port, or the gateway's management port. */
  @Value("${local.management.port:${local.server.port}}")
  int managementPort;

  @Value("${spring.application.name}")
  String applicationName;

  protected WebTestClient http;

  /** A client of the actuator endpoints ({@link #managementPort}). */
  protected WebTestClient management;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "boot");
  }

  @BeforeEach
  void client() {
    http = TestClients.http(port);
    management = TestClients.http(managementPort);
  }

  @Test
  void isLiveAndReady() {
    management
        .get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    management
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void exposesPrometheusMetricsTaggedWithTheService() {
    management
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .contains("jvm_memory_used_bytes")
                    .contains("service=\"" + applicationName + "\""));
  }

  @Test
  void publishesOpenApiAndSwaggerUi() {
    http.get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.openapi")
        .exists();
    http.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
    http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
  }

  @Test
  void unknownRouteGetsTheEnvelopeAndEchoesTheRequestId() {
    http.get()
        .uri("/no/such/route")
        .header("X-Request-Id", "boot-check-1")
        .header("Authorization", "Bearer " + validToken())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .valueEquals("X-Request-Id", "boot-check-1")
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("NotFound")
        .jsonPath("$.requestId")
        .isEqualTo("boot-check-1");
  }

  @Test
  void protectedRoutesNeedAValidTokenAndSayWhyInTheEnvelope() {
    http.get()
        .uri("/no/such/route")
        .header("X-Request-Id", "boot-check-2")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Bearer")
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("Unauthorized")
        .jsonPath("$.requestId")
        .isEqualTo("boot-check-2");
    http.get()
        .uri("/no/such/route")
        .header("Authorization", "Bearer " + TestJwtIssuer.start().token("boot-tenant"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }

  /**
   * The gateway's decisions, made again here (issue 21): an API key's token without the write scope
   * only reads, an instance-bound one reaches only its instance, and no token reaches another
   * tenant's instance. A direct call gets the answer a call through the gateway gets.
   */
  @Test
  void scopesInstanceBindingAndTenancyAreEnforcedHereToo() {
    Map<String, Object> readOnly = apiKeyClaims(List.of("read"), null);
    String instancePath = "/api/queue/boot-tenant/" + UUID.randomUUID() + "/messages";
    expectForbidden(http.post().uri(instancePath), signed(readOnly));
    expectForbidden(http.delete().uri(instancePath), signed(readOnly));

    Map<String, Object> bound = apiKeyClaims(List.of("read", "write"), "instance-a");
    expectForbidden(http.get().uri("/api/queue/boot-tenant/instance-b/messages"), signed(bound));

    expectForbidden(
        http.get().uri("/api/queue/other-tenant/instance-a/messages"),
        signed(TestJwtIssuer.userClaims("boot-tenant")));
  }

  /**
   * Tokens revoked at auth-service (logout, revoked key, deactivated or demoted user: {@link
   * RevokedTokens}) stop working here too, not only at the gateway.
   */
  @Test
  void revokedTokensAreRefused() {
    String user = "boot-user-" + UUID.randomUUID();
    Map<String, Object> claims = TestJwtIssuer.userClaims("boot-tenant");
    claims.put("sub", user);
    String beforeTheChange = signed(claims);
    String session = "boot-session-" + UUID.randomUUID();
    claims.put("sub", "boot-user-" + UUID.randomUUID());
    claims.put(CumulusClaims.SESSION_ID, session);
    String ofEndedSession = signed(claims);

    RedisClient client = RedisClient.create(RedisURI.create(TestInfrastructure.redis()));
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      redis
          .sync()
          .setex(
              RevokedTokens.subjectKey(user),
              60,
              RevokedTokens.subjectValue(Instant.now().plusSeconds(1)));
      redis.sync().setex(RevokedTokens.sessionKey(session), 60, "1");
    } finally {
      client.shutdown();
    }

    for (String revoked : List.of(beforeTheChange, ofEndedSession)) {
      http.get()
          .uri("/no/such/route")
          .header("Authorization", "Bearer " + revoked)
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectBody()
          .jsonPath("$.error.message")
          .value(message -> assertThat(message.toString()).contains("revoked"));
    }
  }

  private static Map<String, Object> apiKeyClaims(List<String> scopes, String serviceId) {
    Map<String, Object> claims = TestJwtIssuer.userClaims("boot-tenant", "user");
    String keyId = UUID.randomUUID().toString();
    claims.put("sub", "key:" + keyId);
    claims.put(CumulusClaims.API_KEY_ID, keyId);
    claims.put(CumulusClaims.SCOPES, scopes);
    claims.put(CumulusClaims.PERMISSIONS, scopes);
    if (serviceId != null) {
      claims.put(CumulusClaims.SERVICE_ID, serviceId);
    }
    return claims;
  }

  private static void expectForbidden(WebTestClient.RequestHeadersSpec<?> request, String token) {
    request
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.error.code") // the path's family names it (AccessDenied for seed 000)
        .exists();
  }

  /**
   * A token this service accepts. Services trust the shared {@link TestJwtIssuer}; auth-service,
   * which signs its own tokens, overrides this.
   */
  protected String validToken() {
    return TestJwtIssuer.shared().token("boot-tenant");
  }

  /**
   * A token with these claims that this service accepts; auth-service, which trusts only its own
   * keys, covers the checks in its own tests and skips those that need this.
   */
  protected String signed(Map<String, Object> claims) {
    return TestJwtIssuer.shared().token(claims);
  }
}
