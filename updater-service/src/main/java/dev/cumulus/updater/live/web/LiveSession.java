package dev.cumulus.updater.live.web;

import dev.cumulus.updater.live.domain.LiveEvent;
import dev.cumulus.updater.live.domain.LiveEventTypes;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What one WebSocket client subscribed to: event types, optionally only some containers. */
final class LiveSession {

  private final Set<String> events = ConcurrentHashMap.newKeySet();
  private final Set<Long> containers = ConcurrentHashMap.newKeySet();

  /** Adds the types (all when none are named) and replaces the container filter when given. */
  List<String> subscribe(Collection<String> types, Collection<Long> containerIds) {
    events.addAll(types.isEmpty() ? LiveEventTypes.ALL : types);
    if (containerIds != null) {
      containers.clear();
      containers.addAll(containerIds);
    }
    return subscribed();
  }

  List<String> unsubscribe(Collection<String> types) {
    if (types.isEmpty()) {
      events.clear();
    } else {
      events.removeAll(types);
    }
    return subscribed();
  }

  boolean wants(LiveEvent event) {
    return events.contains(event.type())
        && (containers.isEmpty()
            || event.containerId() == null
            || containers.contains(event.containerId()));
  }

  List<String> subscribed() {
    return events.stream().sorted().toList();
  }
}
