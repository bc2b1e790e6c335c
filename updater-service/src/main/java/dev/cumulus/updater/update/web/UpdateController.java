package dev.cumulus.updater.update.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.common.web.Paging;
import dev.cumulus.updater.update.application.UpdateService;
import dev.cumulus.updater.update.domain.BatchRequest;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.domain.UpdateFilter;
import dev.cumulus.updater.update.domain.UpdateOptions;
import dev.cumulus.updater.update.domain.UpdateRequest;
import dev.cumulus.updater.update.domain.UpdateStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Seed 002's update endpoints: {@code POST /api/containers/{id}/update}, {@code GET /api/updates},
 * {@code POST /api/updates/schedule}; beyond the seed, one update's details, approve, cancel and
 * one-click rollback to the digest an update replaced.
 */
@RestController
class UpdateController {

  private final UpdateService updates;

  UpdateController(UpdateService updates) {
    this.updates = updates;
  }

  record UpdateNowRequest(
      String strategy,
      String schedule,
      Boolean force,
      Boolean backup,
      String image,
      UpdateOptions options) {}

  record ScheduleRequest(
      @JsonProperty("container_ids") List<Long> containerIds,
      List<String> images,
      String strategy,
      @JsonProperty("scheduled_at") String scheduledAt,
      UpdateOptions options) {}

  @PostMapping("/api/containers/{id}/update")
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> updateNow(
      @PathVariable long id, @RequestBody(required = false) UpdateNowRequest body) {
    UpdateNowRequest request =
        body == null ? new UpdateNowRequest(null, null, null, null, null, null) : body;
    Instant at =
        request.schedule() == null || request.schedule().equals("immediate")
            ? null
            : instant("schedule", request.schedule());
    UpdateOptions given = request.options() == null ? UpdateOptions.none() : request.options();
    UpdateOptions options =
        new UpdateOptions(
            given.rollbackOnFailure(),
            given.healthCheckTimeout(),
            given.preUpdateScript(),
            given.postUpdateScript(),
            Boolean.TRUE.equals(request.force()) || given.force());
    return Permissions.require(Permissions.UPDATE_WRITE)
        .flatMap(
            caller ->
                updates.request(
                    caller.tenantId(),
                    id,
                    new UpdateRequest(request.strategy(), request.image(), at, options)))
        .flatMap(
            u -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("update_id", u.id().toString());
              data.put("status", at == null ? "started" : "scheduled");
              data.put("scheduled_at", u.scheduledAt());
              data.put("estimated_duration", estimate(u));
              return AutoUpdateResponse.of(
                  at == null ? "Container update started" : "Container update scheduled", data);
            })
        .map(response -> ResponseEntity.status(HttpStatus.ACCEPTED).body(response));
  }

  @GetMapping("/api/updates")
  Mono<AutoUpdateResponse<Paging<Map<String, Object>>>> list(
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) String status,
      @RequestParam(name = "container_id", required = false) Long containerId,
      @RequestParam(name = "date_from", required = false) String dateFrom,
      @RequestParam(name = "date_to", required = false) String dateTo) {
    Paging.check(page, limit);
    if (status != null && !UpdateStatus.ALL.contains(status)) {
      throw ApiException.badRequest("status must be one of " + UpdateStatus.ALL);
    }
    var filter =
        new UpdateFilter(
            status,
            containerId,
            dateFrom == null ? null : instant("date_from", dateFrom),
            dateTo == null ? null : instant("date_to", dateTo),
            page,
            limit);
    return Permissions.require(Permissions.UPDATE_READ)
        .flatMap(caller -> updates.list(caller.tenantId(), filter))
        .map(
            found ->
                Paging.of(
                    found.items().stream().map(UpdateViews::item).toList(),
                    page,
                    limit,
                    found.total()))
        .flatMap(data -> AutoUpdateResponse.of("Updates retrieved successfully", data));
  }

  @GetMapping("/api/updates/{id}")
  Mono<AutoUpdateResponse<Map<String, Object>>> get(@PathVariable UUID id) {
    return Permissions.require(Permissions.UPDATE_READ)
        .flatMap(caller -> updates.find(caller.tenantId(), id))
        .flatMap(u -> AutoUpdateResponse.of("Update retrieved successfully", UpdateViews.item(u)));
  }

  @PostMapping("/api/updates/schedule")
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> schedule(
      @RequestBody ScheduleRequest body) {
    Instant at = body.scheduledAt() == null ? null : instant("scheduled_at", body.scheduledAt());
    var request =
        new BatchRequest(body.containerIds(), body.images(), body.strategy(), at, body.options());
    return Permissions.require(Permissions.UPDATE_WRITE)
        .flatMap(caller -> updates.schedule(caller.tenantId(), request))
        .flatMap(
            list -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put(
                  "batch_id",
                  list.isEmpty() || list.getFirst().batchId() == null
                      ? null
                      : list.getFirst().batchId().toString());
              data.put("scheduled_updates", list.size());
              data.put("scheduled_at", list.isEmpty() ? at : list.getFirst().scheduledAt());
              data.put("update_ids", list.stream().map(u -> u.id().toString()).toList());
              return AutoUpdateResponse.of("Updates scheduled successfully", data);
            })
        .map(response -> ResponseEntity.status(HttpStatus.CREATED).body(response));
  }

  @PostMapping("/api/updates/{id}/approve")
  Mono<AutoUpdateResponse<Map<String, Object>>> approve(@PathVariable UUID id) {
    return Permissions.require(Permissions.UPDATE_WRITE)
        .flatMap(caller -> updates.approve(caller.tenantId(), id))
        .flatMap(u -> AutoUpdateResponse.of("Update approved", UpdateViews.item(u)));
  }

  @PostMapping("/api/updates/{id}/cancel")
  Mono<AutoUpdateResponse<Map<String, Object>>> cancel(@PathVariable UUID id) {
    return Permissions.require(Permissions.UPDATE_WRITE)
        .flatMap(caller -> updates.cancel(caller.tenantId(), id))
        .flatMap(u -> AutoUpdateResponse.of("Update cancelled", UpdateViews.item(u)));
  }

  @PostMapping("/api/updates/{id}/rollback")
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> rollback(@PathVariable UUID id) {
    return Permissions.require(Permissions.UPDATE_WRITE)
        .flatMap(caller -> updates.rollbackTo(caller.tenantId(), id))
        .flatMap(u -> AutoUpdateResponse.of("Rollback started", UpdateViews.item(u)))
        .map(response -> ResponseEntity.status(HttpStatus.ACCEPTED).body(response));
  }

  /** The time a health-gated update may take: its health check timeout plus a pull. */
  private static String estimate(Update u) {
    Integer timeout = u.options().healthCheckTimeout();
    int seconds = (timeout == null ? 300 : timeout) + 60;
    return seconds / 60 + "m";
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notIso) {
      throw ApiException.validation(
          "Validation failed", Map.of(field, List.of("must be an ISO 8601 timestamp")));
    }
  }
}
