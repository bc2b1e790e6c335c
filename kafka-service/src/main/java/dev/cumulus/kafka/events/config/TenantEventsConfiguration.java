package dev.cumulus.kafka.events.config;

import dev.cumulus.kafka.events.application.TenantEventForwarder;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxBatchConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consumer of every platform topic ({@code cumulus.*}, a pattern binding in application.yml)
 * that forwards each tenant's events to the tenant's topic, once per event id (the inbox). It sees
 * every event of the platform (each stored object, each message), so it takes a whole poll per
 * inbox transaction: one commit per poll, not one per event.
 */
@Configuration(proxyBeanMethods = false)
public class TenantEventsConfiguration {

  @Bean
  InboxBatchConsumer tenantEvents(Inbox inbox, TenantEventForwarder forwarder) {
    return new InboxBatchConsumer(inbox, "kafka-tenant-events", forwarder::forwardAll);
  }
}
