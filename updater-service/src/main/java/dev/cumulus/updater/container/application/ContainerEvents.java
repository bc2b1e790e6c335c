package dev.cumulus.updater.container.application;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.updater.common.application.UpdaterTopics;
import dev.cumulus.updater.container.domain.Container;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code dev.cumulus.updater.container.state.v1}: a container's status changed. */
@Component
public class ContainerEvents {

  private final Outbox outbox;

  public ContainerEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  /** Appends the event, in the caller's transaction; nothing when the status did not change. */
  public Mono<Void> stateChanged(Container container, String previousStatus) {
    if (container.status().equals(previousStatus)) {
      return Mono.empty();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("container_id", container.id());
    data.put("name", container.name());
    data.put("image", container.image());
    data.put("status", container.status());
    data.put("previous_status", previousStatus);
    return outbox
        .appendForTenant(
            container.tenantId(),
            UpdaterTopics.EVENTS,
            Long.toString(container.id()),
            "container",
            "state",
            data)
        .then();
  }
}
