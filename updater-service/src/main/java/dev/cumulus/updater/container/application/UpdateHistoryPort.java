package dev.cumulus.updater.container.application;

import dev.cumulus.updater.container.domain.UpdateSummary;
import reactor.core.publisher.Flux;

/** A container's recent updates, served by the update feature (which depends on this one). */
public interface UpdateHistoryPort {

  Flux<UpdateSummary> recent(String tenantId, long containerId, int limit);
}
