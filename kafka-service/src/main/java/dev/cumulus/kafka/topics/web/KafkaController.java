package dev.cumulus.kafka.topics.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.application.ConsumeService;
import dev.cumulus.kafka.topics.application.GroupService;
import dev.cumulus.kafka.topics.application.IdempotentProduce;
import dev.cumulus.kafka.topics.application.ProduceService;
import dev.cumulus.kafka.topics.application.TopicService;
import dev.cumulus.kafka.topics.domain.ClusterInfo;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.ConsumerGroup;
import dev.cumulus.kafka.topics.domain.IncomingRecord;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.OutgoingRecord;
import dev.cumulus.kafka.topics.domain.ProducedRecord;
import dev.cumulus.kafka.topics.domain.StartPosition;
import dev.cumulus.kafka.topics.domain.TopicDetails;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.kafka.topics.domain.TopicSpec;
import dev.cumulus.kafka.topics.domain.TopicSummary;
import dev.cumulus.platform.instance.InstanceAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.annotation.JsonSerialize;

/** Seed 000 "Apache Kafka Service": cluster, topics, produce, consume, consumer groups. */
@RestController
@RequestMapping("/api/kafka/{tenantId}/{serviceId}")
public class KafkaController {

  private static final int DEFAULT_MAX_MESSAGES = 10;
  private static final long DEFAULT_TIMEOUT_MS = 1000;

  private final InstanceAccess access;
  private final TopicService topics;
  private final ProduceService producer;
  private final ConsumeService consumer;
  private final GroupService groups;
  private final IdempotentProduce idempotent;
  private final ObjectMapper json;
  private final KafkaServiceProperties.Consume limits;

  public KafkaController(
      InstanceAccess access,
      TopicService topics,
      ProduceService producer,
      ConsumeService consumer,
      GroupService groups,
      IdempotentProduce idempotent,
      ObjectMapper json,
      KafkaServiceProperties properties) {
    this.idempotent = idempotent;
    this.access = access;
    this.topics = topics;
    this.producer = producer;
    this.consumer = consumer;
    this.groups = groups;
    this.json = json;
    this.limits = properties.consume();
  }

  public record ClusterInfoView(
      String clusterId,
      ClusterInfo.Node controller,
      List<ClusterInfo.Node> brokers,
      int brokerCount,
      int topicCount,
      String kafkaVersion,
      String topicPrefix) {}

  public record HealthView(
      String status,
      int brokersOnline,
      int topicCount,
      int partitionCount,
      int offlinePartitions,
      int underReplicatedPartitions,
      Instant checkedAt) {}

  public record CreateTopicRequest(
      String name,
      Integer partitions,
      Integer replicationFactor,
      Long retentionMs,
      String compressionType,
      String cleanupPolicy) {}

  public record TopicList(List<TopicSummary> topics, int count) {}

  public record TopicView(
      String name,
      int partitionCount,
      int replicationFactor,
      long messageCount,
      List<TopicDetails.Partition> partitions,
      Map<String, String> configs) {

    static TopicView of(TopicDetails d) {
      return new TopicView(
          d.name(),
          d.partitions().size(),
          d.replicationFactor(),
          d.messageCount(),
          d.partitions(),
          d.configs());
    }
  }

  /**
   * One record to produce. {@code key}/{@code value} are JSON strings (sent as their UTF-8 bytes)
   * or any JSON (sent as its JSON text); {@code keyBase64}/{@code valueBase64} carry binary. {@code
   * records} produces a batch instead of one record.
   */
  public record ProduceRequest(
      JsonNode key,
      String keyBase64,
      JsonNode value,
      String valueBase64,
      Map<String, String> headers,
      Integer partition,
      Long timestamp,
      List<ProduceRequest> records) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ProducedView(
      String topic, int partition, long offset, Instant timestamp, String key) {}

  public record ProducedBatch(String topic, List<ProducedView> records, int count) {}

