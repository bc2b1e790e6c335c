package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxBatchConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The consumer of the platform events event source mappings read ({@code sourceEvents}). It sees
 * every stored and deleted object of the platform, so it takes a whole poll per inbox transaction:
 * one commit per poll, not one per event.
 */
@Configuration(proxyBeanMethods = false)
class SourceEventsConfiguration {

  @Bean
  InboxBatchConsumer sourceEvents(
      Inbox inbox,
      EventSourceMappingRepository mappings,
      ObjectMapper json,
      FunctionProperties properties) {
    return new InboxBatchConsumer(
        inbox,
        "function-service-sources",
        new SourceEvents(mappings, json, properties.region())::handleAll);
  }
}
