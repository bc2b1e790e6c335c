package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.IncomingRecord;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.StartPosition;
import dev.cumulus.kafka.topics.domain.TopicNames;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * REST consume. Each call runs on a bounded scheduler of its own (it holds a thread while it
 * polls), with the group's pooled consumer: it starts where the group's committed offsets are (read
 * from the broker on every call, so a call on any replica continues the group), returns up to
 * {@code maxMessages} records and {@code maxBytes}, and commits past them.
 */
@Service
public class ConsumeService implements DisposableBean {

  private final TopicService topics;
  private final ConsumerPool pool;
  private final InFlightRecords inFlight;
  private final Scheduler scheduler;
  private final Disposable eviction;
  private final Duration forgetWait;

  public ConsumeService(
      TopicService topics, KafkaClients clients, KafkaServiceProperties properties) {
    KafkaServiceProperties.Consume settings = properties.consume();
    this.topics = topics;
    this.forgetWait = settings.maxTimeout().plusSeconds(5);
    this.pool =
        new ConsumerPool(
            group ->
                clients.consumer(group, settings.maxMessages(), settings.fetchMaxBytes().toBytes()),
            settings.poolSize(),
            settings.poolBytes().toBytes(),
            settings.fetchMaxBytes().toBytes(),
            settings.idleTimeout());
    if (settings.inFlightBytes().toBytes() < settings.maxResponseBytes().toBytes()) {
      throw new IllegalArgumentException(
          "cumulus.kafka-service.consume.in-flight-bytes must be at least max-response-bytes");
    }
    this.inFlight = new InFlightRecords(settings.inFlightBytes().toBytes());
    this.scheduler =
        Schedulers.newBoundedElastic(settings.threads(), 10_000, "kafka-consume", 60, true);
    this.eviction =
        scheduler.schedulePeriodically(
            pool::evictIdle, 30, 30, java.util.concurrent.TimeUnit.SECONDS);
  }

  public Mono<List<IncomingRecord>> consume(
      TopicNames names, String topic, ConsumeRequest request) {
    return consume(names, topic, request, records -> records);
  }

  /**
   * A consume whose answer {@code render} makes from the records; with a group, the call answers
   * only once the group's commit past them succeeded.
   */
  public <T> Mono<T> consume(
      TopicNames names,
      String topic,
      ConsumeRequest request,
      Function<List<IncomingRecord>, T> render) {
    return topics
        .partitionCount(names, topic)
        .flatMap(
            count -> {
              if (request.partition() != null
                  && (request.partition() < 0 || request.partition() >= count)) {
                return Mono.error(KafkaErrors.unknownPartition(topic, request.partition()));
              }
              if (request.start() instanceof StartPosition.Offset offset
                  && (offset.partition() < 0 || offset.partition() >= count)) {
                return Mono.error(KafkaErrors.unknownPartition(topic, offset.partition()));
              }
              List<TopicPartition> partitions = new ArrayList<>();
              String brokerTopic = names.topic(topic);
              for (int p = 0; p < count; p++) {
                Integer only = onlyPartition(request);
                if (only == null || only == p) {
                  partitions.add(new TopicPartition(brokerTopic, p));
                }
              }
              return Mono.fromCallable(() -> readBounded(names, partitions, topic, request, render))
                  .subscribeOn(scheduler);
            })
        .onErrorMap(e -> translate(e, topic, request));
  }

  /**
   * Push delivery for a group: the first request's records, then, call after call, what follows the
   * group's committed offsets, until the subscriber cancels.
   */
  public Flux<IncomingRecord> follow(TopicNames names, String topic, ConsumeRequest first) {
    StartPosition committed =
        first.start() instanceof StartPosition.Committed c ? c : new StartPosition.Committed(true);
    ConsumeRequest next =
        new ConsumeRequest(
            first.topic(),
            first.group(),
            first.partition(),
            committed,
            first.maxMessages(),
            first.maxBytes(),
            first.timeout(),
            true);
    return consume(names, topic, first)
        .concatWith(Flux.defer(() -> consume(names, topic, next)).repeat())
        .concatMapIterable(records -> records);
  }

