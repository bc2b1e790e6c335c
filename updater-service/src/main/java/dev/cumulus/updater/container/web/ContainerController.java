package dev.cumulus.updater.container.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.common.domain.Sizes;
import dev.cumulus.updater.common.web.Paging;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.container.application.StatsHistory;
import dev.cumulus.updater.container.application.UpdateHistoryPort;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerChange;
import dev.cumulus.updater.container.domain.ContainerConfig;
import dev.cumulus.updater.container.domain.ContainerFilter;
import dev.cumulus.updater.container.domain.HealthCheck;
import dev.cumulus.updater.container.domain.NewContainer;
import dev.cumulus.updater.container.domain.UpdatePolicy;
import dev.cumulus.updater.engine.application.ContainerEngine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Seed 002's {@code /api/containers}: list, details, create, change, start, stop, restart. */
@RestController
@RequestMapping("/api/containers")
class ContainerController {

  private static final Set<String> STATUSES =
      Set.of("running", "stopped", "error", "starting", "updating");

  private final ContainerService containers;
  private final ContainerEngine engine;
  private final UpdateHistoryPort history;
  private final StatsHistory statsHistory;
  private final ObjectMapper json;

  ContainerController(
      ContainerService containers,
      ContainerEngine engine,
      UpdateHistoryPort history,
      StatsHistory statsHistory,
      ObjectMapper json) {
    this.containers = containers;
    this.engine = engine;
    this.history = history;
    this.statsHistory = statsHistory;
    this.json = json;
  }

  record CreateRequest(
      String name,
      String image,
      ContainerConfig config,
      @JsonProperty("update_policy") UpdatePolicy updatePolicy,
      @JsonProperty("health_check") HealthCheck healthCheck,
      @JsonProperty("start_immediately") Boolean startImmediately) {}

  record StopRequest(Boolean force, Integer timeout) {}

