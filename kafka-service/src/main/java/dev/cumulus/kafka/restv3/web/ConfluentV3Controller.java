package dev.cumulus.kafka.restv3.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.application.ConsumeService;
import dev.cumulus.kafka.topics.application.GroupService;
import dev.cumulus.kafka.topics.application.IdempotentProduce;
import dev.cumulus.kafka.topics.application.ProduceService;
import dev.cumulus.kafka.topics.application.TopicService;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.ConsumerGroup;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.OutgoingRecord;
import dev.cumulus.kafka.topics.domain.TopicDetails;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.kafka.topics.domain.TopicSpec;
import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Confluent REST Proxy v3 subset most tools use, over the same domain as the seed's API. A
 * "cluster" is one kafka instance: {@code cluster_id} is the instance's service id, and the
 * caller's tenant must own it. Errors use Confluent's {@code {"error_code","message"}}.
 */
@RestController
@RequestMapping("/kafka/v3/clusters/{clusterId}")
public class ConfluentV3Controller extends V3Endpoints {

  private final TopicService topics;
  private final ProduceService producer;
  private final GroupService groups;
  private final ObjectMapper json;
  private final ConsumeService consumer;
  private final IdempotentProduce idempotent;
  private final KafkaServiceProperties.Consume limits;

  public ConfluentV3Controller(
      V3Clusters clusters,
      TopicService topics,
      ProduceService producer,
      GroupService groups,
      ConsumeService consumer,
      IdempotentProduce idempotent,
      KafkaServiceProperties properties,
      ObjectMapper json) {
    super(clusters);
    this.idempotent = idempotent;
    this.consumer = consumer;
    this.limits = properties.consume();
    this.topics = topics;
    this.producer = producer;
    this.groups = groups;
    this.json = json;
  }

  public record TopicConfig(String name, String value) {}

  public record CreateTopic(
      String topic_name,
      Integer partitions_count,
      Integer replication_factor,
      List<TopicConfig> configs) {}

  /** A record of the produce API: key and value are {@code {type, data}}, headers base64. */
  public record ProduceRecord(
      Integer partition_id, List<Header> headers, Data key, Data value, Instant timestamp) {}

  public record Header(String name, String value) {}

  /** {@code type}: BINARY (base64 data), JSON (any JSON data) or STRING. */
  public record Data(String type, JsonNode data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeliveryReport(
      int error_code,
      String message,
      String cluster_id,
      String topic_name,
      Integer partition_id,
      Long offset,
      Instant timestamp,
      Map<String, Object> key,
      Map<String, Object> value) {}

  @GetMapping
  Mono<Map<String, Object>> cluster(@PathVariable String clusterId) {
    return names(clusterId)
        .flatMap(names -> topics.cluster())
        .map(
            info -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("kind", "KafkaCluster");
              body.put("metadata", V3Links.metadata("/kafka/v3/clusters/" + clusterId));
              body.put("cluster_id", clusterId);
              body.put(
                  "controller",
                  Map.of(
                      "related",
                      "/kafka/v3/clusters/" + clusterId + "/brokers/" + info.controller().id()));
              body.put("topics", Map.of("related", "/kafka/v3/clusters/" + clusterId + "/topics"));
              return body;
            });
  }

  @GetMapping("/topics")
  Mono<Map<String, Object>> listTopics(@PathVariable String clusterId) {
    return names(clusterId)
        .flatMap(
            names ->
                topics
                    .list(names)
                    .map(
                        list ->
                            list(
                                "KafkaTopicList",
                                "/kafka/v3/clusters/" + clusterId + "/topics",
                                list.stream()
                                    .map(
                                        t ->
                                            topic(
                                                clusterId,
                                                t.name(),
                                                t.partitions(),
                                                t.replicationFactor()))
                                    .toList())));
  }

