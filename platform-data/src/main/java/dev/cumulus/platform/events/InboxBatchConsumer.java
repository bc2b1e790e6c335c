package dev.cumulus.platform.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link InboxConsumer} for a binding in batch mode ({@code consumer.batch-mode: true}): every
 * record of one Kafka poll is read as a CloudEvent and handed to the handler in one {@link Inbox}
 * transaction, so a busy consumer pays one transaction per poll instead of one per event. The
 * offsets are committed only after the handler's transaction, so a crash redelivers the batch and
 * the inbox drops what was already handled.
 *
 * <p>If the batch's transaction fails, each event is retried in a transaction of its own, so one
 * event the handler cannot take holds up only itself: the others are handled, and its failure then
 * goes back to the binder (which redelivers the batch: the events handled meanwhile are then
 * duplicates).
 */
public final class InboxBatchConsumer implements Consumer<Message<List<byte[]>>> {

  private static final Logger log = LoggerFactory.getLogger(InboxBatchConsumer.class);
  private static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(60);

  private final Inbox inbox;
  private final String consumer;
  private final Function<List<ReceivedEvent>, Mono<?>> handler;

  /**
   * @param consumer the inbox's name for this consumer: events are deduplicated per name
   * @param handler called with the events not handled before, in the order of the poll
   */
  public InboxBatchConsumer(
      Inbox inbox, String consumer, Function<List<ReceivedEvent>, Mono<?>> handler) {
    this.inbox = inbox;
    this.consumer = consumer;
    this.handler = handler;
  }

  @Override
  public void accept(Message<List<byte[]>> batch) {
    List<ReceivedEvent> events = read(batch);
    inbox
        .processOnce(consumer, events, handler::apply)
        .then()
        .onErrorResume(e -> oneByOne(events, e))
        .block(HANDLER_TIMEOUT.multipliedBy(2));
  }

  private Mono<Void> oneByOne(List<ReceivedEvent> events, Throwable cause) {
    log.warn(
        "Batch of {} events failed ({}); handling them one by one",
        events.size(),
        cause.toString());
    List<Throwable> failures = new ArrayList<>();
    return Flux.fromIterable(events)
        .concatMap(event -> alone(event).onErrorResume(e -> remember(event, e, failures)))
        .then(Mono.defer(() -> failures.isEmpty() ? Mono.empty() : failed(failures)));
  }

  private Mono<Void> alone(ReceivedEvent event) {
    return inbox.processOnce(consumer, List.of(event), handler::apply).then();
  }

  private static Mono<Void> remember(ReceivedEvent event, Throwable e, List<Throwable> failures) {
    log.warn("Event {} ({}) failed: {}", event.id(), event.type(), e.toString());
    failures.add(e);
    return Mono.empty();
  }

  private static Mono<Void> failed(List<Throwable> failures) {
    return Mono.error(failures.getFirst());
  }

  /**
   * The poll's records as CloudEvents. A record that is not one (its headers lack a required
   * attribute) is logged and skipped: it can never be handled, and failing the batch would hold up
   * every event behind it.
   */
  @SuppressWarnings("unchecked")
  private static List<ReceivedEvent> read(Message<List<byte[]>> batch) {
    List<byte[]> values = batch.getPayload();
    List<Map<String, Object>> headers =
        (List<Map<String, Object>>)
            batch.getHeaders().getOrDefault(KafkaHeaders.BATCH_CONVERTED_HEADERS, List.of());
    List<ReceivedEvent> events = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Map<String, Object> recordHeaders = i < headers.size() ? headers.get(i) : Map.of();
      try {
        events.add(CloudEventHeaders.read(recordHeaders, values.get(i)));
      } catch (RuntimeException notAnEvent) {
        log.warn("Skipping a record that is not a CloudEvent: {}", notAnEvent.getMessage());
      }
    }
    return events;
  }
}
