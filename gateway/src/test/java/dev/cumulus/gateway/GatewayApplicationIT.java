package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.testsupport.WebServiceBootContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayApplicationIT extends WebServiceBootContract {

  /** With the registry as packaged, an unbuilt service's paths answer 503 in their envelope. */
  @Test
  void anUnbuiltServicesPathsAnswer503InTheirFamilysEnvelope() {
    assertThat(ServiceRegistry.packaged().service("function-service").orElseThrow().built())
        .as("this test needs function-service unbuilt; pick another unbuilt service's path")
        .isFalse();
    // /healthz is public (seed 001, EventFlow envelope {"error","message"}).
    http.get()
        .uri("/healthz")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("Service Unavailable")
        .jsonPath("$.message")
        .value(String.class, m -> assertThat(m).contains("function-service", "not available yet"));
  }
}