  @PostMapping("/topics")
  Mono<ResponseEntity<Map<String, Object>>> createTopic(
      @PathVariable String clusterId, @RequestBody CreateTopic body) {
    Map<String, String> configs = new LinkedHashMap<>();
    if (body.configs() != null) {
      body.configs().forEach(c -> configs.put(c.name(), c.value()));
    }
    TopicSpec seed =
        TopicSpec.of(
            body.topic_name(),
            body.partitions_count(),
            body.replication_factor(),
            configs.containsKey("retention.ms") ? parseLong(configs.get("retention.ms")) : null,
            configs.get("compression.type"),
            configs.get("cleanup.policy"));
    Map<String, String> all = new LinkedHashMap<>(configs);
    all.putAll(seed.configs());
    TopicSpec spec = new TopicSpec(seed.name(), seed.partitions(), seed.replicationFactor(), all);
    return names(clusterId)
        .flatMap(names -> topics.create(names, spec))
        .map(
            d ->
                ResponseEntity.status(HttpStatus.CREATED)
                    .body(
                        topic(clusterId, d.name(), d.partitions().size(), d.replicationFactor())));
  }

  @GetMapping("/topics/{topic}")
  Mono<Map<String, Object>> getTopic(@PathVariable String clusterId, @PathVariable String topic) {
    return names(clusterId)
        .flatMap(names -> topics.details(names, topic))
        .map(d -> topic(clusterId, d.name(), d.partitions().size(), d.replicationFactor()));
  }

