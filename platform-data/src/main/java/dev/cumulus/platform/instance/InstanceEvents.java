package dev.cumulus.platform.instance;

import dev.cumulus.platform.events.ReceivedEvent;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Handles auth-service's {@code service.created} / {@code service.deleted} (topic {@value
 * InstanceRegistry#TOPIC}) for the {@link InstanceRegistry}, behind an {@link
 * dev.cumulus.platform.events.InboxConsumer}. Events of other types and other services' reports are
 * skipped.
 */
class InstanceEvents {

  private final InstanceRegistry registry;
  private final ObjectMapper json;

  InstanceEvents(InstanceRegistry registry, ObjectMapper json) {
    this.registry = registry;
    this.json = json;
  }

  Mono<Void> handle(ReceivedEvent event) {
    JsonNode data = json.readTree(event.data());
    String serviceType = data.path("data").path("serviceType").asString("");
    if (!registry.hosts(serviceType)) {
      return Mono.empty();
    }
    String serviceId = data.path("serviceId").asString(null);
    return switch (data.path("eventType").asString("")) {
      case "service.created" ->
          registry.created(
              serviceId,
              serviceType,
              data.path("tenantId").asString(event.tenantId()),
              data.path("data").path("serviceName").asString(null));
      case "service.deleted" -> registry.deleted(serviceId);
      default -> Mono.empty();
    };
  }
}