  /**
   * A consume answer: {@code topic}, {@code consumerGroup}, {@code messages} (each with {@code
   * topic, partition, offset, timestamp, timestampType, key, value, headers} and {@code
   * "encoding":"base64"} when one of them is not UTF-8, or {@code format=base64} was asked) and
   * {@code count}, written by {@link MessagesJson}.
   */
  @JsonSerialize(using = MessagesJson.class)
  public record Messages(
      String topic, String consumerGroup, List<IncomingRecord> records, boolean base64) {}

  public record GroupView(
      String groupId,
      String state,
      String type,
      List<ConsumerGroup.Member> members,
      int memberCount,
      List<ConsumerGroup.PartitionLag> partitions,
      long totalLag) {

    static GroupView of(ConsumerGroup g) {
      return new GroupView(
          g.groupId(),
          g.state(),
          g.type(),
          g.members(),
          g.members().size(),
          g.partitions(),
          g.totalLag());
    }
  }

  public record GroupList(List<GroupView> consumerGroups, int count) {}

  @GetMapping("/cluster/info")
  Mono<ClusterInfoView> clusterInfo(@PathVariable String tenantId, @PathVariable String serviceId) {
    return names(tenantId, serviceId)
        .flatMap(
            names ->
                Mono.zip(topics.cluster(), topics.instanceTopics(names))
                    .map(
                        t ->
                            new ClusterInfoView(
                                t.getT1().clusterId(),
                                t.getT1().controller(),
                                t.getT1().brokers(),
                                t.getT1().brokers().size(),
                                t.getT2().size(),
                                AppInfoParser.getVersion(),
                                names.prefix())));
  }

  @GetMapping("/cluster/health")
  Mono<HealthView> clusterHealth(@PathVariable String tenantId, @PathVariable String serviceId) {
    return names(tenantId, serviceId)
        .flatMap(
            names ->
                Mono.zip(topics.cluster(), topics.list(names).flatMap(list -> details(names, list)))
                    .timeout(Duration.ofSeconds(10))
                    .map(
                        t -> {
                          int partitions = 0;
                          int offline = 0;
                          int underReplicated = 0;
                          for (TopicDetails d : t.getT2()) {
                            for (TopicDetails.Partition p : d.partitions()) {
                              partitions++;
                              if (p.leader() == null) {
                                offline++;
                              }
                              if (p.isr().size() < p.replicas().size()) {
                                underReplicated++;
                              }
                            }
                          }
                          String status =
                              offline > 0
                                  ? "unhealthy"
                                  : underReplicated > 0 ? "degraded" : "healthy";
                          return new HealthView(
                              status,
                              t.getT1().brokers().size(),
                              t.getT2().size(),
                              partitions,
                              offline,
                              underReplicated,
                              Instant.now());
                        }))
        .onErrorMap(
            java.util.concurrent.TimeoutException.class,
            e -> KafkaErrors.unavailable("The Kafka cluster did not answer in time"));
  }

  private Mono<List<TopicDetails>> details(TopicNames names, List<TopicSummary> list) {
    return reactor.core.publisher.Flux.fromIterable(list)
        .concatMap(t -> topics.details(names, t.name()))
        .collectList();
  }

  @GetMapping("/topics")
  Mono<TopicList> listTopics(@PathVariable String tenantId, @PathVariable String serviceId) {
    return names(tenantId, serviceId)
        .flatMap(topics::list)
        .map(list -> new TopicList(list, list.size()));
  }

  @PostMapping("/topics")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<TopicView> createTopic(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody CreateTopicRequest body) {
    TopicSpec spec =
        TopicSpec.of(
            body.name(),
            body.partitions(),
            body.replicationFactor(),
            body.retentionMs(),
            body.compressionType(),
            body.cleanupPolicy());
    return names(tenantId, serviceId)
        .flatMap(names -> topics.create(names, spec))
        .map(TopicView::of);
  }

  @GetMapping("/topics/{topic}")
  Mono<TopicView> topic(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String topic) {
    return names(tenantId, serviceId)
        .flatMap(names -> topics.details(names, topic))
        .map(TopicView::of);
  }

  @DeleteMapping("/topics/{topic}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> deleteTopic(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String topic) {
    return names(tenantId, serviceId).flatMap(names -> topics.delete(names, topic));
  }

