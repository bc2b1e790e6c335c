package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.domain.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * The Confluent REST Proxy v3 subset: a cluster is an instance; topics, produce (one record and the
 * streaming mode with per-record delivery reports), consumer groups and lags, and Confluent's error
 * format.
 */
class ConfluentV3IT extends KafkaServiceIT {

  @Autowired KafkaServiceProperties properties;

  @Test
  void topicsRecordsAndGroupsInConfluentsShapes() {
    String cluster = "/kafka/v3/clusters/" + service;
    JsonNode info = api.call("GET", cluster, null, 200);
    assertThat(info.path("kind").asString()).isEqualTo("KafkaCluster");
    assertThat(info.path("cluster_id").asString()).isEqualTo(service);

    JsonNode created =
        api.call(
            "POST",
            cluster + "/topics",
            """
            {"topic_name": "clicks", "partitions_count": 2, "replication_factor": 1,
             "configs": [{"name": "cleanup.policy", "value": "delete"},
                         {"name": "retention.ms", "value": "3600000"}]}
            """,
            201);
    assertThat(created.path("kind").asString()).isEqualTo("KafkaTopic");
    assertThat(created.path("partitions_count").asInt()).isEqualTo(2);
    JsonNode listed = api.call("GET", cluster + "/topics", null, 200);
    assertThat(listed.path("data").get(0).path("topic_name").asString()).isEqualTo("clicks");
    assertThat(
            api.call("GET", cluster + "/topics/clicks/partitions", null, 200).path("data").size())
        .isEqualTo(2);

    // One record: JSON key, BINARY value, a header
    JsonNode report =
        api.call(
            "POST",
            cluster + "/topics/clicks/records",
            """
            {"partition_id": 1, "key": {"type": "JSON", "data": {"user": 7}},
             "value": {"type": "BINARY", "data": "AQID"},
             "headers": [{"name": "trace", "value": "dHJhY2UtMQ=="}]}
            """,
            200);
    assertThat(report.path("error_code").asInt()).isEqualTo(200);
    assertThat(report.path("partition_id").asInt()).isEqualTo(1);
    assertThat(report.path("offset").asLong()).isZero();
    assertThat(report.path("value").path("size").asInt()).isEqualTo(3);

    // Streaming mode: concatenated records, one report each, a bad record does not stop the rest
    List<JsonNode> reports =
        reports(
            api.http()
                .post()
                .uri(cluster + "/topics/clicks/records")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .bodyValue(
                    """
                    {"partition_id": 0, "value": {"type": "STRING", "data": "a"}}
                    {"partition_id": 9, "value": {"type": "STRING", "data": "b"}}
                    {"partition_id": 0, "value": {"type": "JSON", "data": [1, 2]}}
                    """)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    assertThat(reports).hasSize(3);
    assertThat(reports.get(0).path("offset").asLong()).isZero();
    assertThat(reports.get(1).path("error_code").asInt()).isEqualTo(40402);
    assertThat(reports.get(2).path("offset").asLong()).isEqualTo(1);

    // A native consumer reads what the v3 API produced
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        SaslKafkaBroker.shared()
            .platformConsumer(new TopicNames(tenant, service).topic("clicks"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 3;
              });
    }
    ConsumerRecord<String, byte[]> first =
        seen.stream().filter(r -> r.partition() == 1).findFirst().orElseThrow();
    assertThat(first.key()).isEqualTo("{\"user\":7}");
    assertThat(first.value()).containsExactly(1, 2, 3);
    assertThat(new String(first.headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
        .isEqualTo("trace-1");
    assertThat(seen.stream().filter(r -> r.partition() == 0).map(r -> new String(r.value())))
        .containsExactly("a", "[1,2]");

    // A group (consumed through the seed API) and its lags
    api.call(
        "GET",
        base + "/topics/clicks/messages?consumerGroup=dash&maxMessages=1&partition=0",
        null,
        200);
    JsonNode groups = api.call("GET", cluster + "/consumer-groups", null, 200);
    assertThat(groups.path("data").get(0).path("consumer_group_id").asString()).isEqualTo("dash");
    JsonNode lags = api.call("GET", cluster + "/consumer-groups/dash/lags", null, 200);
    JsonNode lag = lags.path("data").get(0);
    assertThat(lag.path("partition_id").asInt()).isZero();
    assertThat(lag.path("current_offset").asLong()).isEqualTo(1);
    assertThat(lag.path("log_end_offset").asLong()).isEqualTo(2);
    assertThat(lag.path("lag").asLong()).isEqualTo(1);
    assertThat(
            api.call("GET", cluster + "/consumer-groups/dash/lag-summary", null, 200)
                .path("total_lag")
                .asLong())
        .isEqualTo(1);

    api.call("DELETE", cluster + "/topics/clicks", null, 204);
  }

  @Test
  void recordsAreReadByOffsetOrGroupAndPushedOverServerSentEvents() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"feed\",\"partitions_count\":1}", 201);
    for (String v : new String[] {"a", "b", "c"}) {
      api.call(
          "POST",
          cluster + "/topics/feed/records",
          "{\"value\":{\"type\":\"STRING\",\"data\":\"" + v + "\"}}",
          200);
    }
    JsonNode fromOffset =
        api.call("GET", cluster + "/topics/feed/records?partition_id=0&offset=1", null, 200);
    assertThat(fromOffset.path("kind").asString()).isEqualTo("KafkaRecordList");
    assertThat(decoded(fromOffset)).containsExactly("b", "c");
    JsonNode group =
        api.call(
            "GET", cluster + "/topics/feed/records?consumer_group=v3&max_records=2", null, 200);
    assertThat(decoded(group)).containsExactly("a", "b");

    // Push: the group continues at "c", then gets what is produced while the stream is open
    var events =
        api.http()
            .get()
            .uri(cluster + "/topics/feed/records?consumer_group=v3")
            .header("Authorization", "Bearer " + token)
            .accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(
                new org.springframework.core.ParameterizedTypeReference<
                    org.springframework.http.codec.ServerSentEvent<JsonNode>>() {})
            .getResponseBody();
    List<String> pushed = new ArrayList<>();
    events
        // The test produces from the handler: off the client's event loop.
        .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
        .doOnNext(
            event -> {
              pushed.add(
                  new String(
                      java.util.Base64.getDecoder()
                          .decode(event.data().path("value").path("data").asString())));
              if (pushed.size() == 1) {
                assertThat(event.id()).isEqualTo("0:2");
                api.call(
                    "POST",
                    cluster + "/topics/feed/records",
                    "{\"value\":{\"type\":\"STRING\",\"data\":\"d\"}}",
                    200);
              }
            })
        .take(2)
        .blockLast(Duration.ofSeconds(30));
    assertThat(pushed).containsExactly("c", "d");
  }

