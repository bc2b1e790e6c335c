package dev.cumulus.platform.events;

import java.util.List;
import reactor.core.publisher.Mono;

/** Sends a batch of outbox events, in order, and completes once the broker has them all. */
public interface EventPublisher {

  Mono<Void> publish(List<OutboxEvent> batch);
}