  /**
   * Produce. With an {@code Idempotency-Key} header, a retry of the same request gets the first
   * answer again (header {@code Idempotent-Replayed: true}) and produces nothing.
   */
  @PostMapping("/topics/{topic}/messages")
  Mono<ResponseEntity<Object>> produce(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String topic,
      @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody ProduceRequest body) {
    boolean batch = body.records() != null;
    List<ProduceRequest> requests = batch ? body.records() : List.of(body);
    if (requests.isEmpty()) {
      throw KafkaErrors.invalidRequest("records must not be empty");
    }
    List<OutgoingRecord> records = requests.stream().map(this::outgoing).toList();
    return names(tenantId, serviceId)
        .flatMap(
            names -> {
              Mono<Object> produce =
                  producer
                      .produceAll(names, topic, records)
                      .map(produced -> answer(topic, batch, produced, requests));
              if (idempotencyKey == null) {
                return produce.map(
                    answer -> ResponseEntity.status(HttpStatus.CREATED).body(answer));
              }
              return idempotent
                  .once(
                      serviceId,
                      idempotencyKey,
                      requestHash(topic, body),
                      () -> produce.map(json::writeValueAsString))
                  .map(
                      answer ->
                          ResponseEntity.status(HttpStatus.CREATED)
                              .header("Idempotent-Replayed", Boolean.toString(answer.replayed()))
                              .body((Object) json.readTree(answer.json())));
            });
  }

  private static Object answer(
      String topic, boolean batch, List<ProducedRecord> produced, List<ProduceRequest> requests) {
    List<ProducedView> views = new ArrayList<>(produced.size());
    for (int i = 0; i < produced.size(); i++) {
      views.add(view(produced.get(i), requests.get(i)));
    }
    return batch ? new ProducedBatch(topic, views, views.size()) : views.get(0);
  }

  private String requestHash(String topic, ProduceRequest body) {
    return IdempotentProduce.requestHash(topic + "\n" + json.writeValueAsString(body));
  }

