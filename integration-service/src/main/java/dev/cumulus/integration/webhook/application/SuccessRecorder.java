package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.webhook.domain.ClaimedDelivery;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository.Succeeded;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Records successful attempts together: the successes that arrive while one batch is being written
 * go into the next, one statement each (attempt logged, delivery ended, the endpoint's failure run
 * cleared). An idle node writes a success at once; a busy one writes one statement per batch
 * instead of a transaction per delivery, which was the dispatcher's main cost.
 */
@Component
class SuccessRecorder {

  private static final int MAX_BATCH = 256;

  private record Pending(Succeeded attempt, Sinks.One<Void> done) {}

  private final DeliveryRepository deliveries;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  SuccessRecorder(DeliveryRepository deliveries) {
    this.deliveries = deliveries;
  }

  /** Completes once the success is committed. */
  Mono<Void> record(ClaimedDelivery d, AttemptOutcome outcome) {
    Sinks.One<Void> done = Sinks.one();
    queue.add(
        new Pending(
            new Succeeded(
                d.id(),
                d.endpointId(),
                d.messageId(),
                d.attempt(),
                outcome.statusCode(),
                outcome.latencyMs(),
                outcome.excerpt()),
            done));
    writeNext();
    return done.asMono();
  }

  /** Starts writing the queued successes unless a batch is being written already. */
  private void writeNext() {
    if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    for (Pending p = queue.poll(); p != null; p = batch.size() < MAX_BATCH ? queue.poll() : null) {
      batch.add(p);
    }
    deliveries
        .recordSucceeded(batch.stream().map(Pending::attempt).toList())
        .subscribe(null, error -> finish(batch, error), () -> finish(batch, null));
  }

  private void finish(List<Pending> batch, Throwable error) {
    writing.set(false);
    // The next batch first: completing a sink may run a caller's continuation on this thread.
    writeNext();
    for (Pending p : batch) {
      if (error == null) {
        p.done().tryEmitEmpty();
      } else {
        p.done().tryEmitError(error);
      }
    }
  }
}
