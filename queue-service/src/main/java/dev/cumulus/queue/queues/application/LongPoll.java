package dev.cumulus.queue.queues.application;

import dev.cumulus.queue.queues.domain.ReceivedMessage;
import dev.cumulus.queue.queues.persistence.MessageNotifications;
import dev.cumulus.queue.queues.persistence.MessageRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Long polling without a polling interval: a receive that found nothing waits for the first of a
 * notification of its queue (a send on any replica), the moment the next delayed or in-flight
 * message becomes visible, or its deadline, then tries again. It listens before it looks, so a
 * message sent in between is not missed.
 */
@Component
public class LongPoll {

  private final MessageNotifications notifications;
  private final MessageRepository messages;

  public LongPoll(MessageNotifications notifications, MessageRepository messages) {
    this.notifications = notifications;
    this.messages = messages;
  }

  public Mono<List<ReceivedMessage>> poll(
      UUID queueId, int waitSeconds, Supplier<Mono<List<ReceivedMessage>>> attempt) {
    if (waitSeconds <= 0) {
      return attempt.get();
    }
    return round(queueId, Instant.now().plusSeconds(waitSeconds), attempt);
  }

  private Mono<List<ReceivedMessage>> round(
      UUID queueId, Instant deadline, Supplier<Mono<List<ReceivedMessage>>> attempt) {
    return Mono.defer(
        () -> {
          Sinks.Empty<Void> woken = Sinks.empty();
          var listening =
              notifications
                  .arrivals()
                  .filter(id -> id.equals(queueId) || id.equals(MessageNotifications.EVERY_QUEUE))
                  .next()
                  .subscribe(id -> woken.tryEmitEmpty());
          return attempt
              .get()
              .flatMap(
                  found -> {
                    Duration left = Duration.between(Instant.now(), deadline);
                    if (!found.isEmpty() || left.isNegative() || left.isZero()) {
                      return Mono.just(found);
                    }
                    return messages
                        .nextVisibleAt(queueId)
                        .map(next -> min(left, Duration.between(Instant.now(), next)))
                        .defaultIfEmpty(left)
                        .flatMap(
                            sleep ->
                                Mono.firstWithSignal(
                                    woken.asMono(), Mono.delay(positive(sleep)).then()))
                        .then(round(queueId, deadline, attempt));
                  })
              .doFinally(signal -> listening.dispose());
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() || duration.isZero() ? Duration.ofMillis(1) : duration;
  }
}