  @DeleteMapping("/topics/{topic}")
  Mono<ResponseEntity<Void>> deleteTopic(
      @PathVariable String clusterId, @PathVariable String topic) {
    return names(clusterId)
        .flatMap(names -> topics.delete(names, topic))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping("/topics/{topic}/partitions")
  Mono<Map<String, Object>> partitions(@PathVariable String clusterId, @PathVariable String topic) {
    return names(clusterId)
        .flatMap(names -> topics.details(names, topic))
        .map(
            d -> {
              String self = "/kafka/v3/clusters/" + clusterId + "/topics/" + topic + "/partitions";
              List<Object> data = new ArrayList<>();
              for (TopicDetails.Partition p : d.partitions()) {
                Map<String, Object> partition = new LinkedHashMap<>();
                partition.put("kind", "KafkaPartition");
                partition.put("metadata", V3Links.metadata(self + "/" + p.partition()));
                partition.put("cluster_id", clusterId);
                partition.put("topic_name", topic);
                partition.put("partition_id", p.partition());
                data.add(partition);
              }
              return list("KafkaPartitionList", self, data);
            });
  }

  /**
   * Produce, including Confluent's streaming mode: the body is one record or a stream of
   * concatenated records, and the answer is one delivery report per record, in order, written as
   * each is acknowledged (one JSON object per line). A failed record gets an error report; the
   * stream goes on.
   */
  @PostMapping(value = "/topics/{topic}/records", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<Void> produce(
      @PathVariable String clusterId,
      @PathVariable String topic,
      @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody Flux<ProduceRecord> records,
      ServerHttpResponse response) {
    if (idempotencyKey != null) {
      return names(clusterId)
          .flatMap(names -> produceOnce(names, clusterId, topic, idempotencyKey, records))
          .flatMap(
              answer -> {
                response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                response
                    .getHeaders()
                    .set("Idempotent-Replayed", Boolean.toString(answer.replayed()));
                byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
                return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
              });
    }
    return names(clusterId)
        .flatMap(
            names -> {
              response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
              Flux<DeliveryReport> reports =
                  records
                      .concatMap(record -> report(names, clusterId, topic, record), 1)
                      .onErrorResume(
                          ServerWebInputException.class,
                          e ->
                              Flux.just(
                                  failed(
                                      KafkaErrors.invalidRequest(
                                          "Unreadable record: " + e.getReason()))));
              return response.writeAndFlushWith(
                  reports.map(report -> Mono.just(line(response, report))));
            });
  }

  /**
   * Produce with an {@code Idempotency-Key} (as the seed's produce): the records are read whole,
   * produced once per key, and their delivery reports kept as the answer a retry gets again. The
   * key is released when no record was delivered, so such a request can be retried.
   */
  private Mono<IdempotentProduce.Answer> produceOnce(
      TopicNames names, String clusterId, String topic, String key, Flux<ProduceRecord> records) {
    return records
        .collectList()
        .flatMap(
            list ->
                idempotent.once(
                    clusterId,
                    key,
                    IdempotentProduce.requestHash(
                        "v3\n" + topic + "\n" + json.writeValueAsString(list)),
                    () ->
                        Flux.fromIterable(list)
                            .concatMap(record -> report(names, clusterId, topic, record), 1)
                            .map(report -> json.writeValueAsString(report) + "\n")
                            .collect(Collectors.joining()),
                    answer -> answer.contains("\"error_code\":200")));
  }

  private Mono<DeliveryReport> report(
      TopicNames names, String clusterId, String topic, ProduceRecord record) {
    OutgoingRecord outgoing;
    try {
      outgoing = V3ProduceRecords.outgoing(json, record);
    } catch (ApiException e) {
      return Mono.just(failed(e));
    }
    return producer
        .produce(names, topic, outgoing)
        .map(
            produced ->
                new DeliveryReport(
                    200,
                    null,
                    clusterId,
                    topic,
                    produced.partition(),
                    produced.offset(),
                    Instant.ofEpochMilli(produced.timestamp()),
                    size(record.key(), outgoing.key()),
                    size(record.value(), outgoing.value())))
        .onErrorResume(ApiException.class, e -> Mono.just(failed(e)));
  }

  /**
   * Consume (beyond Confluent's v3, which has none): stateless from {@code from} (earliest/latest),
   * an {@code offset} in {@code partition_id}, or a {@code consumer_group}'s committed offsets
   * (committing past what is returned). With {@code Accept: text/event-stream} records are pushed
   * as Server-Sent Events (id {@code partition:offset}) as they arrive, until the client goes away.
   */
  @GetMapping(value = "/topics/{topic}/records", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> consume(
      @PathVariable String clusterId,
      @PathVariable String topic,
      @RequestParam(name = "partition_id", required = false) Integer partition,
      @RequestParam(required = false) Long offset,
      @RequestParam(name = "consumer_group", required = false) String group,
      @RequestParam(name = "max_records", defaultValue = "100") int maxRecords,
      @RequestParam(name = "timeout_ms", defaultValue = "1000") long timeoutMs,
      @RequestParam(defaultValue = "earliest") String from) {
    ConsumeRequest request =
        V3Records.consumeRequest(
            limits, topic, partition, offset, group, maxRecords, timeoutMs, from);
    return names(clusterId)
        .flatMap(names -> consumer.consume(names, topic, request))
        .map(
            records ->
                list(
                    "KafkaRecordList",
                    "/kafka/v3/clusters/" + clusterId + "/topics/" + topic + "/records",
                    records.stream().map(r -> V3Records.record(clusterId, r)).toList()));
  }

  @GetMapping(value = "/topics/{topic}/records", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<Map<String, Object>>> push(
      @PathVariable String clusterId,
      @PathVariable String topic,
      @RequestParam(name = "partition_id", required = false) Integer partition,
      @RequestParam(required = false) Long offset,
      @RequestParam(name = "consumer_group", required = false) String group,
      @RequestParam(name = "max_records", defaultValue = "100") int maxRecords,
      @RequestParam(defaultValue = "earliest") String from) {
    ConsumeRequest first =
        V3Records.pushRequest(limits, topic, partition, offset, group, maxRecords, from);
    return names(clusterId)
        .flatMapMany(names -> consumer.follow(names, topic, first))
        .map(
            r ->
                ServerSentEvent.builder(V3Records.record(clusterId, r))
                    .id(r.partition() + ":" + r.offset())
                    .event("record")
                    .build());
  }

  @GetMapping("/consumer-groups")
  Mono<Map<String, Object>> consumerGroups(@PathVariable String clusterId) {
    return names(clusterId)
        .flatMap(groups::list)
        .map(
            list ->
                list(
                    "KafkaConsumerGroupList",
                    "/kafka/v3/clusters/" + clusterId + "/consumer-groups",
                    list.stream().map(g -> group(clusterId, g)).toList()));
  }

  @GetMapping("/consumer-groups/{group}/lags")
  Mono<Map<String, Object>> lags(@PathVariable String clusterId, @PathVariable String group) {
    return names(clusterId)
        .flatMap(names -> groups.list(names).map(all -> find(all, group)))
        .map(
            g -> {
              String self =
                  "/kafka/v3/clusters/" + clusterId + "/consumer-groups/" + group + "/lags";
              List<Object> data = new ArrayList<>();
              for (ConsumerGroup.PartitionLag lag : g.partitions()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("kind", "KafkaConsumerLag");
                item.put("metadata", V3Links.metadata(self));
                item.put("cluster_id", clusterId);
                item.put("consumer_group_id", group);
                item.put("topic_name", lag.topic());
                item.put("partition_id", lag.partition());
                item.put("current_offset", lag.committedOffset());
                item.put("log_end_offset", lag.endOffset());
                item.put("lag", lag.lag());
                data.add(item);
              }
              return list("KafkaConsumerLagList", self, data);
            });
  }

  @GetMapping("/consumer-groups/{group}/lag-summary")
  Mono<Map<String, Object>> lagSummary(@PathVariable String clusterId, @PathVariable String group) {
    return names(clusterId)
        .flatMap(names -> groups.list(names).map(all -> find(all, group)))
        .map(
            g -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("kind", "KafkaConsumerGroupLagSummary");
              body.put(
                  "metadata",
                  V3Links.metadata(
                      "/kafka/v3/clusters/"
                          + clusterId
                          + "/consumer-groups/"
                          + group
                          + "/lag-summary"));
              body.put("cluster_id", clusterId);
              body.put("consumer_group_id", group);
              ConsumerGroup.PartitionLag max =
                  g.partitions().stream()
                      .max(java.util.Comparator.comparingLong(ConsumerGroup.PartitionLag::lag))
                      .orElse(null);
              body.put("max_lag", max == null ? 0 : max.lag());
              body.put("total_lag", g.totalLag());
              body.put("max_lag_topic_name", max == null ? null : max.topic());
              body.put("max_lag_partition_id", max == null ? null : max.partition());
              return body;
            });
  }

  private static Map<String, Object> size(Data data, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    return Map.of("type", data.type() == null ? "JSON" : data.type(), "size", bytes.length);
  }

  private static DeliveryReport failed(ApiException e) {
    V3Error error = V3Error.of(e);
    return new DeliveryReport(
        error.error_code(), error.message(), null, null, null, null, null, null, null);
  }

  private DataBuffer line(ServerHttpResponse response, DeliveryReport report) {
    byte[] bytes = (json.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8);
    return response.bufferFactory().wrap(bytes);
  }

  private static ConsumerGroup find(List<ConsumerGroup> all, String group) {
    return all.stream()
        .filter(g -> g.groupId().equals(group))
        .findFirst()
        .orElseThrow(() -> KafkaErrors.unknownGroup(group));
  }

  private static Map<String, Object> topic(
      String clusterId, String name, int partitions, int replicationFactor) {
    String self = "/kafka/v3/clusters/" + clusterId + "/topics/" + name;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "KafkaTopic");
    body.put("metadata", V3Links.metadata(self));
    body.put("cluster_id", clusterId);
    body.put("topic_name", name);
    body.put("is_internal", false);
    body.put("replication_factor", replicationFactor);
    body.put("partitions_count", partitions);
    body.put("partitions", Map.of("related", self + "/partitions"));
    body.put("configs", Map.of("related", self + "/configs"));
    return body;
  }

  private static Map<String, Object> group(String clusterId, ConsumerGroup g) {
    String self = "/kafka/v3/clusters/" + clusterId + "/consumer-groups/" + g.groupId();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "KafkaConsumerGroup");
    body.put("metadata", V3Links.metadata(self));
    body.put("cluster_id", clusterId);
    body.put("consumer_group_id", g.groupId());
    body.put("is_simple", g.members().isEmpty());
    body.put("state", g.state().toUpperCase(java.util.Locale.ROOT));
    body.put("consumers", Map.of("related", self + "/consumers"));
    body.put("lag_summary", Map.of("related", self + "/lag-summary"));
    return body;
  }

  private static Long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw KafkaErrors.invalidParameter("retention.ms", "not a number");
    }
  }
}
