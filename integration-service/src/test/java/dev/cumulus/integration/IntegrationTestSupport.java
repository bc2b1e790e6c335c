package dev.cumulus.integration;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.events.KafkaEventPublisher;
import dev.cumulus.platform.events.OutboxEvent;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What integration-service tests share: real PostgreSQL and Kafka, time compressed (retries in
 * hundreds of milliseconds, an endpoint disabled after a second of failures), the local receiver's
 * address allowed, and platform events published as the other services publish them.
 */
public final class IntegrationTestSupport {

  public static final ObjectMapper JSON = JsonMapper.builder().build();
  private static KafkaEventPublisher publisher;

  private IntegrationTestSupport() {}

  public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
    CumulusTestProperties.register(registry, databasePrefix);
    registry.add(
        "spring.cloud.stream.bindings.platformEvents-in-0.group",
        () -> "integration-it-" + UUID.randomUUID());
    registry.add("cumulus.integration.master-key", MasterKey::generateBase64);
    registry.add(
        "cumulus.integration.outbound.allowed-networks", () -> WebhookReceiver.HOST + "/32");
    registry.add(
        "cumulus.integration.webhooks.retry-delays",
        () -> "200ms,200ms,200ms,200ms,200ms,200ms,200ms");
    registry.add("cumulus.integration.webhooks.poll-interval", () -> "100ms");
    registry.add("cumulus.integration.events.retry-first", () -> "100ms");
    registry.add("cumulus.integration.events.retry-max", () -> "400ms");
    registry.add("cumulus.integration.webhooks.disable-after", () -> "1s");
    registry.add("cumulus.integration.webhooks.lease", () -> "3s");
    registry.add("cumulus.integration.webhooks.timeout", () -> "3s");
    registry.add("cumulus.integration.sync.poll-interval", () -> "100ms");
    registry.add("cumulus.integration.sync.retry-delay", () -> "200ms");
    registry.add("cumulus.integration.sync.page-size", () -> "2");
    registry.add("cumulus.integration.mail.poll-interval", () -> "200ms");
    registry.add("cumulus.integration.mail.retry-delays", () -> "200ms,400ms");
  }

  /**
   * Publishes an event as service {@code service} would: CloudEvent headers on its topic {@code
   * cumulus.<service>}, type {@code dev.cumulus.<service>.<entity>.<verb>.v1}.
   */
  public static UUID publish(
      String service, String tenant, String entity, String verb, Object data) {
    UUID id = UUID.randomUUID();
    OutboxEvent event =
        new OutboxEvent(
            0,
            id,
            "cumulus." + service,
            tenant,
            "dev.cumulus." + service + "." + entity + "." + verb + ".v1",
            "/" + service,
            tenant,
            null,
            JSON.writeValueAsString(data),
            OffsetDateTime.now(ZoneOffset.UTC));
    publisher().publish(List.of(event)).block(Duration.ofSeconds(20));
    return id;
  }

  private static synchronized KafkaEventPublisher publisher() {
    if (publisher == null) {
      publisher =
          KafkaEventPublisher.connect(
              TestInfrastructure.kafkaBootstrapServers(), "integration-tests");
    }
    return publisher;
  }
}
