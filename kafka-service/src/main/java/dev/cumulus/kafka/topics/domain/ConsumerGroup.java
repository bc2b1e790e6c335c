package dev.cumulus.kafka.topics.domain;

import java.util.List;

/**
 * A consumer group of an instance with its members and its lag per partition (the tenant's names).
 *
 * @param state Kafka's group state: Stable, Empty (e.g. a group only REST consumes), Dead, ...
 */
public record ConsumerGroup(
    String groupId,
    String state,
    String type,
    List<Member> members,
    List<PartitionLag> partitions) {

  public long totalLag() {
    return partitions.stream().mapToLong(PartitionLag::lag).sum();
  }

  public record Member(
      String memberId, String clientId, String host, List<Assignment> assignments) {}

  public record Assignment(String topic, int partition) {}

  /** {@code lag} = the partition's end offset minus the group's committed offset. */
  public record PartitionLag(
      String topic, int partition, long committedOffset, long endOffset, long lag) {}
}
