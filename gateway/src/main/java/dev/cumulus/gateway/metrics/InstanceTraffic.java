package dev.cumulus.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per (tenant, instance, minute) request counts, 4xx and 5xx counts and a latency histogram, held
 * in memory between flushes. Recording is a map lookup and a few {@link LongAdder} adds; {@link
 * #drain} hands the counters collected so far to the flusher and starts a new generation.
 *
 * <p>A request that looked up its counters just before a drain may add to them just after: the
 * drained generation is therefore flushed one drain later ({@link #drain} returns the generation
 * before the one it swaps out), when no request can still hold it.
 */
final class InstanceTraffic {

  /** What one flush writes to one Redis hash. */
  record Key(String tenantId, String instanceId, long epochMinute) {}

  /** The counters of one key; public fields because the flusher reads them all. */
  static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder clientErrors = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder[] latency = new LongAdder[LatencyHistogram.BUCKETS];

    Counters() {
      for (int i = 0; i < latency.length; i++) {
        latency[i] = new LongAdder();
      }
    }

    void add(int status, long nanos) {
      requests.increment();
      if (status >= 500) {
        serverErrors.increment();
      } else if (status >= 400) {
        clientErrors.increment();
      }
      latency[LatencyHistogram.bucketOf(nanos)].increment();
    }
  }

  private final int maxKeys;
  private final AtomicLong dropped = new AtomicLong();
  private volatile ConcurrentHashMap<Key, Counters> current = new ConcurrentHashMap<>();
  private Map<Key, Counters> previous = Map.of();

  InstanceTraffic(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /** Counts one answered request; beyond {@code maxKeys} new keys per generation it is dropped. */
  void record(String tenantId, String instanceId, long epochMinute, int status, long nanos) {
    ConcurrentHashMap<Key, Counters> generation = current;
    Key key = new Key(tenantId, instanceId, epochMinute);
    Counters counters = generation.get(key);
    if (counters == null) {
      if (generation.size() >= maxKeys) {
        dropped.incrementAndGet();
        return;
      }
      counters = generation.computeIfAbsent(key, k -> new Counters());
    }
    counters.add(status, nanos);
  }

  /** Starts a new generation and returns the one before the generation just ended. */
  synchronized Map<Key, Counters> drain() {
    Map<Key, Counters> ready = previous;
    previous = current;
    current = new ConcurrentHashMap<>();
    return ready;
  }

  /** Both generations still held, for a final flush at shutdown. */
  synchronized Map<Key, Counters> drainAll() {
    Map<Key, Counters> all = new ConcurrentHashMap<>(previous);
    current.forEach((key, counters) -> all.merge(key, counters, InstanceTraffic::sum));
    previous = Map.of();
    current = new ConcurrentHashMap<>();
    return all;
  }

  /** Requests not counted because too many keys were seen in one generation. */
  long dropped() {
    return dropped.get();
  }

  private static Counters sum(Counters a, Counters b) {
    Counters sum = new Counters();
    for (Counters c : new Counters[] {a, b}) {
      sum.requests.add(c.requests.sum());
      sum.clientErrors.add(c.clientErrors.sum());
      sum.serverErrors.add(c.serverErrors.sum());
      for (int i = 0; i < sum.latency.length; i++) {
        sum.latency[i].add(c.latency[i].sum());
      }
    }
    return sum;
  }
}
