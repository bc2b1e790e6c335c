package dev.cumulus.updater.live.messaging;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.updater.live.application.LiveHub;
import dev.cumulus.updater.live.domain.LiveEvent;
import dev.cumulus.updater.live.domain.LiveEventTypes;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Every instance reads every updater event (an anonymous consumer group per instance, see
 * application.yml), so a WebSocket client hears of updates run by any instance.
 */
@Configuration(proxyBeanMethods = false)
class LiveEventConsumer {

  private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

  @Bean
  Consumer<Message<byte[]>> updaterLiveEvents(LiveHub hub, ObjectMapper json) {
    return message -> {
      ReceivedEvent event = CloudEventHeaders.read(message.getHeaders(), message.getPayload());
      String type = LiveEventTypes.of(event.type());
      if (type == null || event.tenantId() == null) {
        return;
      }
      Map<String, Object> data = json.readValue(event.data(), DATA);
      Object container = data.get("container_id");
      hub.publish(
          new LiveEvent(
              event.id(),
              event.tenantId(),
              type,
              container instanceof Number n ? n.longValue() : null,
              event.time() == null ? Instant.now() : event.time().toInstant(),
              data));
    };
  }
}
