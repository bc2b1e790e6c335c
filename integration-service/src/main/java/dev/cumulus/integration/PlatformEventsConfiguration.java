package dev.cumulus.integration;

import dev.cumulus.integration.notification.application.NotificationService;
import dev.cumulus.integration.webhook.application.WebhookFanout;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxBatchConsumer;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
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
}
