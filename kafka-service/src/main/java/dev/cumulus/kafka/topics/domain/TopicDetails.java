package dev.cumulus.kafka.topics.domain;

import java.util.List;
import java.util.Map;

/**
 * A topic as the API shows it: the tenant's name, its partitions with leaders and offsets, and its
 * configs.
 *
 * @param configs every config set on the topic itself, plus the seed's three (retention,
 *     compression, cleanup policy) even at their defaults
 */
public record TopicDetails(
    String name, int replicationFactor, List<Partition> partitions, Map<String, String> configs) {

  /** The records in the topic now (end minus start offsets; compaction may make it smaller). */
  public long messageCount() {
    return partitions.stream().mapToLong(p -> p.latestOffset() - p.earliestOffset()).sum();
  }

  public record Partition(
      int partition,
      Integer leader,
      List<Integer> replicas,
      List<Integer> isr,
      long earliestOffset,
      long latestOffset) {}
}
