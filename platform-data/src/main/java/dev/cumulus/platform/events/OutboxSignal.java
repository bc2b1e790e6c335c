package dev.cumulus.platform.events;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells this node's {@link OutboxRelay} that outbox rows were just committed, so that it publishes
 * them now instead of at its next poll. The relay still polls, less often, for rows committed where
 * nobody signalled: another replica, a relay that was busy or could not publish.
 */
public final class OutboxSignal {

  private final Sinks.Many<Boolean> commits = Sinks.many().multicast().directBestEffort();

  /** Outbox rows were committed; any thread. Nothing happens when no relay listens. */
  public void committed() {
    // Only one thread may emit at a time; a loser retries at once (the winner's emit is short).
    // Every other failure (no relay, a relay not ready for more) is fine: one pending wake-up is
    // as good as many.
    while (commits.tryEmitNext(Boolean.TRUE) == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
      Thread.onSpinWait();
    }
  }

  Flux<Boolean> commits() {
    return commits.asFlux();
  }
}
