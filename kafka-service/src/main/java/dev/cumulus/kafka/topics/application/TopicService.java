package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.domain.ClusterInfo;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.TopicConfigPolicy;
import dev.cumulus.kafka.topics.domain.TopicDetails;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.kafka.topics.domain.TopicSpec;
import dev.cumulus.kafka.topics.domain.TopicSummary;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Topics of an instance, through the Admin API; every call is non-blocking. */
@Service
public class TopicService {

  /** The configs the seed names, shown even at their defaults. */
  private static final Set<String> SEED_CONFIGS =
      Set.of("retention.ms", "compression.type", "cleanup.policy");

  /** How long a topic known to exist is trusted without asking the broker again. */
  private static final Duration EXISTS_TTL = Duration.ofSeconds(10);

  private final Admin admin;
  private final TopicConfigPolicy policy;
  private final Map<String, KnownTopic> knownTopics = new ConcurrentHashMap<>();

  /** A topic seen on the broker, with its partition count, at {@code seenAt} (nanoTime). */
  private record KnownTopic(int partitions, long seenAt) {}

  public TopicService(KafkaClients clients, KafkaServiceProperties properties) {
    this.admin = clients.admin();
    this.policy = new TopicConfigPolicy(properties.maxRecordBytes().toBytes());
  }

  public Mono<List<TopicSummary>> list(TopicNames names) {
    return instanceTopics(names)
        .flatMap(
            topics ->
                topics.isEmpty()
                    ? Mono.just(List.<TopicSummary>of())
                    : kafka(admin.describeTopics(topics).allTopicNames())
                        .map(
                            described ->
                                described.values().stream()
                                    .map(
                                        d ->
                                            new TopicSummary(
                                                names.local(d.name()),
                                                d.partitions().size(),
                                                replicationFactor(d)))
                                    .sorted(Comparator.comparing(TopicSummary::name))
                                    .toList()));
  }

