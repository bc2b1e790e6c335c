package dev.cumulus.kafka.events.config;

import dev.cumulus.kafka.events.application.TenantEventForwarder;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consumer of every platform topic ({@code cumulus.*}, a pattern binding in application.yml)
 * that forwards each tenant's events to the tenant's topic, once per event id (the inbox).
 */
@Configuration(proxyBeanMethods = false)
public class TenantEventsConfiguration {

  @Bean
  InboxConsumer tenantEvents(Inbox inbox, TenantEventForwarder forwarder) {
    return new InboxConsumer(inbox, "kafka-tenant-events", forwarder::forward);
  }
}
