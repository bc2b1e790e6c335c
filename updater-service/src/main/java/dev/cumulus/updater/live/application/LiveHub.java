package dev.cumulus.updater.live.application;

import dev.cumulus.updater.live.domain.LiveEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * This instance's WebSocket fan-out: every updater event arrives here from Kafka (whichever
 * instance produced it), and each open session takes what its tenant and subscriptions allow. A
 * client too slow to keep up loses events rather than slowing the others.
 */
@Component
public class LiveHub {

  private static final int SEEN = 10_000;

  private final Sinks.Many<LiveEvent> events = Sinks.many().multicast().directBestEffort();

  /** Event ids already fanned out: the outbox delivers at least once, clients hear once. */
  private final Set<String> seen =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > SEEN;
            }
          });

  public void publish(LiveEvent event) {
    synchronized (seen) {
      if (!seen.add(event.id())) {
        return;
      }
    }
    events.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
  }

  /** The events of one tenant, from now on. */
  public Flux<LiveEvent> of(String tenantId) {
    return events.asFlux().filter(e -> tenantId.equals(e.tenantId()));
  }
}
