package dev.cumulus.integration;

import dev.cumulus.integration.notification.application.NotificationService;
import dev.cumulus.integration.webhook.application.WebhookFanout;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxBatchConsumer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.ExponentialBackOff;
import reactor.core.publisher.Flux;

/**
 * The consumer of every platform event ({@code cumulus.*} topics, by pattern), a batch per Kafka
 * poll: the events become webhook deliveries and, for the kinds users are told about, notifications
 * (with their e-mails), once per event id (the inbox), all in one transaction per poll.
 */
@Configuration(proxyBeanMethods = false)
class PlatformEventsConfiguration {

  @Bean
  Consumer<Message<List<byte[]>>> platformEvents(
      Inbox inbox, WebhookFanout webhooks, NotificationService notifications) {
    return new InboxBatchConsumer(
        inbox,
        "platform-events",
        events ->
            webhooks
                .handle(events)
                .thenMany(
                    Flux.fromIterable(events)
                        // each notification's outbox event carries its own event's tenant and
                        // request ids
                        .concatMap(
                            event -> notifications.fromEvent(event).contextWrite(event::applyTo)))
                .then());
  }

  /**
   * A poll whose transaction fails (the database away, say) is tried again with a growing pause,
   * for up to {@code give-up-after}, instead of the container's default ten immediate attempts
   * after which the poll's events were skipped: no webhook, no notification. In batch mode the
   * binder itself does no retries. The inbox makes the repeated events of a retried poll no-ops.
   */
  @Bean
  ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> retryPollsUntilHandled(
      @Value("${cumulus.integration.events.retry-first:1s}") Duration first,
      @Value("${cumulus.integration.events.retry-max:30s}") Duration max,
      @Value("${cumulus.integration.events.give-up-after:1h}") Duration giveUpAfter) {
    return (container, destination, group) -> {
      ExponentialBackOff backOff = new ExponentialBackOff(first.toMillis(), 2.0);
      backOff.setMaxInterval(max.toMillis());
      backOff.setMaxElapsedTime(giveUpAfter.toMillis());
      container.setCommonErrorHandler(new DefaultErrorHandler(backOff));
    };
  }
}
