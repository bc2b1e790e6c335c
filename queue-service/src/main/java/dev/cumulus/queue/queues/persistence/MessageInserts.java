package dev.cumulus.queue.queues.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit for Standard sends: concurrent sends on this replica share one INSERT statement (one
 * commit, one WAL flush) instead of one each. At most {@value #MAX_STATEMENTS} statements run at a
 * time; sends that arrive meanwhile wait and go together in the next one (up to {@value #MAX_ROWS}
 * rows), so a lone send goes at once and a busy replica spends one round trip and one commit on
 * many messages. Each send is answered only after the statement holding its rows committed: every
 * acknowledged message is durable.
 *
 * <p>A statement that fails (a queue deleted meanwhile: its rows break the foreign key) fails none
 * of the others' sends: each send in it is retried in a statement of its own.
 */
@Component
public class MessageInserts {

  /** Statements in flight at most: the pool (10 by default) keeps room for receives and deletes. */
  static final int MAX_STATEMENTS = 6;

  /** Rows per statement at most (a batch of 10 is never split). */
  static final int MAX_ROWS = 200;

  private final MessageRepository messages;
  private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();

  public MessageInserts(MessageRepository messages) {
    this.messages = messages;
  }

  private record Pending(List<MessageRepository.NewRow> rows, Sinks.One<List<Long>> done) {}

  /** Stores the rows (in order, together); their sequence numbers once committed. */
  public Flux<Long> insert(List<MessageRepository.NewRow> rows) {
    return Mono.defer(
            () -> {
              Pending pending = new Pending(rows, Sinks.one());
              waiting.add(pending);
              drain();
              return pending.done().asMono();
            })
        .flatMapIterable(seqs -> seqs);
  }

  /** Starts statements for waiting sends while fewer than the maximum run. */
  private void drain() {
    while (!waiting.isEmpty()) {
      int now = running.get();
      if (now >= MAX_STATEMENTS) {
        return; // a running statement drains again when it ends
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      List<Pending> group = new ArrayList<>();
      int size = 0;
      Pending next;
      while (size < MAX_ROWS && (next = waiting.poll()) != null) {
        group.add(next);
        size += next.rows().size();
      }
      if (group.isEmpty()) {
        running.decrementAndGet();
        continue;
      }
      run(group)
          .doFinally(
              signal -> {
                running.decrementAndGet();
                drain();
              })
          .subscribe();
    }
  }

  private Mono<Void> run(List<Pending> group) {
    List<MessageRepository.NewRow> rows = new ArrayList<>();
    group.forEach(p -> rows.addAll(p.rows()));
    return messages
        .insertAll(rows)
        .collectList()
        .doOnNext(
            seqs -> {
              int from = 0;
              for (Pending p : group) {
                int to = from + p.rows().size();
                p.done().tryEmitValue(seqs.subList(from, to));
                from = to;
              }
            })
        .then()
        .onErrorResume(
            e ->
                group.size() == 1
                    ? Mono.fromRunnable(() -> group.getFirst().done().tryEmitError(e))
                    : Flux.fromIterable(group).concatMap(this::alone).then());
  }

  /** A send of a failed group, retried on its own. */
  private Mono<Void> alone(Pending pending) {
    return messages
        .insertAll(pending.rows())
        .collectList()
        .doOnNext(seqs -> pending.done().tryEmitValue(seqs))
        .doOnError(e -> pending.done().tryEmitError(e))
        .onErrorComplete()
        .then();
  }
}
