package dev.cumulus.platform.instance;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.ReceivedEvent;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes auth-service's {@code service.created} / {@code service.deleted} (topic {@value
 * InstanceRegistry#TOPIC}) for the {@link InstanceRegistry}. Runs on the binder's listener thread,
 * so waiting for the handler is fine and the offset is committed only after it; the inbox makes
 * redeliveries harmless. Events of other types and other services' reports are skipped.
 */
public class InstanceEvents implements Consumer<Message<byte[]>> {

  private final Inbox inbox;
  private final InstanceRegistry registry;
  private final ObjectMapper json;
  private final String consumer;

  public InstanceEvents(
      Inbox inbox, InstanceRegistry registry, ObjectMapper json, String application) {
    this.inbox = inbox;
    this.registry = registry;
    this.json = json;
    this.consumer = application + "-instances";
  }

  @Override
  public void accept(Message<byte[]> message) {
    ReceivedEvent event = CloudEventHeaders.read(message.getHeaders(), message.getPayload());
    inbox.processOnce(consumer, event, this::handle).block(Duration.ofSeconds(60));
  }

  private Mono<Void> handle(ReceivedEvent event) {
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
