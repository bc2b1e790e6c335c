package dev.cumulus.kafka.topics.domain;

/**
 * Where a consume starts in each partition.
 *
 * <ul>
 *   <li>{@link Committed}: the group's committed offset, else {@code reset} (earliest or latest);
 *   <li>{@link Earliest} / {@link Latest}: the partition's start or end;
 *   <li>{@link Offset}: an explicit offset in one partition;
 *   <li>{@link Timestamp}: the first record at or after the time (epoch millis).
 * </ul>
 */
public sealed interface StartPosition {

  record Committed(boolean resetToEarliest) implements StartPosition {}

  record Earliest() implements StartPosition {}

  record Latest() implements StartPosition {}

  record Offset(int partition, long offset) implements StartPosition {}

  record Timestamp(long epochMillis) implements StartPosition {

    /** The consumer's offsetsForTimes throws on a negative time (it was a 500). */
    public Timestamp {
      if (epochMillis < 0) {
        throw KafkaErrors.invalidParameter("timestamp", "must not be before 1970-01-01T00:00:00Z");
      }
    }
  }
}
