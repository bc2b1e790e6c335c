package dev.cumulus.storage.object.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * StatementBatcher's grouping, limits and failure handling, with writes the test completes by hand
 * (no timing involved): the database side is {@code ObjectRepository.commitAll}, exercised against
 * PostgreSQL by S3ProtocolIT.
 */
class StatementBatcherTests {

  static final Duration WAIT = Duration.ofSeconds(5);

  /** Writes that finish when the test says so; records every call. */
  static class HeldWrites {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<String> singles = new CopyOnWriteArrayList<>();
    final List<Sinks.Empty<Void>> gates = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();
    volatile RuntimeException batchError;
    volatile String failingItem;

    Flux<String> writeAll(List<String> items) {
      batches.add(items);
      return held()
          .thenMany(
              batchError != null
                  ? Flux.error(batchError)
                  : Flux.fromIterable(items).map(item -> "done " + item));
    }

    Mono<String> writeOne(String item) {
      singles.add(item);
      return held()
          .then(
              item.equals(failingItem)
                  ? Mono.error(new IllegalArgumentException("bad " + item))
                  : Mono.just("done " + item));
    }

    private Mono<Void> held() {
      Sinks.Empty<Void> gate = Sinks.empty();
      gates.add(gate);
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      return gate.asMono().doOnTerminate(running::decrementAndGet);
    }

    /** Lets every write started so far finish. */
    void releaseAll() {
      for (Sinks.Empty<Void> gate : gates) {
        gate.tryEmitEmpty();
      }
    }
  }

  static StatementBatcher<String, String> batcher(
      HeldWrites writes, boolean rolledBack, int maxBatch, int maxInFlight) {
    return new StatementBatcher<>(
        writes::writeAll, writes::writeOne, error -> rolledBack, maxBatch, maxInFlight);
  }

  static List<Mono<String>> submitAll(StatementBatcher<String, String> batcher, String... items) {
    List<Mono<String>> results = new ArrayList<>();
    for (String item : items) {
      results.add(batcher.submit(item).cache());
      results.getLast().subscribe(value -> {}, error -> {});
    }
    return results;
  }

  @Test
  void aWriteAloneGoesAtOnceOnItsOwn() {
    HeldWrites writes = new HeldWrites();
    List<Mono<String>> results = submitAll(batcher(writes, true, 8, 1), "a");
    assertThat(writes.singles).containsExactly("a");
    writes.releaseAll();
    assertThat(results.getFirst().block(WAIT)).isEqualTo("done a");
    assertThat(writes.batches).isEmpty();
  }

  @Test
  void writesArrivingDuringAWriteLeaveTogetherInTheirOrder() {
    HeldWrites writes = new HeldWrites();
    StatementBatcher<String, String> batcher = batcher(writes, true, 8, 1);
    List<Mono<String>> first = submitAll(batcher, "a");
    List<Mono<String>> queued = submitAll(batcher, "b", "c", "d");
    assertThat(writes.batches).isEmpty(); // "a" holds the only slot

    writes.releaseAll(); // "a" finishes: b, c and d leave as one batch
    assertThat(writes.batches).containsExactly(List.of("b", "c", "d"));
    writes.releaseAll();
    assertThat(first.getFirst().block(WAIT)).isEqualTo("done a");
    assertThat(queued)
        .extracting(result -> result.block(WAIT))
        .containsExactly("done b", "done c", "done d");
  }

  @Test
  void batchesAreNeverLargerThanTheLimitAndNeverMoreRunThanAllowed() {
    HeldWrites writes = new HeldWrites();
    StatementBatcher<String, String> batcher = batcher(writes, true, 2, 2);
    List<Mono<String>> results = submitAll(batcher, "a", "b", "c", "d", "e", "f", "g");
    assertThat(writes.singles).containsExactly("a", "b"); // both slots taken at once
    while (writes.running.get() > 0) {
      writes.releaseAll();
    }
    // a and b went alone; as each finished, the next two queued left together; g was left alone.
    assertThat(writes.batches).containsExactly(List.of("c", "d"), List.of("e", "f"));
    assertThat(writes.singles).containsExactly("a", "b", "g");
    assertThat(writes.mostRunning.get()).isEqualTo(2);
    assertThat(results)
        .extracting(result -> result.block(WAIT))
        .containsExactly("done a", "done b", "done c", "done d", "done e", "done f", "done g");
  }

  @Test
  void aRolledBackBatchIsWrittenAgainOneByOneSoOnlyTheFaultyWriteFails() {
    HeldWrites writes = new HeldWrites();
    writes.batchError = new IllegalStateException("foreign key violation");
    writes.failingItem = "c";
    StatementBatcher<String, String> batcher = batcher(writes, true, 8, 1);
    submitAll(batcher, "a");
    List<Mono<String>> queued = submitAll(batcher, "b", "c", "d");
    while (writes.running.get() > 0) {
      writes.releaseAll();
    }
    assertThat(writes.batches).containsExactly(List.of("b", "c", "d"));
    assertThat(writes.singles).containsExactly("a", "b", "c", "d");
    assertThat(queued.get(0).block(WAIT)).isEqualTo("done b");
    assertThat(queued.get(2).block(WAIT)).isEqualTo("done d");
    assertThatThrownBy(() -> queued.get(1).block(WAIT)).hasMessage("bad c");
  }

  @Test
  void aBatchWhoseOutcomeIsUnknownFailsAllItsWritesWithoutWritingThemAgain() {
    HeldWrites writes = new HeldWrites();
    writes.batchError = new IllegalStateException("connection lost");
    StatementBatcher<String, String> batcher = batcher(writes, false, 8, 1);
    submitAll(batcher, "a");
    List<Mono<String>> queued = submitAll(batcher, "b", "c");
    while (writes.running.get() > 0) {
      writes.releaseAll();
    }
    assertThat(writes.singles).containsExactly("a");
    for (Mono<String> result : queued) {
      assertThatThrownBy(() -> result.block(WAIT)).hasMessage("connection lost");
    }
  }
}