  @GetMapping("/topics/{topic}/messages")
  Mono<ResponseEntity<byte[]>> consume(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String topic,
      @RequestParam(required = false) String consumerGroup,
      @RequestParam(required = false) String maxMessages,
      @RequestParam(required = false) String timeoutMs,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String partition,
      @RequestParam(required = false) String offset,
      @RequestParam(required = false) String timestamp,
      @RequestParam(required = false) String commit,
      @RequestParam(required = false) String maxBytes,
      @RequestParam(required = false) String format) {
    String group = consumerGroup == null || consumerGroup.isBlank() ? null : consumerGroup;
    Integer onlyPartition =
        partition == null ? null : intParam("partition", partition, 0, Integer.MAX_VALUE);
    StartPosition start = start(group, from, onlyPartition, offset, timestamp);
    ConsumeRequest request =
        new ConsumeRequest(
            topic,
            group,
            onlyPartition,
            start,
            maxMessages == null
                ? DEFAULT_MAX_MESSAGES
                : intParam("maxMessages", maxMessages, 1, limits.maxMessages()),
            maxBytes == null
                ? limits.maxResponseBytes().toBytes()
                : longParam("maxBytes", maxBytes, 1, limits.maxResponseBytes().toBytes()),
            Duration.ofMillis(
                timeoutMs == null
                    ? DEFAULT_TIMEOUT_MS
                    : longParam("timeoutMs", timeoutMs, 0, limits.maxTimeout().toMillis())),
            commit == null || booleanParam("commit", commit));
    boolean base64 = format != null && checkFormat(format);
    // Rendered while the group's commit is on its way to the broker.
    return names(tenantId, serviceId)
        .flatMap(
            names ->
                consumer.consume(
                    names,
                    topic,
                    request,
                    records -> json.writeValueAsBytes(new Messages(topic, group, records, base64))))
        .map(body -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body));
  }

  @GetMapping("/consumer-groups")
  Mono<GroupList> consumerGroups(@PathVariable String tenantId, @PathVariable String serviceId) {
    return names(tenantId, serviceId)
        .flatMap(groups::list)
        .map(list -> new GroupList(list.stream().map(GroupView::of).toList(), list.size()));
  }

  /**
   * Deletes a consumer group of the instance (the console's live view cleans up its own): this
   * node's pooled consumer of it goes first, once a call of it still running is over.
   */
  @DeleteMapping("/consumer-groups/{group}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> deleteConsumerGroup(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String group) {
    return names(tenantId, serviceId)
        .flatMap(names -> consumer.forget(names, group).then(groups.delete(names, group)));
  }

  private Mono<TopicNames> names(String tenantId, String serviceId) {
    return access
        .require(tenantId, serviceId)
        .map(instance -> new TopicNames(instance.tenantId(), instance.serviceId()));
  }

  private OutgoingRecord outgoing(ProduceRequest r) {
    if (r == null) {
      throw KafkaErrors.invalidRequest("records must not hold null");
    }
    if (r.records() != null) {
      throw KafkaErrors.invalidRequest("records cannot be nested");
    }
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    if (r.headers() != null) {
      r.headers()
          .forEach(
              (name, value) ->
                  headers.add(
                      new AbstractMap.SimpleImmutableEntry<>(
                          name, value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
    }
    return new OutgoingRecord(
        r.partition(),
        RecordCodec.bytes(json, r.key(), r.keyBase64(), "key"),
        RecordCodec.bytes(json, r.value(), r.valueBase64(), "value"),
        headers,
        r.timestamp());
  }

  private static ProducedView view(ProducedRecord produced, ProduceRequest request) {
    return new ProducedView(
        produced.topic(),
        produced.partition(),
        produced.offset(),
        Instant.ofEpochMilli(produced.timestamp()),
        request.key() != null && request.key().isString() ? request.key().asString() : null);
  }

  private static StartPosition start(
      String group, String from, Integer partition, String offset, String timestamp) {
    if (offset != null) {
      if (partition == null) {
        throw KafkaErrors.invalidRequest("offset needs partition");
      }
      return new StartPosition.Offset(partition, longParam("offset", offset, 0, Long.MAX_VALUE));
    }
    if (timestamp != null) {
      return new StartPosition.Timestamp(epochMillis(timestamp));
    }
    String where = from == null ? (group == null ? "earliest" : "committed") : from;
    return switch (where) {
      case "committed" -> {
        if (group == null) {
          throw KafkaErrors.invalidRequest("from=committed needs consumerGroup");
        }
        yield new StartPosition.Committed(true);
      }
      case "earliest" ->
          group == null ? new StartPosition.Earliest() : new StartPosition.Committed(true);
      case "latest" ->
          group == null ? new StartPosition.Latest() : new StartPosition.Committed(false);
      case "beginning" -> new StartPosition.Earliest();
      case "end" -> new StartPosition.Latest();
      default ->
          throw KafkaErrors.invalidParameter(
              "from", "committed, earliest, latest, beginning or end");
    };
  }

  private static long epochMillis(String timestamp) {
    try {
      return Long.parseLong(timestamp);
    } catch (NumberFormatException notMillis) {
      try {
        return Instant.parse(timestamp).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw KafkaErrors.invalidParameter(
            "timestamp", "epoch milliseconds or an ISO-8601 instant");
      }
    }
  }

  private static boolean checkFormat(String format) {
    return switch (format) {
      case "base64" -> true;
      case "text", "utf-8", "utf8" -> false;
      default -> throw KafkaErrors.invalidParameter("format", "text or base64");
    };
  }

  private static int intParam(String name, String value, int min, int max) {
    return (int) longParam(name, value, min, max);
  }

  private static long longParam(String name, String value, long min, long max) {
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < min || parsed > max) {
        throw KafkaErrors.invalidParameter(name, "must be between " + min + " and " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw KafkaErrors.invalidParameter(name, "not a number: " + value);
    }
  }

  private static boolean booleanParam(String name, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw KafkaErrors.invalidParameter(name, "true or false");
    };
  }
}
