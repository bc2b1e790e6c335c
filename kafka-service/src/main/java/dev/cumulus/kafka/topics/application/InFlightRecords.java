package dev.cumulus.kafka.topics.application;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The record bytes that running REST consume calls hold on this node, in all, bounded: each call
 * takes room record by record as it collects its answer and gives it all back when it ends. Without
 * it, {@code threads} calls of {@code maxResponseBytes} each could hold their product at once (16 ×
 * 8 MB by default). A call that finds no room answers with what it has (the byte limit is a cap,
 * not a promise); one that has nothing yet is refused (503), never left to wait holding a thread.
 */
final class InFlightRecords {

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  InFlightRecords(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("in-flight-bytes must be positive, was " + limit);
    }
    this.limit = limit;
  }

  /** A new call's share, empty. Used by one thread; close it when the call ends. */
  Share share() {
    return new Share();
  }

  /** Bytes held by running calls now. */
  long held() {
    return held.get();
  }

  /** One call's share of the bound. */
  final class Share implements AutoCloseable {

    private long bytes;
    private boolean refused;

    private Share() {}

    /** Room for {@code size} more bytes: false, and nothing taken, when the node has none left. */
    boolean take(long size) {
      long now;
      do {
        now = held.get();
        if (now + size > limit) {
          refused = true;
          return false;
        }
      } while (!held.compareAndSet(now, now + size));
      bytes += size;
      return true;
    }

    /** Whether a {@link #take} found no room. */
    boolean refused() {
      return refused;
    }

    @Override
    public void close() {
      held.addAndGet(-bytes);
      bytes = 0;
    }
  }
}