  /** Creates the topic; fails with TopicAlreadyExists (409) when it is there already. */
  public Mono<TopicDetails> create(TopicNames names, TopicSpec spec) {
    String topic = names.topic(spec.name());
    NewTopic newTopic =
        spec.replicationFactor() == null
            ? new NewTopic(
                topic, java.util.Optional.of(spec.partitions()), java.util.Optional.empty())
            : new NewTopic(topic, spec.partitions(), spec.replicationFactor());
    spec.configs().forEach(policy::check);
    newTopic.configs(spec.configs());
    return kafka(
            admin
                .createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs(15_000))
                .all())
        .onErrorMap(
            e -> KafkaFailures.unwrap(e) instanceof TopicExistsException,
            e -> KafkaErrors.topicExists(spec.name()))
        .onErrorMap(e -> KafkaFailures.translate(e, spec.name()))
        // Metadata reaches every broker shortly after creation; describe until it has.
        .then(
            Mono.defer(() -> details(names, spec.name()))
                .retryWhen(
                    reactor.util.retry.Retry.fixedDelay(50, Duration.ofMillis(100))
                        .filter(e -> e instanceof dev.cumulus.platform.error.ApiException)));
  }

  public Mono<TopicDetails> details(TopicNames names, String name) {
    String topic = names.topic(name);
    Mono<TopicDescription> description =
        kafka(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
    return description
        .flatMap(
            d ->
                Mono.zip(
                        offsets(d, OffsetSpec.earliest()),
                        offsets(d, OffsetSpec.latest()),
                        configs(topic))
                    .map(
                        t ->
                            new TopicDetails(
                                name,
                                replicationFactor(d),
                                d.partitions().stream()
                                    .map(p -> partition(topic, p, t.getT1(), t.getT2()))
                                    .toList(),
                                t.getT3())))
        .onErrorMap(e -> KafkaFailures.translate(e, name));
  }

  /** Every config of the topic as the broker reports it, sensitive ones left out. */
  public Mono<List<ConfigEntry>> configEntries(TopicNames names, String name) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, names.topic(name));
    return kafka(admin.describeConfigs(List.of(resource)).values().get(resource))
        .map(
            config ->
                config.entries().stream()
                    .filter(e -> !e.isSensitive())
                    .sorted(Comparator.comparing(ConfigEntry::name))
                    .toList())
        .onErrorMap(e -> KafkaFailures.translate(e, name));
  }

  /**
   * Sets configs and resets others to the broker's default, in one incremental alter; refused
   * before the broker is asked when one is not the tenant's to set ({@link TopicConfigPolicy}).
   */
  public Mono<Void> alterConfigs(
      TopicNames names, String name, Map<String, String> set, Set<String> reset) {
    set.forEach(policy::check);
    reset.forEach(policy::checkName);
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, names.topic(name));
    List<AlterConfigOp> ops = new java.util.ArrayList<>();
    set.forEach(
        (key, value) ->
            ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
    reset.forEach(
        key -> ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE)));
    return requireExists(names, name)
        .then(kafka(admin.incrementalAlterConfigs(Map.of(resource, ops)).all()))
        .onErrorMap(e -> KafkaFailures.translate(e, name));
  }

  /**
   * The partition count of an existing topic; UnknownTopicOrPartition (404) otherwise. Cached for a
   * few seconds (every REST consume asks): the API never shrinks a topic, and a deleted one is
   * forgotten at once on this node.
   */
  public Mono<Integer> partitionCount(TopicNames names, String name) {
    String topic = names.topic(name);
    KnownTopic known = knownTopics.get(topic);
    if (known != null && System.nanoTime() - known.seenAt() < EXISTS_TTL.toNanos()) {
      return Mono.just(known.partitions());
    }
    return kafka(admin.describeTopics(List.of(topic)).topicNameValues().get(topic))
        .map(d -> d.partitions().size())
        .doOnNext(count -> knownTopics.put(topic, new KnownTopic(count, System.nanoTime())))
        .onErrorMap(e -> KafkaFailures.translate(e, name));
  }

  /**
   * Fails with UnknownTopicOrPartition unless the topic exists, so that producing never creates a
   * topic through the broker's auto-creation. Existence is cached for a few seconds.
   */
  public Mono<Void> requireExists(TopicNames names, String name) {
    return partitionCount(names, name).then();
  }

  public Mono<Void> delete(TopicNames names, String name) {
    String topic = names.topic(name);
    knownTopics.remove(topic);
    return kafka(admin.deleteTopics(List.of(topic)).all())
        .onErrorMap(e -> KafkaFailures.translate(e, name))
        .doFinally(signal -> knownTopics.remove(topic));
  }

  /** Deletes every topic under the instance's prefix (instance deleted); idempotent. */
  public Mono<Void> deleteAll(TopicNames names) {
    return instanceTopics(names)
        .flatMap(
            topics -> {
              topics.forEach(knownTopics::remove);
              return topics.isEmpty()
                  ? Mono.<Void>empty()
                  : kafka(admin.deleteTopics(topics).all())
                      .onErrorResume(
                          e -> KafkaFailures.unwrap(e) instanceof UnknownTopicOrPartitionException,
                          e -> Mono.empty());
            });
  }

  public Mono<ClusterInfo> cluster() {
    DescribeClusterResult result = admin.describeCluster();
    return Mono.zip(kafka(result.clusterId()), kafka(result.controller()), kafka(result.nodes()))
        .map(
            t ->
                new ClusterInfo(
                    t.getT1(),
                    node(t.getT2()),
                    t.getT3().stream()
                        .map(TopicService::node)
                        .sorted(Comparator.comparingInt(ClusterInfo.Node::id))
                        .toList()))
        .onErrorMap(e -> KafkaFailures.translate(e, null));
  }

  /** Names (on the broker) of the instance's topics. */
  public Mono<List<String>> instanceTopics(TopicNames names) {
    return kafka(admin.listTopics(new ListTopicsOptions().listInternal(false)).names())
        .map(all -> all.stream().filter(names::owns).sorted().toList())
        .onErrorMap(e -> KafkaFailures.translate(e, null));
  }

  private Mono<Map<TopicPartition, Long>> offsets(TopicDescription d, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicPartitionInfo p : d.partitions()) {
      request.put(new TopicPartition(d.name(), p.partition()), spec);
    }
    return kafka(admin.listOffsets(request).all())
        .map(
            result ->
                result.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
  }

  private Mono<Map<String, String>> configs(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return kafka(admin.describeConfigs(List.of(resource)).values().get(resource))
        .map(TopicService::shownConfigs);
  }

  private static Map<String, String> shownConfigs(Config config) {
    Map<String, String> shown = new LinkedHashMap<>();
    config.entries().stream()
        .filter(
            e ->
                e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    || SEED_CONFIGS.contains(e.name()))
        .filter(e -> !e.isSensitive())
        .sorted(Comparator.comparing(ConfigEntry::name))
        .forEach(e -> shown.put(e.name(), e.value()));
    return shown;
  }

  private static TopicDetails.Partition partition(
      String topic,
      TopicPartitionInfo p,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> latest) {
    TopicPartition tp = new TopicPartition(topic, p.partition());
    Function<List<Node>, List<Integer>> ids = nodes -> nodes.stream().map(Node::id).toList();
    return new TopicDetails.Partition(
        p.partition(),
        p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
        ids.apply(p.replicas()),
        ids.apply(p.isr()),
        earliest.getOrDefault(tp, 0L),
        latest.getOrDefault(tp, 0L));
  }

  private static int replicationFactor(TopicDescription d) {
    return d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
  }

  private static ClusterInfo.Node node(Node node) {
    return node == null
        ? null
        : new ClusterInfo.Node(node.id(), node.host(), node.port(), node.rack());
  }

  static <T> Mono<T> kafka(KafkaFuture<T> future) {
    return Mono.fromCompletionStage(future.toCompletionStage());
  }
}
