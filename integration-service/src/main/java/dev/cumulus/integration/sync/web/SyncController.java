package dev.cumulus.integration.sync.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.integration.common.TenantScope;
import dev.cumulus.integration.sync.application.SyncJobs;
import dev.cumulus.integration.sync.domain.SyncJob;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 003's {@code data-sync/} (status with progress) and {@code sync/trigger/}. */
@RestController
public class SyncController {

  private final SyncJobs jobs;

  public SyncController(SyncJobs jobs) {
    this.jobs = jobs;
  }

  public record TriggerRequest(
      @JsonProperty("service_id") String serviceId, @JsonProperty("sync_type") String syncType) {}

  @PostMapping({"/api/integrations/sync/trigger/", "/api/integrations/sync/trigger"})
  public Mono<MultiTenantResponse<Object>> trigger(
      @RequestBody TriggerRequest request,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMap(p -> jobs.trigger(p.tenantId(), request.serviceId(), request.syncType()))
        .thenReturn(MultiTenantResponse.success("Sync triggered", null));
  }

  @GetMapping({"/api/integrations/data-sync/", "/api/integrations/data-sync"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> list(
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMapMany(p -> jobs.list(p.tenantId()))
        .map(SyncController::view)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  private static Map<String, Object> view(SyncJob j) {
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("fetched", j.cursor());
    progress.put("total", j.total());
    progress.put(
        "percent",
        j.total() == null || j.total() == 0
            ? (j.status().equals("completed") ? 100 : 0)
            : Math.min(100, j.cursor() * 100 / j.total()));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", j.id().toString());
    view.put("service", Map.of("id", j.serviceId().toString(), "name", j.serviceName()));
    view.put("sync_type", j.syncType());
    view.put("status", j.status());
    view.put("records_synced", j.recordsSynced());
    view.put("progress", progress);
    view.put("error_message", j.error());
    view.put("created_at", j.createdAt().toString());
    view.put("started_at", j.startedAt() == null ? null : j.startedAt().toString());
    view.put("last_sync", j.finishedAt() == null ? null : j.finishedAt().toString());
    return view;
  }
}
