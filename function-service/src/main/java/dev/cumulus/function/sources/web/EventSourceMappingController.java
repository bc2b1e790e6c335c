package dev.cumulus.function.sources.web;

import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.FunctionNames;
import dev.cumulus.function.sources.application.EventSourceMappingService;
import dev.cumulus.function.sources.application.EventSourceMappingService.Settings;
import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.platform.instance.InstanceAccess;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Event source mappings on the seed's REST API ({@code
 * /api/function/{tenantId}/{serviceId}/event-source-mappings}), camelCase as the rest of it; the
 * same domain as the Lambda API's.
 */
@RestController
@RequestMapping("/api/function/{tenantId}/{serviceId}/event-source-mappings")
public class EventSourceMappingController {

  private final InstanceAccess access;
  private final EventSourceMappingService mappings;

  public EventSourceMappingController(InstanceAccess access, EventSourceMappingService mappings) {
    this.access = access;
    this.mappings = mappings;
  }

  /** A create or update body; what an update leaves out stays. */
  public record MappingRequest(
      String eventSourceArn,
      String functionName,
      String qualifier,
      List<String> topics,
      Integer batchSize,
      Integer maximumBatchingWindowInSeconds,
      Integer maximumRetryAttempts,
      String startingPosition,
      List<String> functionResponseTypes,
      Boolean enabled,
      ScalingConfig scalingConfig) {

    Settings settings() {
      return new Settings(
          functionName,
          qualifier,
          batchSize,
          maximumBatchingWindowInSeconds,
          maximumRetryAttempts,
          startingPosition,
          functionResponseTypes,
          enabled,
          null,
          scalingConfig == null ? null : scalingConfig.maximumConcurrency());
    }
  }

  /** A queue source's cap on concurrent invocations. */
  public record ScalingConfig(Integer maximumConcurrency) {}

  /** A mapping as this API shows it. */
  public record MappingView(
      String uuid,
      String functionName,
      String qualifier,
      String functionArn,
      String eventSourceArn,
      String sourceType,
      List<String> topics,
      int batchSize,
      int maximumBatchingWindowInSeconds,
      int maximumRetryAttempts,
      String startingPosition,
      List<String> functionResponseTypes,
      String state,
      String lastProcessingResult,
      Instant lastModified,
      ScalingConfig scalingConfig) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<MappingView> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody MappingRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                mappings.create(
                    tenantId, serviceId, body.eventSourceArn(), body.topics(), body.settings()))
        .map(this::view);
  }

  @GetMapping
  Mono<Map<String, Object>> list(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestParam(required = false) String functionName,
      @RequestParam(required = false) String eventSourceArn) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> mappings.list(serviceId, functionName, eventSourceArn))
        .map(
            list ->
                Map.of(
                    "eventSourceMappings", list.stream().map(this::view).toList(),
                    "count", list.size()));
  }

  @GetMapping("/{uuid}")
  Mono<MappingView> get(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String uuid) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> mappings.require(serviceId, uuid))
        .map(this::view);
  }

  @PutMapping("/{uuid}")
  Mono<MappingView> update(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String uuid,
      @RequestBody MappingRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> mappings.update(serviceId, uuid, body.settings()))
        .map(this::view);
  }

  @DeleteMapping("/{uuid}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String uuid) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> mappings.delete(serviceId, uuid))
        .then();
  }

  private MappingView view(EventSourceMapping m) {
    return new MappingView(
        m.uuid().toString(),
        m.functionName(),
        m.qualifier(),
        FunctionNames.arn(mappings.region(), m.serviceId(), m.functionName())
            + (Function.LATEST.equals(m.qualifier()) ? "" : ":" + m.qualifier()),
        m.source().arn(),
        m.source().type().eventSource(),
        m.source().type() == EventSource.Type.KAFKA ? List.of(m.source().name()) : List.of(),
        m.batchSize(),
        m.batchingWindowSeconds(),
        m.maximumRetryAttempts(),
        m.startingPosition(),
        m.reportItemFailures()
            ? List.of(EventSourceMappingService.REPORT_BATCH_ITEM_FAILURES)
            : List.of(),
        m.enabled() ? "Enabled" : "Disabled",
        m.lastProcessingResult(),
        m.lastModified(),
        m.maximumConcurrency() == null ? null : new ScalingConfig(m.maximumConcurrency()));
  }
}
