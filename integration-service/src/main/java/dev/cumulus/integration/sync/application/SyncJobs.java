package dev.cumulus.integration.sync.application;

import dev.cumulus.integration.inbound.application.IntegrationSources;
import dev.cumulus.integration.sync.domain.SyncJob;
import dev.cumulus.integration.sync.persistence.SyncRepository;
import dev.cumulus.platform.error.ApiException;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Triggers and lists sync jobs; {@link SyncRunner} runs them. */
@Service
public class SyncJobs {

  private final IntegrationSources sources;
  private final SyncRepository jobs;
  private final SyncRunner runner;

  public SyncJobs(IntegrationSources sources, SyncRepository jobs, SyncRunner runner) {
    this.sources = sources;
    this.jobs = jobs;
    this.runner = runner;
  }

  /** The job's id: a new one, or the one already pending or running for that source and type. */
  public Mono<UUID> trigger(String tenantId, String serviceId, String syncType) {
    if (serviceId == null) {
      return Mono.error(ApiException.badRequest("service_id: This field is required."));
    }
    if (syncType == null || !SyncJob.TYPES.contains(syncType)) {
      return Mono.error(
          ApiException.badRequest("sync_type: one of users, subscriptions, notifications"));
    }
    UUID id;
    try {
      id = UUID.fromString(serviceId);
    } catch (IllegalArgumentException e) {
      return Mono.error(ApiException.notFound("Service not found"));
    }
    return sources
        .get(tenantId, id)
        .flatMap(source -> jobs.insertOrExisting(tenantId, source.id(), syncType))
        .doOnNext(job -> runner.wake());
  }

  public Flux<SyncJob> list(String tenantId) {
    return jobs.list(tenantId, 100);
  }

  public Mono<Long> syncedRecords(String tenantId, UUID serviceId, String type) {
    return jobs.countRecords(tenantId, serviceId, type);
  }
}
