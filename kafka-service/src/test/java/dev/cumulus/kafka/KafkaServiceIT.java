package dev.cumulus.kafka;

import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context kafka-service's integration tests share (real PostgreSQL and Kafka), and a
 * fresh tenant with a ready kafka instance for each test.
 */
@SpringBootTest(
    classes = KafkaApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class KafkaServiceIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    KafkaTestInstances.register(registry, "kafka_it");
  }

  @LocalServerPort int port;
  @Autowired Outbox outbox;

  ApiCalls api;
  String tenant;
  String token;
  String service;
  String base;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    token = TestJwtIssuer.shared().token(tenant, "admin");
    api =
        new ApiCalls(
            TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(30)).build(), token);
    service = UUID.randomUUID().toString();
    KafkaTestInstances.announce(outbox, tenant, service, "my-kafka");
    base = "/api/kafka/" + tenant + "/" + service;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.status("GET", base + "/topics", token, null) == 200);
  }
}
