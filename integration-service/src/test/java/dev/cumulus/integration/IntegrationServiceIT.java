package dev.cumulus.integration;

import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The one Spring context every integration-service IT shares (real PostgreSQL and Kafka, time
 * compressed), a fresh tenant per test, and a JSON call helper.
 */
@SpringBootTest(
    classes = IntegrationApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IntegrationServiceIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    IntegrationTestSupport.register(registry, "integration_it");
  }

  @LocalServerPort int port;
  WebTestClient http;
  String tenant;
  String token;

  @BeforeEach
  void freshTenant() {
    http = TestClients.http(port);
    tenant = "t-" + UUID.randomUUID();
    token = TestJwtIssuer.shared().token(tenant, "admin");
  }

  JsonNode call(String method, String uri, Object body, int status) {
    return call(token, method, uri, body, status);
  }

  JsonNode call(String bearer, String method, String uri, Object body, int status) {
    WebTestClient.RequestBodySpec spec = http.method(HttpMethod.valueOf(method)).uri(uri);
    if (bearer != null) {
      spec = spec.header("Authorization", "Bearer " + bearer);
    }
    WebTestClient.ResponseSpec response =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    byte[] bytes =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    return bytes == null
        ? IntegrationTestSupport.JSON.createObjectNode()
        : IntegrationTestSupport.JSON.readTree(bytes);
  }
}
