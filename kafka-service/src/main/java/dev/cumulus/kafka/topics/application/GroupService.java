package dev.cumulus.kafka.topics.application;

import static dev.cumulus.kafka.topics.application.TopicService.kafka;

import dev.cumulus.kafka.topics.domain.ConsumerGroup;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.TopicNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Consumer groups of an instance with their members and lag, through the Admin API. */
@Service
public class GroupService {

  private final Admin admin;

  public GroupService(KafkaClients clients) {
    this.admin = clients.admin();
  }

  public Mono<List<ConsumerGroup>> list(TopicNames names) {
    return kafka(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all())
        .map(all -> all.stream().map(GroupListing::groupId).filter(names::owns).sorted().toList())
        .flatMap(
            groups ->
                groups.isEmpty()
                    ? Mono.just(List.<ConsumerGroup>of())
                    : kafka(admin.describeConsumerGroups(groups).all())
                        .flatMapMany(described -> Flux.fromIterable(described.values()))
                        .concatMap(description -> group(names, description))
                        .collectSortedList(Comparator.comparing(ConsumerGroup::groupId)))
        .onErrorMap(e -> KafkaFailures.translate(e, null));
  }

  /**
   * Deletes one of the instance's groups (its committed offsets). A group a native consumer has
   * joined is refused (409 {@code GroupNotEmpty}); one that does not exist is 404.
   */
  public Mono<Void> delete(TopicNames names, String group) {
    return kafka(admin.deleteConsumerGroups(List.of(names.group(group))).all())
        .onErrorMap(
            e ->
                switch (KafkaFailures.unwrap(e)) {
                  case GroupIdNotFoundException missing -> KafkaErrors.unknownGroup(group);
                  case GroupNotEmptyException busy -> KafkaErrors.groupNotEmpty(group);
                  default -> KafkaFailures.translate(e, null);
                });
  }

  private Mono<ConsumerGroup> group(TopicNames names, ConsumerGroupDescription description) {
    return kafka(
            admin.listConsumerGroupOffsets(description.groupId()).partitionsToOffsetAndMetadata())
        .flatMap(
            committed -> {
              Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
              committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
              Mono<Map<TopicPartition, Long>> ends =
                  latest.isEmpty()
                      ? Mono.just(Map.of())
                      : kafka(admin.listOffsets(latest).all())
                          .map(
                              result -> {
                                Map<TopicPartition, Long> out = new HashMap<>();
                                result.forEach((tp, info) -> out.put(tp, info.offset()));
                                return out;
                              });
              return ends.map(end -> describe(names, description, committed, end));
            });
  }

  private static ConsumerGroup describe(
      TopicNames names,
      ConsumerGroupDescription description,
      Map<TopicPartition, OffsetAndMetadata> committed,
      Map<TopicPartition, Long> ends) {
    List<ConsumerGroup.PartitionLag> lags =
        committed.entrySet().stream()
            .filter(e -> e.getValue() != null && names.owns(e.getKey().topic()))
            .map(
                e -> {
                  long end = ends.getOrDefault(e.getKey(), e.getValue().offset());
                  long offset = e.getValue().offset();
                  return new ConsumerGroup.PartitionLag(
                      names.local(e.getKey().topic()),
                      e.getKey().partition(),
                      offset,
                      end,
                      Math.max(0, end - offset));
                })
            .sorted(
                Comparator.comparing(ConsumerGroup.PartitionLag::topic)
                    .thenComparingInt(ConsumerGroup.PartitionLag::partition))
            .toList();
    return new ConsumerGroup(
        names.local(description.groupId()),
        description.groupState().toString(),
        description.type().toString(),
        members(names, description.members()),
        lags);
  }

  private static List<ConsumerGroup.Member> members(
      TopicNames names, Collection<MemberDescription> members) {
    return members.stream()
        .map(
            m ->
                new ConsumerGroup.Member(
                    m.consumerId(),
                    m.clientId(),
                    m.host(),
                    m.assignment().topicPartitions().stream()
                        .filter(tp -> names.owns(tp.topic()))
                        .map(
                            tp ->
                                new ConsumerGroup.Assignment(
                                    names.local(tp.topic()), tp.partition()))
                        .sorted(
                            Comparator.comparing(ConsumerGroup.Assignment::topic)
                                .thenComparingInt(ConsumerGroup.Assignment::partition))
                        .toList()))
        .sorted(Comparator.comparing(ConsumerGroup.Member::memberId))
        .toList();
  }
}
