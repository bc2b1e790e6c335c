package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.events.KafkaEventPublisher;
import dev.cumulus.platform.events.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;

/**
 * Platform events (as other services publish them: CloudEvents on {@code cumulus.*}) reach their
 * tenant's topic as the same CloudEvent, exactly once per id, also when published while the
 * forwarder was down.
 */
class TenantEventsIT extends KafkaServiceIT {

  static KafkaEventPublisher storage;

  @Autowired BindingsLifecycleController bindings;

  @BeforeAll
  static void publisher() {
    storage =
        KafkaEventPublisher.connect(SaslKafkaBroker.shared().bootstrapServers(), "storage-it");
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void aStorageEventArrivesOnItsTenantsTopicOncePerId() {
    OutboxEvent uploaded = event(tenant, "object", "created", "{\"key\":\"report.pdf\"}");
    OutboxEvent otherTenants = event("t-" + UUID.randomUUID(), "object", "created", "{}");
    OutboxEvent marker = event(tenant, "object", "deleted", "{\"key\":\"report.pdf\"}");
    // The outbox is at least once: the same event published twice, then a later one
    storage.publish(List.of(uploaded, otherTenants)).block(Duration.ofSeconds(10));
    storage.publish(List.of(uploaded, marker)).block(Duration.ofSeconds(10));

    List<ConsumerRecord<String, byte[]>> records = readUntil(tenant, marker.id().toString());
    assertThat(records)
        .extracting(TenantEventsIT::id)
        .containsExactly(uploaded.id().toString(), marker.id().toString());
    ConsumerRecord<String, byte[]> first = records.get(0);
    assertThat(header(first, "ce_type")).isEqualTo("dev.cumulus.storage.object.created.v1");
    assertThat(header(first, "ce_source")).isEqualTo("/storage");
    assertThat(header(first, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(first, "ce_tenantid")).isEqualTo(tenant);
    assertThat(header(first, "content-type")).isEqualTo("application/json");
    assertThat(first.key()).isEqualTo("bucket-1");
    assertThat(new String(first.value(), StandardCharsets.UTF_8))
        .isEqualTo("{\"key\":\"report.pdf\"}");
  }

  @Test
  void anEventPublishedWhileTheForwarderIsDownArrivesLaterOnce() {
    bindings.changeState("tenantEvents-in-0", BindingsLifecycleController.State.STOPPED);
    OutboxEvent whileDown = event(tenant, "object", "created", "{\"n\":1}");
    OutboxEvent marker = event(tenant, "object", "deleted", "{\"n\":2}");
    try {
      storage.publish(List.of(whileDown, whileDown, marker)).block(Duration.ofSeconds(10));
    } finally {
      bindings.changeState("tenantEvents-in-0", BindingsLifecycleController.State.STARTED);
    }
    assertThat(readUntil(tenant, marker.id().toString()))
        .extracting(TenantEventsIT::id)
        .containsExactly(whileDown.id().toString(), marker.id().toString());
  }

  @Test
  void aBurstOfEventsArrivesOnItsTenantsTopicInOrderEachOnce() {
    // Stopped meanwhile, the forwarder finds the whole burst in its next polls (batches of many
    // events, one inbox transaction each): order per key and one record per id still hold.
    bindings.changeState("tenantEvents-in-0", BindingsLifecycleController.State.STOPPED);
    List<OutboxEvent> burst = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        burst.add(event(tenant, "object", "created", "{\"n\":" + i + "}"));
      }
      storage.publish(burst).block(Duration.ofSeconds(30));
      storage.publish(burst.subList(0, 50)).block(Duration.ofSeconds(30)); // redelivered
      storage
          .publish(List.of(event(null, "object", "created", "{}"))) // no tenant: not forwarded
          .block(Duration.ofSeconds(10));
    } finally {
      bindings.changeState("tenantEvents-in-0", BindingsLifecycleController.State.STARTED);
    }
    String last = burst.getLast().id().toString();
    List<String> ids = readUntil(tenant, last).stream().map(TenantEventsIT::id).toList();
    List<String> expected = burst.stream().map(e -> e.id().toString()).toList();
    assertThat(ids.subList(ids.indexOf(expected.getFirst()), ids.size()))
        .containsExactlyElementsOf(expected);
  }

  /**
   * The tenant topic's storage records from the start, until the one with the id arrived (the topic
   * also carries the instance's own control-plane events: service.created, instance.ready).
   */
  private static List<ConsumerRecord<String, byte[]>> readUntil(String tenant, String lastId) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        SaslKafkaBroker.shared().platformConsumer(TopicNames.eventTopic(tenant))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().anyMatch(r -> lastId.equals(id(r)));
              });
    }
    return records.stream().filter(r -> "/storage".equals(header(r, "ce_source"))).toList();
  }

  private static OutboxEvent event(String tenant, String entity, String verb, String payload) {
    return new OutboxEvent(
        0,
        UUID.randomUUID(),
        "cumulus.storage",
        "bucket-1",
        "dev.cumulus.storage." + entity + "." + verb + ".v1",
        "/storage",
        tenant,
        null,
        payload,
        OffsetDateTime.now());
  }

  private static String id(ConsumerRecord<String, byte[]> record) {
    return header(record, "ce_id");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
