package dev.cumulus.function.functions.application;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Wakes the event worker when an invocation is queued here (other replicas poll). */
@Component
public class EventWakeup {

  private final Sinks.Many<Boolean> signals = Sinks.many().multicast().directBestEffort();

  void now() {
    signals.tryEmitNext(Boolean.TRUE);
  }

  Flux<Boolean> signals() {
    return signals.asFlux();
  }
}