  private static List<String> decoded(JsonNode list) {
    List<String> values = new ArrayList<>();
    list.path("data")
        .forEach(
            r ->
                values.add(
                    new String(
                        java.util.Base64.getDecoder()
                            .decode(r.path("value").path("data").asString()),
                        StandardCharsets.UTF_8)));
    return values;
  }

  @Test
  void errorsUseConfluentsFormat() {
    String cluster = "/kafka/v3/clusters/" + service;
    assertThat(api.call("GET", cluster + "/topics/nope", null, 404).path("error_code").asInt())
        .isEqualTo(40401);
    assertThat(
            api.call("GET", "/kafka/v3/clusters/" + UUID.randomUUID() + "/topics", null, 404)
                .path("error_code")
                .asInt())
        .isEqualTo(40403);
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"dup\"}", 201);
    JsonNode conflict = api.call("POST", cluster + "/topics", "{\"topic_name\":\"dup\"}", 409);
    assertThat(conflict.path("error_code").asInt()).isEqualTo(40902);
    assertThat(conflict.path("message").asString()).contains("dup");
    JsonNode bad =
        api.call(
            "POST",
            cluster + "/topics/dup/records",
            "{\"value\":{\"type\":\"BINARY\",\"data\":\"%%%\"}}",
            200);
    assertThat(bad.path("error_code").asInt()).isEqualTo(40002);
    assertThat(
            api.call("GET", cluster + "/consumer-groups/none/lags", null, 404)
                .path("error_code")
                .asInt())
        .isEqualTo(40404);
  }

  /** Issue 25's bad input in the v3 family: each a Confluent error, never a 500. */
  @Test
  void badInputGetsConfluentsErrorsNeverA500() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call(
        "POST", cluster + "/topics", "{\"topic_name\":\"strict\",\"partitions_count\":2}", 201);
    String records = cluster + "/topics/strict/records";

    // Unknown topic
    assertThat(
            code(
                api.call("POST", cluster + "/topics/nope/records", record("STRING", "\"x\""), 200)))
        .isEqualTo(40401);
    assertThat(code(api.call("GET", cluster + "/topics/nope/records", null, 404))).isEqualTo(40401);
    // Invalid partition
    assertThat(
            code(
                api.call(
                    "POST",
                    records,
                    "{\"partition_id\": 2, \"value\": {\"type\": \"STRING\", \"data\": \"x\"}}",
                    200)))
        .isEqualTo(40402);
    assertThat(code(api.call("GET", records + "?partition_id=7", null, 404))).isEqualTo(40402);
    assertThat(code(api.call("GET", records + "?partition_id=x", null, 400))).isEqualTo(40002);
    // Oversized record
    String big = "\"" + "x".repeat((int) properties.maxRecordBytes().toBytes() + 1) + "\"";
    assertThat(code(api.call("POST", records, record("STRING", big), 200)) / 100).isEqualTo(413);
    // Bad base64: value, key, header
    assertThat(code(api.call("POST", records, record("BINARY", "\"%%%\""), 200))).isEqualTo(40002);
    assertThat(
            code(
                api.call(
                    "POST",
                    records,
                    "{\"key\": {\"type\": \"BINARY\", \"data\": \"a b\"}, \"value\": {\"type\": \"STRING\", \"data\": \"x\"}}",
                    200)))
        .isEqualTo(40002);
    assertThat(
            code(
                api.call(
                    "POST",
                    records,
                    "{\"headers\": [{\"name\": \"h\", \"value\": \"!!\"}], \"value\": {\"type\": \"STRING\", \"data\": \"x\"}}",
                    200)))
        .isEqualTo(40002);
    // Bad consume parameters
    assertThat(code(api.call("GET", records + "?max_records=0", null, 400))).isEqualTo(40002);
    assertThat(code(api.call("GET", records + "?offset=3", null, 400))).isEqualTo(40002);
    // Nothing was produced by any of it
    assertThat(api.call("GET", records + "?timeout_ms=200", null, 200).path("data").size())
        .isZero();
  }

  private static String record(String type, String data) {
    return "{\"value\": {\"type\": \"" + type + "\", \"data\": " + data + "}}";
  }

  private static int code(JsonNode error) {
    assertThat(error.path("message").asString()).isNotBlank();
    return error.path("error_code").asInt();
  }

  @Test
  void anIdempotencyKeyProducesOnceInV3() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call(
        "POST", cluster + "/topics", "{\"topic_name\":\"payments\",\"partitions_count\":1}", 201);
    String records =
        """
        {"value": {"type": "STRING", "data": "charged"}}
        {"value": {"type": "STRING", "data": "shipped"}}
        """;
    var first = produce(cluster + "/topics/payments/records", "order-7", records);
    assertThat(first.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("false");
    List<JsonNode> reports = reports(first.getResponseBody());
    assertThat(reports).extracting(r -> r.path("offset").asLong()).containsExactly(0L, 1L);

    // The retry gets the same reports and produces nothing
    var retry = produce(cluster + "/topics/payments/records", "order-7", records);
    assertThat(retry.getStatus().value()).isEqualTo(200);
    assertThat(retry.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(reports(retry.getResponseBody())).isEqualTo(reports);
    // The same key with other records: refused
    var reused =
        produce(
            cluster + "/topics/payments/records",
            "order-7",
            "{\"value\": {\"type\": \"STRING\", \"data\": \"refunded\"}}");
    assertThat(reused.getStatus().value()).isEqualTo(400);
    assertThat(ApiCalls.JSON.readTree(reused.getResponseBody()).path("error_code").asInt())
        .isEqualTo(40002);
    // Nothing delivered (unknown topic): the key is released, the corrected retry runs
    var missed = produce(cluster + "/topics/nope/records", "order-8", records);
    assertThat(reports(missed.getResponseBody()))
        .allSatisfy(r -> assertThat(r.path("error_code").asInt()).isEqualTo(40401));
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"nope\"}", 201);
    var again = produce(cluster + "/topics/nope/records", "order-8", records);
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("false");
    assertThat(reports(again.getResponseBody()))
        .allSatisfy(r -> assertThat(r.path("error_code").asInt()).isEqualTo(200));

    assertThat(
            decoded(
                api.call("GET", cluster + "/topics/payments/records?max_records=10", null, 200)))
        .containsExactly("charged", "shipped");
  }

  private org.springframework.test.web.reactive.server.EntityExchangeResult<byte[]> produce(
      String uri, String key, String body) {
    return api.http()
        .post()
        .uri(uri)
        .header("Authorization", "Bearer " + token)
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .bodyValue(body)
        .exchange()
        .expectBody(byte[].class)
        .returnResult();
  }

  private static List<JsonNode> reports(byte[] body) {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = ApiCalls.JSON.readerFor(JsonNode.class).readValues(body)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }
}
