package dev.cumulus.integration.webhook.application;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Wakes this node's dispatcher when deliveries become due (new events, replays, freed slots). */
@Component
public class DispatchSignal {

  private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

  public void wake() {
    // Only one thread may emit at a time: a loser retries at once (the winner's emit is short)
    // rather than lose the wake-up, which would leave the dispatcher idle until its next poll.
    // Any other failure (no dispatcher, one not ready for more) is fine: one pending wake-up
    // is as good as many.
    while (wakeups.tryEmitNext(Boolean.TRUE) == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
      Thread.onSpinWait();
    }
  }

  Flux<Boolean> wakeups() {
    return wakeups.asFlux();
  }
}
