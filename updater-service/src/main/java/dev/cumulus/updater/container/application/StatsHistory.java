package dev.cumulus.updater.container.application;

import dev.cumulus.updater.engine.domain.EngineStats;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The last samples this instance took of each container (seed 002's {@code stats.history}); kept in
 * memory, bounded per container and in the number of containers.
 */
@Component
public class StatsHistory {

  private static final int SAMPLES = 60;
  private static final int CONTAINERS = 10_000;

  /** One sample and when it was taken. */
  public record Sample(Instant at, EngineStats stats) {}

  private final Map<Long, Deque<Sample>> samples = new ConcurrentHashMap<>();

  /** Records the sample; answers the history before it, oldest first. */
  public List<Sample> record(long containerId, EngineStats stats) {
    if (samples.size() >= CONTAINERS && !samples.containsKey(containerId)) {
      samples.clear();
    }
    Deque<Sample> deque = samples.computeIfAbsent(containerId, id -> new ArrayDeque<>());
    synchronized (deque) {
      List<Sample> before = List.copyOf(deque);
      deque.addLast(new Sample(Instant.now(), stats));
      while (deque.size() > SAMPLES) {
        deque.removeFirst();
      }
      return before;
    }
  }
}
