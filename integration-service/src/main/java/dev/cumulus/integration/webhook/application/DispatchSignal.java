package dev.cumulus.integration.webhook.application;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Wakes this node's dispatcher when deliveries become due (new events, replays, freed slots). */
@Component
public class DispatchSignal {

  private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

  public void wake() {
    wakeups.tryEmitNext(Boolean.TRUE);
  }

  Flux<Boolean> wakeups() {
    return wakeups.asFlux();
  }
}
