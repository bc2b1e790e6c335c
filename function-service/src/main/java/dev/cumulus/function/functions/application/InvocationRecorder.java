package dev.cumulus.function.functions.application;

import dev.cumulus.function.functions.domain.InvocationRecord;
import dev.cumulus.function.functions.persistence.InvocationRecordRepository;
import dev.cumulus.platform.logging.WarningThrottle;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records invocations for the metrics off the callers' path, in batches: every {@link #INTERVAL}
 * the invocations finished since are written by one statement in one transaction, with the events
 * that go with them. One transaction per invocation (a WAL flush each) cost more than the
 * invocation itself. Metrics lag by about the interval.
 *
 * <p>Bounded: when the database falls behind by {@link #MAX_PENDING} records, further ones are
 * dropped (and logged) rather than held in memory; their events go with them.
 */
@Component
public class InvocationRecorder extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(InvocationRecorder.class);
  static final Duration INTERVAL = Duration.ofMillis(50);
  static final int MAX_PENDING = 100_000;
  private static final int MAX_BATCH = 2_000;

  private final InvocationRecordRepository records;
  private final TransactionalOperator tx;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final WarningThrottle dropped = new WarningThrottle(Duration.ofMinutes(1));

  public InvocationRecorder(InvocationRecordRepository records, TransactionalOperator tx) {
    super("Writing invocation records");
    this.records = records;
    this.tx = tx;
  }

  /** An invocation and what must be written with it (an event), or {@code Mono.empty()}. */
  private record Pending(InvocationRecord record, Mono<Void> alongside) {}

  /** Queues an invocation for the next batch. */
  public void record(InvocationRecord record, Mono<Void> alongside) {
    if (size.incrementAndGet() > MAX_PENDING) {
      size.decrementAndGet();
      if (dropped.due()) {
        log.warn("Invocation records dropped: {} waiting for the database", MAX_PENDING);
      }
      return;
    }
    pending.add(new Pending(record, alongside));
  }

  @Override
  protected Duration interval() {
    return INTERVAL;
  }

  @Override
  protected Mono<Void> runOnce() {
    return flush();
  }

  /** Writes what is queued now, in batches. */
  private Mono<Void> flush() {
    return Mono.defer(
        () -> {
          List<Pending> batch = new ArrayList<>();
          Pending next;
          while (batch.size() < MAX_BATCH && (next = pending.poll()) != null) {
            batch.add(next);
          }
          if (batch.isEmpty()) {
            return Mono.empty();
          }
          size.addAndGet(-batch.size());
          return write(batch).then(pending.isEmpty() ? Mono.empty() : flush());
        });
  }

  private Mono<Void> write(List<Pending> batch) {
    return records
        .insertAll(batch.stream().map(Pending::record).toList())
        .thenMany(Flux.fromIterable(batch).concatMap(Pending::alongside))
        .then()
        .as(tx::transactional)
        .onErrorResume(
            e -> {
              log.warn("{} invocation records not written: {}", batch.size(), e.toString());
              return Mono.empty();
            });
  }

  @Override
  public void stop() {
    super.stop();
    // What finished before the shutdown still counts.
    flush().block(Duration.ofSeconds(10));
  }
}
