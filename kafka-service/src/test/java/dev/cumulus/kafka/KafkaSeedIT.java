package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.application.ConsumeService;
import dev.cumulus.kafka.topics.application.KafkaClients;
import dev.cumulus.kafka.topics.application.TopicService;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.StartPosition;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000 "Apache Kafka Service" over HTTP on a real broker: the instance arrives as
 * auth-service's {@code service.created} over Kafka, then every curl example runs with its exact
 * request; records cross between REST and native clients; groups continue on another node's pool;
 * tenants stay apart; bad input answers 4xx in the DockSaaS envelope.
 */
class KafkaSeedIT extends KafkaServiceIT {

  @Autowired TopicService topics;
  @Autowired KafkaClients clients;
  @Autowired KafkaServiceProperties properties;

  @Test
  void everySeedKafkaExampleWorks() {
    // Get Cluster Information
    JsonNode info = api.call("GET", base + "/cluster/info", null, 200);
    assertThat(info.path("clusterId").asString()).isNotBlank();
    assertThat(info.path("brokers").size()).isGreaterThanOrEqualTo(1);
    assertThat(info.path("controller").path("id").isInt()).isTrue();
    assertThat(info.path("topicCount").asInt()).isZero();

    // Get Cluster Health
    JsonNode health = api.call("GET", base + "/cluster/health", null, 200);
    assertThat(health.path("status").asString()).isEqualTo("healthy");
    assertThat(health.path("brokersOnline").asInt()).isGreaterThanOrEqualTo(1);

    // List Topics: none yet
    assertThat(api.call("GET", base + "/topics", null, 200).path("topics").size()).isZero();

    // Create Topic (exact seed body)
    JsonNode created =
        api.call(
            "POST",
            base + "/topics",
            """
            {
              "name": "user-events",
              "partitions": 6,
              "replicationFactor": 1,
              "retentionMs": 604800000,
              "compressionType": "snappy",
              "cleanupPolicy": "delete"
            }
            """,
            201);
    assertThat(created.path("name").asString()).isEqualTo("user-events");
    assertThat(created.path("partitionCount").asInt()).isEqualTo(6);
    assertThat(created.path("replicationFactor").asInt()).isEqualTo(1);
    assertThat(created.path("configs").path("retention.ms").asString()).isEqualTo("604800000");
    assertThat(created.path("configs").path("compression.type").asString()).isEqualTo("snappy");
    assertThat(created.path("configs").path("cleanup.policy").asString()).isEqualTo("delete");

    // List Topics
    JsonNode listed = api.call("GET", base + "/topics", null, 200);
    assertThat(listed.path("count").asInt()).isEqualTo(1);
    assertThat(listed.path("topics").get(0).path("name").asString()).isEqualTo("user-events");
    assertThat(listed.path("topics").get(0).path("partitions").asInt()).isEqualTo(6);

    // Get Topic Details: partitions with leaders and offsets, configs
    JsonNode details = api.call("GET", base + "/topics/user-events", null, 200);
    assertThat(details.path("partitions").size()).isEqualTo(6);
    JsonNode p0 = details.path("partitions").get(0);
    assertThat(p0.path("partition").asInt()).isZero();
    assertThat(p0.path("leader").isInt()).isTrue();
    assertThat(p0.path("isr").size()).isEqualTo(1);
    assertThat(p0.path("latestOffset").asLong()).isZero();
    assertThat(details.path("messageCount").asLong()).isZero();

    // Produce Message (exact seed body)
    JsonNode produced =
        api.call(
            "POST",
            base + "/topics/user-events/messages",
            """
            {
              "key": "user-123",
              "value": "{\\"userId\\": 123, \\"action\\": \\"login\\", \\"timestamp\\": \\"2024-01-15T10:30:00Z\\"}",
              "headers": {
                "content-type": "application/json",
                "source": "user-service"
              }
            }
            """,
            201);
    assertThat(produced.path("topic").asString()).isEqualTo("user-events");
    assertThat(produced.path("partition").asInt()).isBetween(0, 5);
    assertThat(produced.path("offset").asLong()).isZero();
    assertThat(produced.path("key").asString()).isEqualTo("user-123");

    // Consume Messages (exact seed query): the record is there, so no waiting for the timeout
    long start = System.nanoTime();
    JsonNode consumed =
        api.call(
            "GET",
            base
                + "/topics/user-events/messages?consumerGroup=analytics&maxMessages=5&timeoutMs=10000",
            null,
            200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    assertThat(consumed.path("count").asInt()).isEqualTo(1);
    JsonNode message = consumed.path("messages").get(0);
    assertThat(message.path("key").asString()).isEqualTo("user-123");
    assertThat(message.path("value").asString())
        .isEqualTo(
            "{\"userId\": 123, \"action\": \"login\", \"timestamp\": \"2024-01-15T10:30:00Z\"}");
    assertThat(message.path("headers").path("source").asString()).isEqualTo("user-service");
    assertThat(message.path("partition").asInt()).isEqualTo(produced.path("partition").asInt());
    assertThat(message.path("offset").asLong()).isZero();

    // The group committed past it: the next consume has nothing
    JsonNode again =
        api.call(
            "GET",
            base
                + "/topics/user-events/messages?consumerGroup=analytics&maxMessages=5&timeoutMs=300",
            null,
            200);
    assertThat(again.path("count").asInt()).isZero();

    // List Consumer Groups: analytics, no lag; one more record makes a lag of one
    JsonNode groups = api.call("GET", base + "/consumer-groups", null, 200);
    assertThat(groups.path("count").asInt()).isEqualTo(1);
    JsonNode analytics = groups.path("consumerGroups").get(0);
    assertThat(analytics.path("groupId").asString()).isEqualTo("analytics");
    assertThat(analytics.path("partitions").size()).isEqualTo(6);
    assertThat(analytics.path("totalLag").asLong()).isZero();
    // REST consume never joined the group (assign() only): no members, so no rebalances
    assertThat(analytics.path("members").size()).isZero();
    assertThat(analytics.path("state").asString()).isEqualTo("Empty");
    api.call(
        "POST",
        base + "/topics/user-events/messages",
        "{\"key\":\"user-123\",\"value\":\"logout\"}",
        201);
    JsonNode lagging = api.call("GET", base + "/consumer-groups", null, 200);
    JsonNode lagged = lagging.path("consumerGroups").get(0);
    assertThat(lagged.path("totalLag").asLong()).isEqualTo(1);
    JsonNode partitionLag = null;
    for (JsonNode p : lagged.path("partitions")) {
      if (p.path("partition").asInt() == produced.path("partition").asInt()) {
        partitionLag = p;
      }
    }
    assertThat(partitionLag).isNotNull();
    assertThat(partitionLag.path("committedOffset").asLong()).isEqualTo(1);
    assertThat(partitionLag.path("endOffset").asLong()).isEqualTo(2);
    assertThat(partitionLag.path("lag").asLong()).isEqualTo(1);

    // Delete Topic
    api.call("DELETE", base + "/topics/user-events", null, 204);
    api.error("GET", base + "/topics/user-events", null, 404, "UnknownTopicOrPartition");
  }

  @Test
  void restRecordsAndNativeRecordsCross() throws Exception {
    api.call("POST", base + "/topics", "{\"name\":\"cross\",\"partitions\":2}", 201);
    String brokerTopic = new TopicNames(tenant, service).topic("cross");

    // REST produce (text, JSON and binary values), read by a native consumer
    api.call(
        "POST",
        base + "/topics/cross/messages",
        """
        {"records": [
          {"key": "k1", "value": "text", "partition": 1},
          {"key": "k2", "value": {"n": 1}, "partition": 1},
          {"key": "k3", "valueBase64": "AP8A/w==", "partition": 1, "headers": {"h": "v"}}
        ]}
        """,
        201);
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        SaslKafkaBroker.shared().platformConsumer(brokerTopic)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 3;
              });
    }
    assertThat(seen).extracting(ConsumerRecord::key).containsExactly("k1", "k2", "k3");
    assertThat(new String(seen.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("text");
    assertThat(new String(seen.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
    assertThat(seen.get(2).value()).containsExactly(0, 255, 0, 255);
    assertThat(seen.get(2).headers().lastHeader("h").value())
        .isEqualTo("v".getBytes(StandardCharsets.UTF_8));

    // Native produce, read by REST: binary comes back as base64
    try (KafkaProducer<byte[], byte[]> producer = nativeProducer()) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(brokerTopic, 0, "n1".getBytes(), new byte[] {1, 2, (byte) 0xff});
      record.headers().add(new RecordHeader("origin", "native".getBytes()));
      producer.send(record).get();
    }
    JsonNode read =
        api.call("GET", base + "/topics/cross/messages?partition=0&from=beginning", null, 200);
    assertThat(read.path("count").asInt()).isEqualTo(1);
    JsonNode message = read.path("messages").get(0);
    assertThat(message.path("encoding").asString()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(message.path("value").asString()))
        .containsExactly(1, 2, 0xff);
    assertThat(new String(Base64.getDecoder().decode(message.path("key").asString())))
        .isEqualTo("n1");
  }

  @Test
  void aGroupContinuesOnAnyNodeAndStartsWhereAsked() {
    api.call("POST", base + "/topics", "{\"name\":\"orders\",\"partitions\":1}", 201);
    StringBuilder batch = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 10; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"value\":\"m").append(i).append("\"}");
    }
    api.call("POST", base + "/topics/orders/messages", batch.append("]}").toString(), 201);

    // This node reads 4 of the group's records (it fetched more and keeps them for the next call)
    JsonNode first =
        api.call(
            "GET", base + "/topics/orders/messages?consumerGroup=billing&maxMessages=4", null, 200);
    assertThat(values(first)).containsExactly("m0", "m1", "m2", "m3");

    // Another replica (its own consumer pool, same broker) continues where the group committed
    ConsumeService otherReplica = new ConsumeService(topics, clients, properties);
    try {
      var names = new TopicNames(tenant, service);
      var next =
          otherReplica
              .consume(
                  names,
                  "orders",
                  new ConsumeRequest(
                      "orders",
                      "billing",
                      null,
                      new StartPosition.Committed(true),
                      3,
                      1 << 20,
                      Duration.ofSeconds(5),
                      true))
              .block(Duration.ofSeconds(20));
      assertThat(next)
          .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactly("m4", "m5", "m6");
    } finally {
      otherReplica.destroy();
    }

    // Back on this node: its kept records are stale, so it starts at the group's offset again
    JsonNode rest =
        api.call(
            "GET",
            base + "/topics/orders/messages?consumerGroup=billing&maxMessages=10",
            null,
            200);
    assertThat(values(rest)).containsExactly("m7", "m8", "m9");

    // Not committing leaves the group where it is
    api.call("POST", base + "/topics/orders/messages", "{\"value\":\"m10\"}", 201);
    JsonNode peek =
        api.call(
            "GET", base + "/topics/orders/messages?consumerGroup=billing&commit=false", null, 200);
    assertThat(values(peek)).containsExactly("m10");
    assertThat(
            values(
                api.call("GET", base + "/topics/orders/messages?consumerGroup=billing", null, 200)))
        .containsExactly("m10");

    // Stateless reads: an offset, the beginning, a timestamp, the end
    assertThat(
            values(
                api.call(
                    "GET",
                    base + "/topics/orders/messages?partition=0&offset=8&maxMessages=2",
                    null,
                    200)))
        .containsExactly("m8", "m9");
    assertThat(values(api.call("GET", base + "/topics/orders/messages?maxMessages=1", null, 200)))
        .containsExactly("m0");
    long future = System.currentTimeMillis() + 60_000;
    assertThat(
            api.call(
                    "GET",
                    base + "/topics/orders/messages?timestamp=" + future + "&timeoutMs=100",
                    null,
                    200)
                .path("count")
                .asInt())
        .isZero();
    assertThat(
            values(
                api.call(
                    "GET", base + "/topics/orders/messages?timestamp=0&maxMessages=2", null, 200)))
        .containsExactly("m0", "m1");

    // A group whose first read starts at the end sees only what comes after it
    api.call(
        "GET",
        base + "/topics/orders/messages?consumerGroup=late&from=latest&timeoutMs=100",
        null,
        200);
    api.call("POST", base + "/topics/orders/messages", "{\"value\":\"m11\"}", 201);
    assertThat(
            values(api.call("GET", base + "/topics/orders/messages?consumerGroup=late", null, 200)))
        .containsExactly("m11");

    // The byte cap: one record at least, then no more than maxBytes
    JsonNode capped =
        api.call("GET", base + "/topics/orders/messages?maxBytes=5&maxMessages=10", null, 200);
    assertThat(capped.path("count").asInt()).isEqualTo(2); // "m0" + "m1" = 4 bytes, "m2" exceeds
  }

  @Test
  void anIdempotencyKeyProducesOnce() {
    api.call("POST", base + "/topics", "{\"name\":\"payments\",\"partitions\":1}", 201);
    String body = "{\"key\":\"p-1\",\"value\":\"charged\"}";
    var first =
        api.http()
            .post()
            .uri(base + "/topics/payments/messages")
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", "pay-1")
            .header("Content-Type", "application/json")
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectHeader()
            .valueEquals("Idempotent-Replayed", "false")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    var retry =
        api.http()
            .post()
            .uri(base + "/topics/payments/messages")
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", "pay-1")
            .header("Content-Type", "application/json")
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectHeader()
            .valueEquals("Idempotent-Replayed", "true")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(ApiCalls.JSON.readTree(retry)).isEqualTo(ApiCalls.JSON.readTree(first));
    JsonNode reuse =
        api.http()
            .post()
            .uri(base + "/topics/payments/messages")
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", "pay-1")
            .header("Content-Type", "application/json")
            .bodyValue("{\"key\":\"p-1\",\"value\":\"refunded\"}")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(reuse.path("error").path("code").asString()).isEqualTo("IdempotencyKeyReused");
    assertThat(values(api.call("GET", base + "/topics/payments/messages", null, 200)))
        .containsExactly("charged");
  }

  @Test
  void tenantsNeverSeeEachOther() {
    api.call("POST", base + "/topics", "{\"name\":\"private\"}", 201);
    api.call("POST", base + "/topics/private/messages", "{\"value\":\"secret\"}", 201);

    String strangerTenant = "t-" + UUID.randomUUID();
    String stranger = TestJwtIssuer.shared().token(strangerTenant, "admin");
    assertThat(api.status("GET", base + "/topics", stranger, null)).isEqualTo(403);
    assertThat(api.status("GET", base + "/topics/private/messages", stranger, null)).isEqualTo(403);
    assertThat(api.status("POST", base + "/topics/private/messages", stranger, "{\"value\":\"x\"}"))
        .isEqualTo(403);
    assertThat(api.status("GET", base + "/consumer-groups", stranger, null)).isEqualTo(403);

    // The stranger's own instance shows none of it, even with the same topic name
    String strangerService = UUID.randomUUID().toString();
    KafkaTestInstances.announce(outbox, strangerTenant, strangerService, "theirs");
    String strangerBase = "/api/kafka/" + strangerTenant + "/" + strangerService;
    ApiCalls strangerApi = new ApiCalls(api.http(), stranger);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.status("GET", strangerBase + "/topics", stranger, null) == 200);
    assertThat(strangerApi.call("GET", strangerBase + "/topics", null, 200).path("count").asInt())
        .isZero();
    strangerApi.error(
        "GET", strangerBase + "/topics/private/messages", null, 404, "UnknownTopicOrPartition");
    strangerApi.call("POST", strangerBase + "/topics", "{\"name\":\"private\"}", 201);
    assertThat(
            strangerApi
                .call("GET", strangerBase + "/topics/private/messages", null, 200)
                .path("count")
                .asInt())
        .isZero();

    // An API key bound to another instance of the same tenant does not reach this one
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, "admin");
    claims.put(CumulusClaims.API_KEY_ID, "key-1");
    claims.put(CumulusClaims.SERVICE_ID, UUID.randomUUID().toString());
    assertThat(api.status("GET", base + "/topics", TestJwtIssuer.shared().token(claims), null))
        .isEqualTo(403);
    claims.put(CumulusClaims.SERVICE_ID, service);
    assertThat(api.status("GET", base + "/topics", TestJwtIssuer.shared().token(claims), null))
        .isEqualTo(200);

    // Unknown instance, no token
    assertThat(
            api.status(
                "GET", "/api/kafka/" + tenant + "/" + UUID.randomUUID() + "/topics", token, null))
        .isEqualTo(404);
    assertThat(api.status("GET", base + "/topics", null, null)).isEqualTo(401);
  }

  @Test
  void aConsumerGroupIsDeletedByItsInstanceOnly() {
    api.call("POST", base + "/topics", "{\"name\":\"tailed\"}", 201);
    api.call("POST", base + "/topics/tailed/messages", "{\"value\":\"one\"}", 201);
    String read = base + "/topics/tailed/messages?consumerGroup=console-tail-1&timeoutMs=5000";
    assertThat(api.call("GET", read, null, 200).path("count").asInt()).isEqualTo(1);
    assertThat(api.call("GET", base + "/consumer-groups", null, 200).path("count").asInt())
        .isEqualTo(1);

    // Another tenant can neither delete it nor learn whether it exists
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(api.status("DELETE", base + "/consumer-groups/console-tail-1", stranger, null))
        .isEqualTo(403);
    api.error("DELETE", base + "/consumer-groups/no-such-group", null, 404, "GroupIdNotFound");
    api.error("DELETE", base + "/consumer-groups/bad~name", null, 400, "InvalidTopicException");

    api.call("DELETE", base + "/consumer-groups/console-tail-1", null, 204);
    assertThat(api.call("GET", base + "/consumer-groups", null, 200).path("count").asInt())
        .isZero();
    api.error("DELETE", base + "/consumer-groups/console-tail-1", null, 404, "GroupIdNotFound");
    // Its committed offsets went with it: the same name starts over
    assertThat(api.call("GET", read, null, 200).path("count").asInt()).isEqualTo(1);
  }

  @Test
  void badInputIsA4xxInTheEnvelope() {
    api.call("POST", base + "/topics", "{\"name\":\"strict\",\"partitions\":2}", 201);
    api.error("POST", base + "/topics", "{\"name\":\"strict\"}", 409, "TopicAlreadyExists");
    api.error("POST", base + "/topics", "{\"partitions\":2}", 400, "MissingParameter");
    api.error("POST", base + "/topics", "{\"name\":\"bad name!\"}", 400, "InvalidTopicException");
    api.error(
        "POST", base + "/topics", "{\"name\":\"zero\",\"partitions\":0}", 400, "InvalidPartitions");
    api.error(
        "POST",
        base + "/topics",
        "{\"name\":\"rf\",\"replicationFactor\":3}",
        400,
        "InvalidReplicationFactor");
    api.error(
        "POST",
        base + "/topics",
        "{\"name\":\"zip\",\"compressionType\":\"rar\"}",
        400,
        "InvalidParameterValue");
    assertThat(api.call("POST", base + "/topics", "{not json", 400).path("error").isObject())
        .isTrue();

    // Unknown topic: details, produce, consume, delete
    api.error("GET", base + "/topics/nope", null, 404, "UnknownTopicOrPartition");
    api.error(
        "POST",
        base + "/topics/nope/messages",
        "{\"value\":\"x\"}",
        404,
        "UnknownTopicOrPartition");
    api.error("GET", base + "/topics/nope/messages", null, 404, "UnknownTopicOrPartition");
    api.error("DELETE", base + "/topics/nope", null, 404, "UnknownTopicOrPartition");
    assertThat(topics.instanceTopics(new TopicNames(tenant, service)).block())
        .as("producing to an unknown topic must not create it")
        .hasSize(1);

    // Invalid partition
    api.error(
        "POST",
        base + "/topics/strict/messages",
        "{\"value\":\"x\",\"partition\":2}",
        404,
        "UnknownTopicOrPartition");
    api.error(
        "POST",
        base + "/topics/strict/messages",
        "{\"value\":\"x\",\"partition\":-1}",
        400,
        "InvalidParameterValue");
    api.error(
        "GET", base + "/topics/strict/messages?partition=7", null, 404, "UnknownTopicOrPartition");
    api.error(
        "GET", base + "/topics/strict/messages?partition=x", null, 400, "InvalidParameterValue");

    // Oversized record, bad base64, bad parameters
    String big = "x".repeat((int) properties.maxRecordBytes().toBytes() + 1);
    api.error(
        "POST",
        base + "/topics/strict/messages",
        "{\"value\":\"" + big + "\"}",
        413,
        "RecordTooLarge");
    api.error(
        "POST",
        base + "/topics/strict/messages",
        "{\"valueBase64\":\"not base64!\"}",
        400,
        "InvalidParameterValue");
    api.error("POST", base + "/topics/strict/messages", "{\"records\":[]}", 400, "InvalidRequest");
    api.error(
        "POST", base + "/topics/strict/messages", "{\"records\":[null]}", 400, "InvalidRequest");
    api.error(
        "POST",
        base + "/topics/strict/messages",
        "{\"value\":\"x\",\"timestamp\":-5}",
        400,
        "InvalidParameterValue");
    api.error(
        "GET", base + "/topics/strict/messages?maxMessages=0", null, 400, "InvalidParameterValue");
    api.error(
        "GET",
        base + "/topics/strict/messages?timeoutMs=999999999",
        null,
        400,
        "InvalidParameterValue");
    api.error(
        "GET", base + "/topics/strict/messages?from=middle", null, 400, "InvalidParameterValue");
    api.error("GET", base + "/topics/strict/messages?offset=3", null, 400, "InvalidRequest");
    api.error(
        "GET",
        base + "/topics/strict/messages?timestamp=yesterday",
        null,
        400,
        "InvalidParameterValue");
    api.error(
        "GET", base + "/topics/strict/messages?timestamp=-5", null, 400, "InvalidParameterValue");
    api.error(
        "GET",
        base + "/topics/strict/messages?timestamp=1969-12-31T23:59:59Z",
        null,
        400,
        "InvalidParameterValue");
    api.error("GET", base + "/topics/bad!name/messages", null, 400, "InvalidTopicException");
  }

  private static List<String> values(JsonNode messages) {
    List<String> values = new ArrayList<>();
    messages.path("messages").forEach(m -> values.add(m.path("value").asString()));
    return values;
  }

  private static KafkaProducer<byte[], byte[]> nativeProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SaslKafkaBroker.shared().bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
