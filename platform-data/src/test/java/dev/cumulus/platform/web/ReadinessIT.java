package dev.cumulus.platform.web;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.TcpProxy;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Readiness follows the database and Kafka; liveness does not. */
class ReadinessIT {

  @Nested
  @SpringBootTest(
      classes = EnvelopeTestApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = "spring.application.name=readiness-test")
  // Closed afterwards: its bindings would retry the dead broker for the rest of the test JVM.
  @DirtiesContext
  class WhenKafkaIsUnreachable {

    @LocalServerPort int port;

    @DynamicPropertySource
    static void deadKafka(DynamicPropertyRegistry registry) {
      CumulusTestProperties.register(registry, "readiness_kafka");
      int nobody = FreePorts.next();
      registry.add("cumulus.kafka.bootstrap-servers", () -> "127.0.0.1:" + nobody);
      // The bindings' clients give up on the dead broker at once instead of after 60 s each (the
      // producer's max.block.ms, the consumer's default.api.timeout.ms), on the context's start.
      registry.add("spring.cloud.stream.kafka.binder.configuration.max.block.ms", () -> "1000");
      registry.add(
          "spring.cloud.stream.kafka.binder.configuration.default.api.timeout.ms", () -> "1000");
      registry.add(
          "spring.cloud.stream.kafka.binder.configuration.request.timeout.ms", () -> "1000");
    }

    @Test
    void readinessIsDownButLivenessUp() {
      TestClients.http(port)
          .get()
          .uri("/actuator/health/readiness")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("DOWN")
          .jsonPath("$.components.kafka.status")
          .isEqualTo("DOWN")
          .jsonPath("$.components.r2dbc.status")
          .isEqualTo("UP");
      TestClients.http(port)
          .get()
          .uri("/actuator/health/liveness")
          .exchange()
          .expectStatus()
          .isOk();
    }
  }

  @Nested
  @SpringBootTest(
      classes = EnvelopeTestApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = "spring.application.name=readiness-test")
  class WhenPostgresGoesAway {

    static final TcpProxy PG_PROXY =
        new TcpProxy(TestInfrastructure.postgres().host(), TestInfrastructure.postgres().port());

    @LocalServerPort int port;

    @DynamicPropertySource
    static void proxiedPostgres(DynamicPropertyRegistry registry) {
      CumulusTestProperties.register(registry, "readiness_pg");
      registry.add("cumulus.pg.host", () -> "127.0.0.1");
      registry.add("cumulus.pg.port", PG_PROXY::port);
    }

    @Test
    void readinessFollowsTheDatabase() {
      WebTestClient http = TestClients.http(port);
      http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

      PG_PROXY.cut();
      http.get()
          .uri("/actuator/health/readiness")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.components.r2dbc.status")
          .isEqualTo("DOWN");
      http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

      PG_PROXY.restore();
      http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
  }

  @AfterAll
  static void closeProxy() {
    WhenPostgresGoesAway.PG_PROXY.close();
  }
}
