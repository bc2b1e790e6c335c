package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code service.created} reaches Kafka exactly once even when auth-service dies after committing
 * the instance and before publishing: the instance is created while the outbox relay is off, the
 * process is SIGKILLed, and a restarted auth-service publishes the event from the outbox.
 */
class ServiceCreatedAfterCrashIT {

  static final String TOPIC = "cumulus.service-instances";

  @Test
  void serviceCreatedIsPublishedOnceAfterACrashBetweenCommitAndPublish() {
    Cumulus cumulus = Cumulus.get(); // the shared master key and admin password
    String database = PostgresServer.uniqueDatabaseName("e2e_crash_auth");
    int port = FreePorts.next();

    Map<String, String> relayOff = cumulus.authEnvironment(database, cumulus.storage.port());
    relayOff.put("CUMULUS_OUTBOX_ENABLED", "false");
    String serviceId;
    try (ServiceProcess auth = ServiceProcess.start("auth-service", port, relayOff)) {
      Api direct = new Api(TestClients.http(auth.port()));
      String admin =
          direct
              .post(
                  "/api/auth/login",
                  none(),
                  Map.of("email", "admin@cumulus.local", "password", cumulus.adminPassword))
              .expect(200)
              .at("data.access_token");
      serviceId =
          direct
              .post(
                  "/api/services",
                  bearer(admin),
                  Map.of("serviceName", "crash-queue", "serviceType", "queue"))
              .expect(201)
              .at("id");
      auth.kill(); // committed, never published
    }

    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(TOPIC);
        ServiceProcess restarted =
            ServiceProcess.start(
                "auth-service", port, cumulus.authEnvironment(database, cumulus.storage.port()))) {
      // What auth-service published about the instance (queue-service, running in the shared
      // stack, answers on the same topic with its instance.ready).
      List<ReceivedEvent> events =
          eventsFor(consumer, serviceId, Duration.ofSeconds(30)).stream()
              .filter(e -> "/auth".equals(e.source()))
              .toList();
      assertThat(events).hasSize(1);
      ReceivedEvent event = events.get(0);
      assertThat(event.type()).isEqualTo("dev.cumulus.auth.service.created.v1");
      assertThat(event.tenantId()).isEqualTo("default");

      JsonNode payload = JsonMapper.builder().build().readTree(event.data());
      assertThat(payload.path("eventType").asText()).isEqualTo("service.created");
      assertThat(payload.path("serviceId").asText()).isEqualTo(serviceId);
      assertThat(payload.path("tenantId").asText()).isEqualTo("default");
      assertThat(payload.path("timestamp").asText()).isNotBlank();
      assertThat(payload.path("data").path("serviceName").asText()).isEqualTo("crash-queue");
      assertThat(payload.path("data").path("serviceType").asText()).isEqualTo("Queue");
      // Published at creation, before any service has provisioned the instance.
      assertThat(payload.path("data").path("status").asText()).isEqualTo("provisioning");
    }
  }

  /** Every event about the instance that arrives until a quiet period after the first one. */
  static List<ReceivedEvent> eventsFor(
      KafkaConsumer<String, byte[]> consumer, String serviceId, Duration timeout) {
    List<ReceivedEvent> events = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    Instant quietUntil = null;
    while (Instant.now().isBefore(deadline)
        && (quietUntil == null || Instant.now().isBefore(quietUntil))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (serviceId.equals(record.key())) {
          events.add(CloudEventHeaders.read(record.headers(), record.value()));
          // Wait a few relay cycles more: a duplicate would show up by then.
          quietUntil = Instant.now().plusSeconds(5);
        }
      }
    }
    return events;
  }
}