  /**
   * Closes this node's consumer of the group once its running call (if any) is over, so a group
   * about to be deleted is not committed again. A call still running after the longest consume
   * timeout is {@code ConsumerGroupBusy}.
   */
  public Mono<Void> forget(TopicNames names, String group) {
    String brokerGroup = names.group(group);
    return Mono.fromCallable(() -> forgot(brokerGroup))
        .subscribeOn(scheduler)
        .flatMap(closed -> closed ? Mono.<Void>empty() : Mono.error(KafkaErrors.groupBusy(group)));
  }

  /** Whether the group's consumer here is gone; false while a call still holds it. */
  private boolean forgot(String brokerGroup) {
    try {
      return pool.forget(brokerGroup, forgetWait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the node is stopping: the consumer stays busy
      return false;
    }
  }

  /** Open pooled consumers, for metrics and tests. */
  public int pooled() {
    return pool.size();
  }

  private static Integer onlyPartition(ConsumeRequest request) {
    if (request.start() instanceof StartPosition.Offset offset) {
      return offset.partition();
    }
    return request.partition();
  }

  /** Bytes running calls hold now, for metrics and tests. */
  public long inFlightBytes() {
    return inFlight.held();
  }

  /** One call, within the node's in-flight bound: refused when it could take no record at all. */
  private <T> T readBounded(
      TopicNames names,
      List<TopicPartition> partitions,
      String topic,
      ConsumeRequest request,
      Function<List<IncomingRecord>, T> render)
      throws InterruptedException {
    try (InFlightRecords.Share share = inFlight.share()) {
      T answer =
          pool.withConsumer(
              request.group() == null ? null : names.group(request.group()),
              request.timeout().plusSeconds(5),
              (pooled, fresh) -> read(pooled, partitions, topic, request, render, share));
      if (answer == null) {
        throw KafkaErrors.consumeCapacityExhausted();
      }
      return answer;
    }
  }

  /**
   * The call's answer, or null when the node's in-flight bound left room for no record (nothing is
   * committed then; the records stay for the next call).
   */
  private <T> T read(
      ConsumerPool.Pooled pooled,
      List<TopicPartition> partitions,
      String topic,
      ConsumeRequest request,
      Function<List<IncomingRecord>, T> render,
      InFlightRecords.Share share) {
    Consumer<byte[], byte[]> consumer = pooled.consumer;
    if (!new HashSet<>(partitions).equals(consumer.assignment())) {
      pooled.assign(partitions);
    }
    Map<TopicPartition, Long> starts = startOffsets(consumer, partitions, request.start());
    for (TopicPartition partition : partitions) {
      long start = starts.get(partition);
      if (pooled.nextOffset(partition) != start) {
        pooled.seek(partition, start);
      }
    }
    List<IncomingRecord> out = new ArrayList<>();
    long deadline = System.nanoTime() + request.timeout().toNanos();
    long[] bytes = {0};
    boolean full = take(pooled, partitions, topic, request, out, bytes, share);
    // Waits for the first records; then takes what the consumer has fetched already, up to the
    // call's limits, without waiting again.
    while (!full) {
      long remaining = out.isEmpty() ? deadline - System.nanoTime() : 0;
      if (remaining <= 0 && out.isEmpty()) {
        break;
      }
      ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofNanos(remaining));
      if (polled.isEmpty() && !out.isEmpty()) {
        break;
      }
      for (TopicPartition partition : polled.partitions()) {
        pooled
            .leftovers
            .computeIfAbsent(partition, p -> new ArrayDeque<>())
            .addAll(polled.records(partition));
      }
      full = take(pooled, partitions, topic, request, out, bytes, share);
    }
    if (out.isEmpty() && share.refused()) {
      return null;
    }
    if (request.group() == null || !request.commit()) {
      return render.apply(out);
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (TopicPartition partition : partitions) {
      commit.put(partition, new OffsetAndMetadata(pooled.nextOffset(partition)));
    }
    T answer = render.apply(out);
    // Synchronous, after rendering: commitSync waits on the commit's own answer. Sending it with
    // commitAsync first and then waiting for it (an empty commitSync) cost ~100 ms a call: the
    // client waits for pending async commits in a loop that sleeps retry.backoff.ms whenever
    // another response (a prefetch) wakes it first.
    consumer.commitSync(commit);
    return answer;
  }

  /**
   * Moves kept records into {@code out} within the call's record and byte limits and the node's
   * in-flight bound: true when a limit is reached.
   */
  private static boolean take(
      ConsumerPool.Pooled pooled,
      List<TopicPartition> partitions,
      String topic,
      ConsumeRequest request,
      List<IncomingRecord> out,
      long[] bytes,
      InFlightRecords.Share share) {
    for (TopicPartition partition : partitions) {
      ArrayDeque<ConsumerRecord<byte[], byte[]>> kept = pooled.leftovers.get(partition);
      while (kept != null && !kept.isEmpty()) {
        if (out.size() >= request.maxMessages()) {
          return true;
        }
        IncomingRecord record = incoming(topic, kept.peek());
        // Always return at least one record, or a record above the cap would block the group.
        if (!out.isEmpty() && bytes[0] + record.size() > request.maxBytes()) {
          return true;
        }
        if (!share.take(record.size())) {
          return true;
        }
        kept.poll();
        out.add(record);
        bytes[0] += record.size();
      }
    }
    return out.size() >= request.maxMessages();
  }

  private static Map<TopicPartition, Long> startOffsets(
      Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, StartPosition start) {
    Map<TopicPartition, Long> starts = new HashMap<>();
    switch (start) {
      case StartPosition.Committed committed -> {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            consumer.committed(new HashSet<>(partitions));
        List<TopicPartition> missing = new ArrayList<>();
        for (TopicPartition partition : partitions) {
          OffsetAndMetadata offset = offsets.get(partition);
          if (offset == null) {
            missing.add(partition);
          } else {
            starts.put(partition, offset.offset());
          }
        }
        if (!missing.isEmpty()) {
          starts.putAll(
              committed.resetToEarliest()
                  ? consumer.beginningOffsets(missing)
                  : consumer.endOffsets(missing));
        }
      }
      case StartPosition.Earliest earliest -> starts.putAll(consumer.beginningOffsets(partitions));
      case StartPosition.Latest latest -> starts.putAll(consumer.endOffsets(partitions));
      case StartPosition.Offset offset -> {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
          // Clamped into the partition, as auto.offset.reset would move an out-of-range offset.
          starts.put(
              partition,
              Math.max(begin.get(partition), Math.min(offset.offset(), end.get(partition))));
        }
      }
      case StartPosition.Timestamp time -> {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, time.epochMillis()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
          OffsetAndTimestamp at = found.get(partition);
          starts.put(partition, at == null ? end.get(partition) : at.offset());
        }
      }
    }
    return starts;
  }

  private static IncomingRecord incoming(String topic, ConsumerRecord<byte[], byte[]> record) {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(), header.value()));
    }
    return new IncomingRecord(
        topic,
        record.partition(),
        record.offset(),
        record.timestamp(),
        record.timestampType().name,
        record.key(),
        record.value(),
        headers);
  }

  private static Throwable translate(Throwable e, String topic, ConsumeRequest request) {
    Throwable cause = KafkaFailures.unwrap(e);
    if (cause instanceof ConsumerPool.GroupBusy) {
      return KafkaErrors.groupBusy(request.group());
    }
    if (cause instanceof CommitFailedException
        || cause instanceof UnknownMemberIdException
        || cause instanceof IllegalGenerationException
        || cause instanceof RebalanceInProgressException
        || cause instanceof StaleMemberEpochException
        || cause instanceof FencedInstanceIdException) {
      return KafkaErrors.groupActive(request.group());
    }
    return KafkaFailures.translate(cause, topic);
  }

  @Override
  public void destroy() {
    eviction.dispose();
    scheduler.dispose(); // interrupts running calls, which give their consumers back
    pool.close();
  }
}
