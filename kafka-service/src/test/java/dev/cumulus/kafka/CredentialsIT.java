package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.events.KafkaEventPublisher;
import dev.cumulus.platform.events.OutboxEvent;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kafka credentials on a broker with a SASL/SCRAM listener and the standard authorizer: a tenant's
 * user reads its own events and its instance's topics with a plain Kafka client, and is denied
 * another tenant's topics and groups; rotation and revocation take effect.
 */
class CredentialsIT extends KafkaServiceIT {

  @Test
  void aTenantsCredentialsReadItsEventsAndNothingOfAnotherTenant() throws Exception {
    api.call("POST", base + "/topics", "{\"name\":\"orders\",\"partitions\":1}", 201);
    JsonNode credential =
        api.call("POST", base + "/credentials", "{\"description\":\"analytics\"}", 201);
    String username = credential.path("username").asString();
    String password = credential.path("password").asString();
    assertThat(password).hasSizeGreaterThanOrEqualTo(40);
    assertThat(credential.path("mechanism").asString()).isEqualTo("SCRAM-SHA-512");
    assertThat(credential.path("bootstrapServers").asString())
        .isEqualTo(SaslKafkaBroker.shared().tenantBootstrapServers());
    String prefix = credential.path("topicPrefix").asString();
    assertThat(prefix).isEqualTo(new TopicNames(tenant, service).prefix());
    String eventTopic = credential.path("eventTopic").asString();
    assertThat(eventTopic).isEqualTo("tenant." + tenant + ".events");

    // Listed without the password
    JsonNode listed = api.call("GET", base + "/credentials", null, 200);
    assertThat(listed.path("count").asInt()).isEqualTo(1);
    assertThat(listed.path("credentials").get(0).has("password")).isFalse();

    // A platform event of the tenant, read with the tenant's own credentials
    OutboxEvent uploaded = storageEvent(tenant);
    try (KafkaEventPublisher storage =
        KafkaEventPublisher.connect(SaslKafkaBroker.shared().bootstrapServers(), "storage-it")) {
      storage.publish(List.of(uploaded)).block(Duration.ofSeconds(10));
    }
    try (KafkaConsumer<String, String> consumer =
        tenantConsumer(username, password, prefix + "event-readers")) {
      consumer.subscribe(List.of(eventTopic));
      List<ConsumerRecord<String, String>> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> uploaded.id().toString().equals(id(r)));
              });
    }

    // Produce natively to the instance's topic; the REST API reads it
    try (KafkaProducer<String, String> producer = tenantProducer(username, password)) {
      producer.send(new ProducerRecord<>(prefix + "orders", "o-1", "native")).get();
    }
    JsonNode read = api.call("GET", base + "/topics/orders/messages", null, 200);
    assertThat(read.path("messages").get(0).path("value").asString()).isEqualTo("native");

    // Another tenant's topics and groups are denied
    String other = "t-" + UUID.randomUUID();
    try (KafkaProducer<String, String> producer = tenantProducer(username, password)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>("tenant." + other + ".events", "x", "y"))
                      .get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaConsumer<String, String> consumer =
        tenantConsumer(username, password, "tenant." + other + ".i.x.steal")) {
      consumer.subscribe(List.of(eventTopic));
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
          .isInstanceOf(GroupAuthorizationException.class);
    }
    try (KafkaConsumer<String, String> consumer =
        tenantConsumer(username, password, prefix + "peek")) {
      consumer.subscribe(List.of("tenant." + other + ".events"));
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void rotatingAndRevokingTakeEffect() throws Exception {
    api.call("POST", base + "/topics", "{\"name\":\"audit\",\"partitions\":1}", 201);
    JsonNode credential = api.call("POST", base + "/credentials", null, 201);
    String username = credential.path("username").asString();
    String first = credential.path("password").asString();
    String topic = credential.path("topicPrefix").asString() + "audit";
    produce(username, first, topic);

    JsonNode rotated = api.call("POST", base + "/credentials/" + username + "/rotate", null, 200);
    String second = rotated.path("password").asString();
    assertThat(second).isNotEqualTo(first);
    assertThat(rotated.path("rotatedAt").asString()).isNotBlank();
    assertThatThrownBy(() -> produce(username, first, topic))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    produce(username, second, topic);

    api.call("DELETE", base + "/credentials/" + username, null, 204);
    assertThatThrownBy(() -> produce(username, second, topic))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    assertThat(api.call("GET", base + "/credentials", null, 200).path("count").asInt()).isZero();
    api.error("DELETE", base + "/credentials/" + username, null, 404, "CredentialNotFound");
    api.error("POST", base + "/credentials/not-a-user/rotate", null, 404, "CredentialNotFound");
    // PostgreSQL cannot hold a NUL: refused before, not a 500 from the INSERT.
    api.error(
        "POST",
        base + "/credentials",
        "{\"description\":\"a\\u0000b\"}",
        400,
        "InvalidParameterValue");

    // Another tenant cannot see, rotate or revoke them
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(api.status("GET", base + "/credentials", stranger, null)).isEqualTo(403);
    assertThat(api.status("POST", base + "/credentials", stranger, null)).isEqualTo(403);
  }

  private static void produce(String username, String password, String topic) throws Exception {
    Map<String, Object> config = SaslKafkaBroker.shared().tenantClient(username, password);
    config.put("max.block.ms", 10_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get();
    }
  }

  private static KafkaProducer<String, String> tenantProducer(String username, String password) {
    Map<String, Object> config = SaslKafkaBroker.shared().tenantClient(username, password);
    config.put("max.block.ms", 10_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> tenantConsumer(
      String username, String password, String group) {
    Map<String, Object> config =
        new HashMap<>(SaslKafkaBroker.shared().tenantClient(username, password));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static OutboxEvent storageEvent(String tenant) {
    return new OutboxEvent(
        0,
        UUID.randomUUID(),
        "cumulus.storage",
        "bucket-1",
        "dev.cumulus.storage.object.created.v1",
        "/storage",
        tenant,
        null,
        "{\"key\":\"photo.jpg\"}",
        OffsetDateTime.now());
  }

  private static String id(ConsumerRecord<String, String> record) {
    var header = record.headers().lastHeader("ce_id");
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
