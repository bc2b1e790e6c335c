package dev.cumulus.auth.instance.messaging;

import dev.cumulus.auth.instance.application.ServiceInstanceService;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import dev.cumulus.platform.events.ReceivedEvent;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes the hosting services' reports on topic {@code cumulus.service-instances} ({@code
 * instance.ready} / {@code instance.failed}, sent by the platform's instance registry), so that
 * {@code GET /api/services/{id}} says {@code running} only for an instance a service serves. The
 * control plane's own {@code service.*} events on the same topic are skipped.
 */
@Configuration(proxyBeanMethods = false)
public class InstanceReportsConsumer {

  static final String CONSUMER = "auth-service-instance-reports";

  @Bean
  InboxConsumer instanceReports(Inbox inbox, ServiceInstanceService instances, ObjectMapper json) {
    return new InboxConsumer(inbox, CONSUMER, event -> handle(event, instances, json));
  }

  private static Mono<Void> handle(
      ReceivedEvent event, ServiceInstanceService instances, ObjectMapper json) {
    JsonNode data = json.readTree(event.data());
    String eventType = data.path("eventType").asString("");
    if (!eventType.equals("instance.ready") && !eventType.equals("instance.failed")) {
      return Mono.empty();
    }
    UUID id;
    try {
      id = UUID.fromString(data.path("serviceId").asString(""));
    } catch (IllegalArgumentException notOurs) {
      return Mono.empty();
    }
    return instances.reported(id, eventType.equals("instance.ready"));
  }
}
