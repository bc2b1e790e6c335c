package dev.cumulus.integration;

import dev.cumulus.integration.notification.application.NotificationService;
import dev.cumulus.integration.webhook.application.WebhookFanout;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The consumer of every platform event ({@code cumulus.*} topics, by pattern): each event becomes
 * webhook deliveries and, for the kinds users are told about, a notification (with its e-mails),
 * once per event id (the inbox), all in one transaction.
 */
@Configuration(proxyBeanMethods = false)
class PlatformEventsConfiguration {

  @Bean
  Consumer<Message<byte[]>> platformEvents(
      Inbox inbox, WebhookFanout webhooks, NotificationService notifications) {
    return new InboxConsumer(
        inbox,
        "platform-events",
        event -> webhooks.handle(event).then(notifications.fromEvent(event)));
  }
}
