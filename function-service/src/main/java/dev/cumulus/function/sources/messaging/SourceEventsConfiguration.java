package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The consumer of the platform events event source mappings read ({@code sourceEvents}). */
@Configuration(proxyBeanMethods = false)
class SourceEventsConfiguration {

  @Bean
  InboxConsumer sourceEvents(
      Inbox inbox,
      EventSourceMappingRepository mappings,
      ObjectMapper json,
      FunctionProperties properties) {
    return new InboxConsumer(
        inbox,
        "function-service-sources",
        new SourceEvents(mappings, json, properties.region())::handle);
  }
}
