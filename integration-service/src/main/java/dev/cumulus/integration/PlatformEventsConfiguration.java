package dev.cumulus.integration;

import dev.cumulus.integration.webhook.application.WebhookFanout;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The consumer of every platform event ({@code cumulus.*} topics, by pattern): each event becomes
 * webhook deliveries, once per event id (the inbox), in one transaction.
 */
@Configuration(proxyBeanMethods = false)
class PlatformEventsConfiguration {

  @Bean
  Consumer<Message<byte[]>> platformEvents(Inbox inbox, WebhookFanout webhooks) {
    return new InboxConsumer(inbox, "platform-events", webhooks::handle);
  }
}
