package dev.cumulus.queue;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.reactive.TransactionalOperator;

/** What queue-service tests share: their infrastructure, and queue instances to work on. */
public final class QueueTestInstances {

  private QueueTestInstances() {}

  /** The test infrastructure, a fresh database and a consumer group of the context's own. */
  public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
    CumulusTestProperties.register(registry, databasePrefix);
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "queue-it-" + UUID.randomUUID());
    registry.add("cumulus.queue.metrics-interval", () -> "1h");
  }

  /** auth-service's {@code service.created} for a queue instance, through the outbox to Kafka. */
  public static void announce(Outbox outbox, String tenant, String service, String name) {
    announce(outbox, tenant, service, name, "created");
  }

  /** auth-service's {@code service.<verb>} (created, deleted) for a queue instance. */
  public static void announce(
      Outbox outbox, String tenant, String service, String name, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", name);
    data.put("serviceType", "Queue");
    data.put("status", "created".equals(verb) ? "running" : "deleted");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service." + verb);
    payload.put("timestamp", Instant.now().toString());
    payload.put("tenantId", tenant);
    payload.put("serviceId", service);
    payload.put("data", data);
    outbox
        .appendForTenant(tenant, InstanceRegistry.TOPIC, service, "service", "created", payload)
        .block(Duration.ofSeconds(10));
  }

  /** A ready instance registered directly (what the Kafka consumer would do). */
  public static String registered(
      InstanceRegistry registry, TransactionalOperator tx, String tenant) {
    String service = UUID.randomUUID().toString();
    registry
        .created(service, "queue", tenant, "queue-" + service)
        .as(tx::transactional)
        .block(Duration.ofSeconds(10));
    return service;
  }
}
