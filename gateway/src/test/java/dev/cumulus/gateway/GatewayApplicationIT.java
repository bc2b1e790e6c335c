package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.routing.RegistryRoutes;
import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.testsupport.WebServiceBootContract;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // Every service of the registry is built now: mark one unbuilt, as a new service is until it
    // serves its paths, to see the gateway answer for it.
    properties = "cumulus.gateway.routing.unbuilt-services=function-service")
class GatewayApplicationIT extends WebServiceBootContract {

  @Autowired RouteLocator routes;

  /**
   * Actuator lives on the management port (loopback by default): the front door's port serves no
   * metrics, and its health says UP or DOWN, nothing else (issue 21).
   */
  @Test
  void actuatorIsOffTheFrontDoorAndHealthTellsNoDetails() {
    for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/health")) {
      http.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .value(status -> assertThat(status).as(path).isIn(401, 404))
          .expectBody(String.class)
          .value(body -> assertThat(body).doesNotContain("jvm_", "\"UP\""));
    }
    management
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components")
        .doesNotExist()
        .jsonPath("$.details")
        .doesNotExist();
  }

  /**
   * The gateway's routes are the registry's: a sample path of every registry route reaches that
   * route's service first, at the service's registry port (no URL is configured in this test).
   */
  @Test
  void everyRegistryPathIsRoutedToItsServiceAtItsPort() {
    List<Route> gatewayRoutes = routes.getRoutes().collectList().block();
    for (ServiceRegistry.Service service : ServiceRegistry.packaged().services()) {
      for (ServiceRegistry.Route route : service.routes()) {
        for (String pattern : route.paths()) {
          String path = pattern.replace("/**", "/sample/path").replace("*", "sample");
          Route first = firstMatch(gatewayRoutes, path);
          assertThat(first).as("no gateway route for %s", path).isNotNull();
          assertThat(first.getMetadata().get(RegistryRoutes.SERVICE))
              .as("service of %s", path)
              .isEqualTo(service.name());
          assertThat(first.getUri().getPort()).as("port for %s", path).isEqualTo(service.port());
        }
      }
    }
    assertThat(firstMatch(gatewayRoutes, "/not/in/the/registry")).isNull();
  }

  private static Route firstMatch(List<Route> routes, String path) {
    ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
    for (Route route : routes) {
      if (Boolean.TRUE.equals(Mono.from(route.getPredicate().apply(exchange)).block())) {
        return route;
      }
    }
    return null;
  }

  /** An unbuilt service's paths answer 503 in their family's envelope. */
  @Test
  void anUnbuiltServicesPathsAnswer503InTheirFamilysEnvelope() {
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
