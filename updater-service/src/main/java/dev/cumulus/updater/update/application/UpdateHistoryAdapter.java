package dev.cumulus.updater.update.application;

import dev.cumulus.updater.container.application.UpdateHistoryPort;
import dev.cumulus.updater.container.domain.UpdateSummary;
import dev.cumulus.updater.update.persistence.UpdateRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/** Serves a container's details their update history. */
@Component
class UpdateHistoryAdapter implements UpdateHistoryPort {

  private final UpdateRepository updates;

  UpdateHistoryAdapter(UpdateRepository updates) {
    this.updates = updates;
  }

  @Override
  public Flux<UpdateSummary> recent(String tenantId, long containerId, int limit) {
    return updates
        .recent(tenantId, containerId, limit)
        .map(
            u ->
                new UpdateSummary(
                    u.id().toString(),
                    u.fromImage(),
                    u.toImage(),
                    u.startedAt(),
                    u.completedAt(),
                    u.status(),
                    u.strategy()));
  }
}
