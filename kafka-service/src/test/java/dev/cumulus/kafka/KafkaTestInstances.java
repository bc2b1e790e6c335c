package dev.cumulus.kafka;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What kafka-service tests share: their infrastructure, and kafka instances to work on. */
public final class KafkaTestInstances {

  private KafkaTestInstances() {}

  /**
   * The test infrastructure, a fresh database and consumer groups of the context's own; Kafka is
   * the SASL/ACL broker, for the platform and the tenants alike (as devstack runs it).
   */
  public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
    CumulusTestProperties.register(registry, databasePrefix);
    registry.add(
        "cumulus.kafka.bootstrap-servers", () -> SaslKafkaBroker.shared().bootstrapServers());
    registry.add(
        "cumulus.kafka-service.tenant-bootstrap-servers",
        () -> SaslKafkaBroker.shared().tenantBootstrapServers());
    registry.add(
        "spring.cloud.stream.bindings.tenantEvents-in-0.group",
        () -> "kafka-events-it-" + UUID.randomUUID());
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "kafka-it-" + UUID.randomUUID());
  }

  /** auth-service's {@code service.created} for a kafka instance, through the outbox to Kafka. */
  public static void announce(Outbox outbox, String tenant, String service, String name) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", name);
    data.put("serviceType", "Kafka");
    data.put("status", "running");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service.created");
    payload.put("timestamp", Instant.now().toString());
    payload.put("tenantId", tenant);
    payload.put("serviceId", service);
    payload.put("data", data);
    outbox
        .appendForTenant(tenant, InstanceRegistry.TOPIC, service, "service", "created", payload)
        .block(Duration.ofSeconds(10));
  }
}
