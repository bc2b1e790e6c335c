package dev.cumulus.platform.events;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;

/**
 * The consumer pattern every service follows, as a Spring Cloud Stream function bean: read the
 * CloudEvent from the Kafka message, hand it to the handler once per event id (the {@link Inbox}
 * records it in the handler's transaction), and wait for the handler. It runs on the binder's
 * listener thread, not an event loop, so waiting is fine and the offset is committed only after the
 * handler's transaction.
 */
public final class InboxConsumer implements Consumer<Message<byte[]>> {

  private static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(60);

  private final Inbox inbox;
  private final String consumer;
  private final Function<ReceivedEvent, Mono<?>> handler;

  /**
   * @param consumer the inbox's name for this consumer: events are deduplicated per name
   */
  public InboxConsumer(Inbox inbox, String consumer, Function<ReceivedEvent, Mono<?>> handler) {
    this.inbox = inbox;
    this.consumer = consumer;
    this.handler = handler;
  }

  @Override
  public void accept(Message<byte[]> message) {
    ReceivedEvent event = CloudEventHeaders.read(message.getHeaders(), message.getPayload());
    inbox.processOnce(consumer, event, handler::apply).block(HANDLER_TIMEOUT);
  }
}
