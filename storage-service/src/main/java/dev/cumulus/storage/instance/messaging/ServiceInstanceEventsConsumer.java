package dev.cumulus.storage.instance.messaging;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.storage.instance.application.InstanceService;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes auth-service's {@code service.created} / {@code service.deleted} (topic {@code
 * cumulus.service-instances}) and keeps the S3Storage instances. Runs on the binder's listener
 * thread, so waiting for the handler is fine and the offset is committed only after it; the inbox
 * makes redeliveries harmless.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceInstanceEventsConsumer {

  static final String CONSUMER = "storage-service-instances";
  private static final Logger log = LoggerFactory.getLogger(ServiceInstanceEventsConsumer.class);

  @Bean
  Consumer<Message<byte[]>> serviceInstanceEvents(
      Inbox inbox, InstanceService instances, ObjectMapper json) {
    return message -> {
      ReceivedEvent event = CloudEventHeaders.read(message.getHeaders(), message.getPayload());
      inbox
          .processOnce(CONSUMER, event, e -> handle(e, instances, json))
          .block(Duration.ofSeconds(60));
    };
  }

  private static Mono<Void> handle(
      ReceivedEvent event, InstanceService instances, ObjectMapper json) {
    JsonNode data = json.readTree(event.data());
    String eventType = data.path("eventType").asString("");
    String serviceType = data.path("data").path("serviceType").asString("");
    String serviceId = data.path("serviceId").asString(null);
    String tenantId = data.path("tenantId").asString(event.tenantId());
    if (!"S3Storage".equalsIgnoreCase(serviceType) && !"s3storage".equalsIgnoreCase(serviceType)) {
      return Mono.empty();
    }
    return switch (eventType) {
      case "service.created" ->
          instances.register(
              serviceId, tenantId, data.path("data").path("serviceName").asString(null));
      case "service.deleted" -> instances.remove(serviceId);
      default -> {
        log.debug("Ignoring {} for service {}", eventType, serviceId);
        yield Mono.empty();
      }
    };
  }
}
