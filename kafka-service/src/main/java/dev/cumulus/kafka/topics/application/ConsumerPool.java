package dev.cumulus.kafka.topics.application;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open consumers, one per consumer group, reused across REST calls. A consumer is only {@code
 * assign()}ed (never subscribed), so using it costs no rebalance; calls of one group on this node
 * take turns on its consumer, and it keeps what it fetched beyond a call's {@code maxMessages} for
 * the next call. Stateless reads (no group) use a consumer of their own per call.
 *
 * <p>Consumers are not thread-safe: every method here runs on the consume scheduler's threads.
 */
final class ConsumerPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsumerPool.class);

  private final Function<String, KafkaConsumer<byte[], byte[]>> factory;
  private final int maxSize;
  private final Duration idleTimeout;
  private final Map<String, Pooled> byGroup = new ConcurrentHashMap<>();

  ConsumerPool(
      Function<String, KafkaConsumer<byte[], byte[]>> factory, int maxSize, Duration idleTimeout) {
    this.factory = factory;
    this.maxSize = maxSize;
    this.idleTimeout = idleTimeout;
  }

  /** One pooled consumer and what it fetched but has not returned yet. */
  static final class Pooled {
    final KafkaConsumer<byte[], byte[]> consumer;
    final ReentrantLock lock = new ReentrantLock();
    final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> leftovers =
        new HashMap<>();

    /** Partitions this consumer has a position in (seeked since their assignment). */
    final java.util.Set<TopicPartition> positioned = new java.util.HashSet<>();

    volatile long lastUsed = System.nanoTime();
    volatile boolean closed;

    Pooled(KafkaConsumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
    }

    /** The offset of the next record this consumer would return for the partition, or -1. */
    long nextOffset(TopicPartition partition) {
      if (!positioned.contains(partition)) {
        return -1;
      }
      ArrayDeque<ConsumerRecord<byte[], byte[]>> kept = leftovers.get(partition);
      return kept == null || kept.isEmpty() ? consumer.position(partition) : kept.peek().offset();
    }

    /** Moves to {@code offset}, dropping what was fetched from elsewhere. */
    void seek(TopicPartition partition, long offset) {
      leftovers.remove(partition);
      consumer.seek(partition, offset);
      positioned.add(partition);
    }

    void assign(java.util.List<TopicPartition> partitions) {
      leftovers.clear();
      positioned.clear();
      consumer.assign(partitions);
    }
  }

  /**
   * Runs {@code work} with the group's consumer, waiting up to {@code wait} for another call of the
   * same group to finish. A consumer that failed is closed, and the next call opens a new one.
   */
  <T> T withConsumer(String group, Duration wait, BiFunction<Pooled, Boolean, T> work)
      throws InterruptedException {
    if (group == null) {
      Pooled own = new Pooled(factory.apply(null));
      try {
        return work.apply(own, true);
      } finally {
        own.consumer.close(Duration.ofSeconds(1));
      }
    }
    while (true) {
      boolean[] fresh = {false};
      Pooled pooled =
          byGroup.computeIfAbsent(
              group,
              g -> {
                fresh[0] = true;
                return new Pooled(factory.apply(g));
              });
      if (!pooled.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw dev.cumulus.kafka.topics.domain.KafkaErrors.groupBusy(group);
      }
      try {
        if (pooled.closed) {
          continue; // evicted while we waited: take a new one
        }
        pooled.lastUsed = System.nanoTime();
        try {
          return work.apply(pooled, fresh[0]);
        } catch (RuntimeException e) {
          discard(group, pooled);
          throw e;
        }
      } finally {
        pooled.lastUsed = System.nanoTime();
        pooled.lock.unlock();
        if (byGroup.size() > maxSize) {
          evictLeastRecentlyUsed();
        }
      }
    }
  }

  /** Closes consumers idle longer than the idle timeout. */
  void evictIdle() {
    long now = System.nanoTime();
    byGroup.forEach(
        (group, pooled) -> {
          if (now - pooled.lastUsed > idleTimeout.toNanos()) {
            tryDiscard(group, pooled);
          }
        });
  }

  int size() {
    return byGroup.size();
  }

  private void evictLeastRecentlyUsed() {
    byGroup.entrySet().stream()
        .min(Comparator.comparingLong(e -> e.getValue().lastUsed))
        .ifPresent(e -> tryDiscard(e.getKey(), e.getValue()));
  }

  private void tryDiscard(String group, Pooled pooled) {
    if (pooled.lock.tryLock()) {
      try {
        discard(group, pooled);
      } finally {
        pooled.lock.unlock();
      }
    }
  }

  private void discard(String group, Pooled pooled) {
    byGroup.remove(group, pooled);
    if (!pooled.closed) {
      pooled.closed = true;
      try {
        pooled.consumer.close(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        log.debug("Closing the consumer of group {} failed", group, e);
      }
    }
  }

  @Override
  public void close() {
    byGroup.forEach(this::discard);
  }
}
