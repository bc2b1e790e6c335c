package dev.cumulus.storage.object.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Groups statements of concurrent requests: work that arrives while earlier work is in the database
 * leaves together, as one statement (one round trip; for writes one transaction and one WAL flush:
 * group commit). Nothing waits for a batch to fill: while fewer than {@code maxInFlight} batches
 * run, an item goes at once (alone, if it is alone); items arriving meanwhile queue and go as the
 * next batch when one finishes. Idle, it adds no latency; busy, batches grow with the wait.
 *
 * <p>A batch is all or nothing. When it fails with an error that says it was rolled back ({@code
 * rolledBack}), each of its items is run again on its own, so only the one at fault fails, with its
 * own error; any other error (the outcome unknown, e.g. a connection lost) goes to all.
 *
 * @param <I> an item of work
 * @param <R> its result
 */
final class StatementBatcher<I, R> {

  private record Pending<I, R>(I item, MonoSink<R> sink) {}

  private final Function<List<I>, Flux<R>> runAll;
  private final Function<I, Mono<R>> runOne;
  private final Predicate<Throwable> rolledBack;
  private final int maxBatch;
  private final int maxInFlight;
  private final Queue<Pending<I, R>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param runAll runs a batch (two or more items) as one statement; emits one result per item, in
   *     the batch's order
   * @param runOne runs one item on its own
   */
  StatementBatcher(
      Function<List<I>, Flux<R>> runAll,
      Function<I, Mono<R>> runOne,
      Predicate<Throwable> rolledBack,
      int maxBatch,
      int maxInFlight) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
    }
    this.runAll = runAll;
    this.runOne = runOne;
    this.rolledBack = rolledBack;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  Mono<R> submit(I item) {
    return Mono.create(
        sink -> {
          queue.add(new Pending<>(item, sink));
          drain();
        });
  }

  /**
   * Starts batches while there is work and room. A finishing batch frees its slot before it drains,
   * and a submitter queues before it drains, so a queued item always finds one of them to start it.
   */
  private void drain() {
    while (!queue.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxInFlight) {
        return;
      }
      if (!inFlight.compareAndSet(running, running + 1)) {
        continue;
      }
      List<Pending<I, R>> batch = new ArrayList<>();
      Pending<I, R> next;
      while (batch.size() < maxBatch && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) { // another drain took them
        inFlight.decrementAndGet();
        continue;
      }
      run(batch)
          .doFinally(
              signal -> {
                inFlight.decrementAndGet();
                drain();
              })
          .subscribe();
    }
  }

  private Mono<Void> run(List<Pending<I, R>> batch) {
    if (batch.size() == 1) {
      return runAlone(batch.get(0));
    }
    return runAll
        .apply(batch.stream().map(Pending::item).toList())
        .collectList()
        .doOnNext(
            results -> {
              // It ran (a write committed), so it never runs again.
              if (results.size() != batch.size()) {
                IllegalStateException wrong =
                    new IllegalStateException(
                        results.size() + " results for a batch of " + batch.size());
                batch.forEach(pending -> pending.sink().error(wrong));
                return;
              }
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).sink().success(results.get(i));
              }
            })
        .then()
        .onErrorResume(
            error -> {
              if (rolledBack.test(error)) {
                return Flux.fromIterable(batch).concatMap(this::runAlone).then();
              }
              batch.forEach(pending -> pending.sink().error(error));
              return Mono.empty();
            });
  }

  private Mono<Void> runAlone(Pending<I, R> pending) {
    return runOne
        .apply(pending.item())
        .doOnSuccess(result -> pending.sink().success(result))
        .doOnError(error -> pending.sink().error(error))
        .onErrorComplete()
        .then();
  }
}
