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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open consumers, one per consumer group, reused across REST calls. A consumer is only {@code
 * assign()}ed (never subscribed), so using it costs no rebalance; calls of one group on this node
 * take turns on its consumer, and it keeps what it fetched beyond a call's {@code maxMessages} for
 * the next call. Stateless reads (no group) use a consumer of their own per call.
 *
 * <p>What idle consumers keep in memory is bounded by {@code retainedBudget} bytes: the records
 * kept for the next call plus, per consumer, the fetch it may have buffered. Past it (or past
 * {@code maxSize} consumers) the least recently used idle consumers are closed, so a tenant opening
 * many groups cannot fill the heap.
 *
 * <p>Consumers are not thread-safe: every method here runs on the consume scheduler's threads.
 */
final class ConsumerPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsumerPool.class);

  /** A ConsumerRecord's own objects beside its bytes, roughly. */
  private static final long RECORD_OVERHEAD = 200;

  private final Function<String, Consumer<byte[], byte[]>> factory;
  private final int maxSize;
  private final long retainedBudget;
  private final long fetchBound;
  private final Duration idleTimeout;
  private final Map<String, Pooled> byGroup = new ConcurrentHashMap<>();

  /**
   * @param retainedBudget bytes idle consumers may keep, in all
   * @param fetchBound the most one consumer may have buffered from the broker (its {@code
   *     fetch.max.bytes})
   */
  ConsumerPool(
      Function<String, Consumer<byte[], byte[]>> factory,
      int maxSize,
      long retainedBudget,
      long fetchBound,
      Duration idleTimeout) {
    this.factory = factory;
    this.maxSize = maxSize;
    this.retainedBudget = retainedBudget;
    this.fetchBound = fetchBound;
    this.idleTimeout = idleTimeout;
  }

  /**
   * A call of the group waited longer than it may for the group's consumer. It knows only the
   * broker's group name, so the caller turns it into the API's error with the tenant's.
   */
  static final class GroupBusy extends RuntimeException {
    GroupBusy() {
      super("Another call of the consumer group holds its consumer", null, false, false);
    }
  }

  /** One pooled consumer and what it fetched but has not returned yet. */
  static final class Pooled {
    final Consumer<byte[], byte[]> consumer;
    final ReentrantLock lock = new ReentrantLock();
    final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> leftovers =
        new HashMap<>();

    /** Partitions this consumer has a position in (seeked since their assignment). */
    final java.util.Set<TopicPartition> positioned = new java.util.HashSet<>();

    volatile long lastUsed = System.nanoTime();
    volatile boolean closed;

    /** What this consumer holds between calls (bytes), as of its last call. */
    volatile long retained;

    Pooled(Consumer<byte[], byte[]> consumer) {
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

    /** The kept records' keys and values plus what the consumer may have buffered. */
    long measureRetained(long fetchBound) {
      long bytes = 0;
      for (ArrayDeque<ConsumerRecord<byte[], byte[]>> kept : leftovers.values()) {
        for (ConsumerRecord<byte[], byte[]> record : kept) {
          bytes += RECORD_OVERHEAD;
          bytes += record.key() == null ? 0 : record.key().length;
          bytes += record.value() == null ? 0 : record.value().length;
        }
      }
      // A buffered fetch keeps its whole response (up to fetch.max.bytes) alive, whatever share
      // of it is left: count the bound for any consumer that has fetched.
      return bytes + (positioned.isEmpty() ? 0 : fetchBound);
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
        throw new GroupBusy();
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
        pooled.retained = pooled.closed ? 0 : pooled.measureRetained(fetchBound);
        pooled.lastUsed = System.nanoTime();
        pooled.lock.unlock();
        evictOverLimits();
      }
    }
  }

  /**
   * Closes the group's consumer here, after any call of it on this node finished (waiting up to
   * {@code wait}): its group is about to be deleted, and a call still running would commit it back
   * into existence.
   *
   * @return false when a call of the group still held the consumer after {@code wait} (nothing is
   *     closed then); true when it was closed, or none was pooled
   */
  boolean forget(String group, Duration wait) throws InterruptedException {
    Pooled pooled = byGroup.get(group);
    if (pooled == null) {
      return true;
    }
    if (!pooled.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    try {
      discard(group, pooled);
      return true;
    } finally {
      pooled.lock.unlock();
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

  /** Bytes the pooled consumers hold between calls, as of their last calls. */
  long retained() {
    return byGroup.values().stream().mapToLong(p -> p.retained).sum();
  }

  /** Closes idle consumers, least recently used first, until the pool is within both limits. */
  private void evictOverLimits() {
    if (byGroup.size() <= maxSize && retained() <= retainedBudget) {
      return;
    }
    var oldestFirst =
        byGroup.entrySet().stream()
            .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed))
            .toList();
    for (Map.Entry<String, Pooled> entry : oldestFirst) {
      if (byGroup.size() <= maxSize && retained() <= retainedBudget) {
        return;
      }
      tryDiscard(entry.getKey(), entry.getValue()); // a consumer in use is skipped
    }
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

  /** As {@link #close(Duration)}, waiting up to 5 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /**
   * Closes every consumer once the call using it (if any) is over, waiting up to {@code wait} in
   * all. A consumer is not thread-safe: closed under a running call, it threw and stayed open.
   */
  void close(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    byGroup.forEach(
        (group, pooled) -> {
          try {
            if (pooled.lock.tryLock(
                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
              try {
                discard(group, pooled);
              } finally {
                pooled.lock.unlock();
              }
            } else {
              log.warn("The consumer of group {} was still in use when the pool closed", group);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