  @GetMapping
  Mono<AutoUpdateResponse<Paging<Map<String, Object>>>> list(
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String name,
      @RequestParam(required = false) String image,
      @RequestParam(required = false) String search,
      @RequestParam(name = "update_policy", required = false) String updatePolicy,
      @RequestParam(name = "has_update", required = false) Boolean hasUpdate,
      @RequestParam(name = "sort_by", defaultValue = "updated_at") String sortBy,
      @RequestParam(name = "sort_order", defaultValue = "desc") String sortOrder) {
    Paging.check(page, limit);
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest("status must be one of " + STATUSES);
    }
    if (!ContainerFilter.SORTABLE.contains(sortBy)) {
      throw ApiException.badRequest("sort_by must be one of " + ContainerFilter.SORTABLE);
    }
    if (!sortOrder.equals("asc") && !sortOrder.equals("desc")) {
      throw ApiException.badRequest("sort_order must be asc or desc");
    }
    var filter =
        new ContainerFilter(
            status,
            name,
            image,
            search,
            updatePolicy,
            hasUpdate,
            sortBy,
            sortOrder.equals("asc"),
            page,
            limit);
    return Permissions.require(Permissions.CONTAINER_READ)
        .flatMap(caller -> containers.list(caller.tenantId(), filter))
        .map(
            found ->
                Paging.of(
                    found.items().stream().map(ContainerViews::item).toList(),
                    page,
                    limit,
                    found.total()))
        .flatMap(data -> AutoUpdateResponse.of("Containers retrieved successfully", data));
  }

  @GetMapping("/{id}")
  Mono<AutoUpdateResponse<Map<String, Object>>> get(@PathVariable long id) {
    return Permissions.require(Permissions.CONTAINER_READ)
        .flatMap(caller -> containers.refreshed(caller.tenantId(), id))
        .flatMap(
            c ->
                Mono.zip(
                        stats(c)
                            .map(java.util.Optional::of)
                            .defaultIfEmpty(java.util.Optional.empty()),
                        startedAt(c)
                            .map(java.util.Optional::of)
                            .defaultIfEmpty(java.util.Optional.empty()),
                        history.recent(c.tenantId(), c.id(), 10).collectList())
                    .map(
                        t ->
                            ContainerViews.details(
                                c, t.getT1().orElse(null), t.getT2().orElse(null), t.getT3())))
        .flatMap(data -> AutoUpdateResponse.of("Container retrieved successfully", data));
  }

  private Mono<dev.cumulus.updater.engine.domain.EngineStats> stats(Container c) {
    return "running".equals(c.status()) && c.dockerId() != null
        ? engine.stats(c.dockerId()).onErrorResume(ApiException.class, e -> Mono.empty())
        : Mono.empty();
  }

  private Mono<Instant> startedAt(Container c) {
    return c.dockerId() == null
        ? Mono.empty()
        : engine
            .inspect(c.dockerId())
            .mapNotNull(found -> found.startedAt())
            .onErrorResume(ApiException.class, e -> Mono.empty());
  }

  @PostMapping
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> create(
      @RequestBody CreateRequest body) {
    var request =
        new NewContainer(
            body.name(),
            body.image(),
            body.config() == null ? ContainerConfig.empty() : body.config(),
            body.updatePolicy() == null ? UpdatePolicy.defaults() : body.updatePolicy(),
            body.healthCheck(),
            body.startImmediately() == null || body.startImmediately());
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.create(caller.tenantId(), request))
        .flatMap(
            c ->
                AutoUpdateResponse.of(
                    "Container created successfully",
                    Map.<String, Object>of(
                        "id",
                        c.id(),
                        "name",
                        c.name(),
                        "status",
                        c.status(),
                        "created_at",
                        c.createdAt())))
        .map(response -> ResponseEntity.status(HttpStatus.CREATED).body(response));
  }

  @PutMapping("/{id}")
  Mono<AutoUpdateResponse<Map<String, Object>>> change(
      @PathVariable long id, @RequestBody JsonNode body) {
    ContainerChange change = change(body);
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.change(caller.tenantId(), id, change))
        .flatMap(
            c ->
                AutoUpdateResponse.of(
                    "Container updated successfully",
                    Map.<String, Object>of("id", c.id(), "updated_at", c.updatedAt())));
  }

  /** Seed 002's partial update: only the fields sent change. */
  private ContainerChange change(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("Request body must be a JSON object");
    }
    JsonNode config = body.get("config");
    ContainerConfig patch = null;
    ContainerConfig.ConfigFields fields = null;
    if (config != null && config.isObject()) {
      patch = json.treeToValue(config, ContainerConfig.class);
      fields =
          new ContainerConfig.ConfigFields(
              config.has("ports"),
              config.has("environment"),
              config.has("volumes"),
              config.has("networks"),
              config.has("labels"),
              config.has("restart_policy"),
              config.has("cpu_limit"),
              config.has("memory_limit"));
    }
    JsonNode policy = body.get("update_policy");
    UpdatePolicy.PolicyPatch policyPatch =
        policy == null || !policy.isObject()
            ? null
            : new UpdatePolicy.PolicyPatch(
                text(policy, "policy"),
                text(policy, "strategy"),
                text(policy, "schedule"),
                policy.has("rollback_on_failure")
                    ? policy.get("rollback_on_failure").asBoolean()
                    : null,
                policy.has("health_check_timeout")
                    ? policy.get("health_check_timeout").asInt()
                    : null);
    JsonNode health = body.get("health_check");
    HealthCheck check =
        health == null || !health.isObject() ? null : json.treeToValue(health, HealthCheck.class);
    return new ContainerChange(patch, fields, policyPatch, check);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  @PostMapping("/{id}/start")
  Mono<AutoUpdateResponse<Map<String, Object>>> start(@PathVariable long id) {
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.start(caller.tenantId(), id))
        .flatMap(c -> AutoUpdateResponse.of("Container started successfully", action(c)));
  }

  @PostMapping("/{id}/stop")
  Mono<AutoUpdateResponse<Map<String, Object>>> stop(
      @PathVariable long id, @RequestBody(required = false) StopRequest body) {
    boolean force = body != null && Boolean.TRUE.equals(body.force());
    int timeout = timeout(body == null ? null : body.timeout());
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.stop(caller.tenantId(), id, timeout, force))
        .flatMap(c -> AutoUpdateResponse.of("Container stopped successfully", action(c)));
  }

  @PostMapping("/{id}/restart")
  Mono<AutoUpdateResponse<Map<String, Object>>> restart(
      @PathVariable long id, @RequestBody(required = false) StopRequest body) {
    int timeout = timeout(body == null ? null : body.timeout());
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.restart(caller.tenantId(), id, timeout))
        .flatMap(c -> AutoUpdateResponse.of("Container restarted successfully", action(c)));
  }

  @DeleteMapping("/{id}")
  Mono<AutoUpdateResponse<Map<String, Object>>> delete(@PathVariable long id) {
    return Permissions.require(Permissions.CONTAINER_WRITE)
        .flatMap(caller -> containers.delete(caller.tenantId(), id))
        .then(
            AutoUpdateResponse.of(
                "Container deleted successfully", Map.<String, Object>of("id", id)));
  }

  @GetMapping("/{id}/stats")
  Mono<AutoUpdateResponse<Map<String, Object>>> stats(@PathVariable long id) {
    return Permissions.require(Permissions.CONTAINER_READ)
        .flatMap(caller -> containers.engineContainer(caller.tenantId(), id))
        .flatMap(
            found -> {
              if (!found.running()) {
                return Mono.error(ApiException.conflict("Container " + id + " is not running"));
              }
              return engine.stats(found.id());
            })
        .flatMap(
            current -> {
              List<Map<String, Object>> past =
                  statsHistory.record(id, current).stream()
                      .map(
                          sample -> {
                            Map<String, Object> view = new LinkedHashMap<>();
                            view.put("timestamp", sample.at());
                            view.put("cpu_usage", sample.stats().cpuPercent());
                            view.put("memory_usage", Sizes.format(sample.stats().memoryUsage()));
                            view.put("network_rx", Sizes.format(sample.stats().networkRx()));
                            view.put("network_tx", Sizes.format(sample.stats().networkTx()));
                            return view;
                          })
                      .toList();
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("current", ContainerViews.stats(current));
              data.put("history", past);
              return AutoUpdateResponse.of("Container statistics retrieved successfully", data);
            });
  }

  private static int timeout(Integer seconds) {
    int value = seconds == null ? 10 : seconds;
    if (value < 0 || value > 600) {
      throw ApiException.badRequest("timeout must be 0-600 seconds");
    }
    return value;
  }

  private static Map<String, Object> action(Container c) {
    return Map.of("id", c.id(), "status", c.status(), "action_id", UUID.randomUUID().toString());
  }
}
