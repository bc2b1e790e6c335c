package dev.cumulus.platform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

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

  @Value("${spring.application.name}")
  String applicationName;

  protected WebTestClient http;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "boot");
  }

  @BeforeEach
  void client() {
    http = TestClients.http(port);
  }

  @Test
  void isLiveAndReady() {
    http.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get()
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
    http.get()
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
   * A token this service accepts. Services trust the shared {@link TestJwtIssuer}; auth-service,
   * which signs its own tokens, overrides this.
   */
  protected String validToken() {
    return TestJwtIssuer.shared().token("boot-tenant");
  }
}
