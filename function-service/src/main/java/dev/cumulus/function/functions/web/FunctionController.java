package dev.cumulus.function.functions.web;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.application.InvocationMetrics;
import dev.cumulus.function.functions.application.InvocationService;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.FunctionSettings;
import dev.cumulus.function.functions.domain.InvocationReport;
import dev.cumulus.function.functions.web.FunctionViews.Configuration;
import dev.cumulus.platform.instance.InstanceAccess;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Seed 000 "Lambda-like Functions Service", plus versions, aliases and dead letters. */
@RestController
@RequestMapping("/api/function/{tenantId}/{serviceId}/functions")
public class FunctionController {

  private static final int DEAD_LETTER_LIMIT = 100;

  private final InstanceAccess access;
  private final FunctionService functions;
  private final InvocationService invocations;
  private final InvocationMetrics metrics;
  private final ObjectMapper json;
  private final int maxLogChars;

  public FunctionController(
      InstanceAccess access,
      FunctionService functions,
      InvocationService invocations,
      InvocationMetrics metrics,
      ObjectMapper json,
      FunctionProperties properties) {
    this.access = access;
    this.functions = functions;
    this.invocations = invocations;
    this.metrics = metrics;
    this.json = json;
    this.maxLogChars = properties.pool().maxLogChars();
  }

  /**
   * The seed's create body. {@code code} is the base64 zip (or Lambda's {@code {"zipFile": ...}});
   * {@code allowNetwork} lets the function open sockets (off by default).
   */
  public record CreateRequest(
      String functionName,
      String runtime,
      String role,
      String handler,
      JsonNode code,
      String description,
      Integer timeout,
      Integer memorySize,
      FunctionViews.Environment environment,
      Boolean allowNetwork,
      Integer reservedConcurrentExecutions) {}

  /** The seed's update body: what it names changes, the rest stays. */
  public record UpdateRequest(
      String runtime,
      String role,
      String handler,
      String description,
      Integer timeout,
      Integer memorySize,
      FunctionViews.Environment environment,
      Boolean allowNetwork,
      Integer reservedConcurrentExecutions) {}

  public record CodeRequest(String zipFile) {}

  public record InvokeRequest(JsonNode payload) {}

  public record PublishRequest(String description) {}

  public record AliasRequest(String name, String functionVersion, String description) {}

  @GetMapping
  Mono<FunctionViews.FunctionList> list(
      @PathVariable String tenantId, @PathVariable String serviceId) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> functions.list(serviceId))
        .map(
            list -> {
              List<Configuration> views = list.stream().map(this::view).toList();
              return new FunctionViews.FunctionList(views, views.size());
            });
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<Configuration> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody CreateRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                functions.create(
                    instance.tenantId(),
                    serviceId,
                    body.functionName(),
                    new FunctionSettings(
                        body.runtime(),
                        body.handler(),
                        body.role(),
                        body.description(),
                        body.timeout(),
                        body.memorySize(),
                        variables(body.environment()),
                        body.allowNetwork(),
                        body.reservedConcurrentExecutions()),
                    zip(body.code())))
        .map(this::view);
  }

  @GetMapping("/{name}")
  Mono<FunctionViews.Details> get(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String name) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                functions.versions(serviceId, name).zipWith(functions.aliases(serviceId, name)))
        .map(
            t -> {
              Function latest = t.getT1().getFirst();
              return new FunctionViews.Details(
                  view(latest),
                  t.getT1().stream().map(Function::version).toList(),
                  t.getT2(),
                  functions.warm(serviceId, name));
            });
  }

  @GetMapping("/{name}/configuration")
  Mono<Configuration> configuration(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestParam(required = false) String qualifier) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> functions.require(serviceId, name, qualifier))
        .map(this::view);
  }

  @PutMapping("/{name}")
  Mono<Configuration> update(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestBody UpdateRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                functions.configure(
                    serviceId,
                    name,
                    new FunctionSettings(
                        body.runtime(),
                        body.handler(),
                        body.role(),
                        body.description(),
                        body.timeout(),
                        body.memorySize(),
                        body.environment() == null ? null : variables(body.environment()),
                        body.allowNetwork(),
                        body.reservedConcurrentExecutions())))
        .map(this::view);
  }

  @PutMapping("/{name}/code")
  Mono<Configuration> updateCode(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestBody CodeRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance -> functions.updateCode(serviceId, name, decode(body.zipFile(), "zipFile")))
        .map(this::view);
  }

  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String name) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> functions.delete(serviceId, name));
  }

  /**
   * Invokes the function: {@code RequestResponse} answers its result (200, also when the handler
   * failed: {@code functionError} says so), {@code Event} queues it (202), {@code DryRun} only
   * checks (204).
   */
  @PostMapping("/{name}/invoke")
  Mono<ResponseEntity<Object>> invoke(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestParam(required = false) String invocationType,
      @RequestParam(required = false) String qualifier,
      @RequestBody(required = false) InvokeRequest body) {
    String type = InvocationService.checkType(invocationType);
    String event =
        body == null || body.payload() == null ? "{}" : json.writeValueAsString(body.payload());
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                switch (type) {
                  case InvocationService.EVENT ->
                      invocations
                          .enqueue(instance.tenantId(), serviceId, name, qualifier, event)
                          .map(
                              queued ->
                                  ResponseEntity.status(HttpStatus.ACCEPTED)
                                      .body(FunctionViews.Queued.of(queued, null)));
                  case InvocationService.DRY_RUN ->
                      invocations
                          .dryRun(serviceId, name, qualifier)
                          .map(f -> ResponseEntity.noContent().build());
                  default ->
                      invocations
                          .invoke(serviceId, name, qualifier, event)
                          .map(invoked -> ResponseEntity.ok(invocation(invoked)));
                });
  }

  @GetMapping("/{name}/invocations")
  Mono<FunctionViews.Metrics> invocationMetrics(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestParam(required = false) String startTime,
      @RequestParam(required = false) String endTime,
      @RequestParam(required = false) Long period) {
    Instant end = endTime == null ? Instant.now() : instant(endTime, "endTime");
    Instant start =
        startTime == null ? end.minus(Duration.ofHours(24)) : instant(startTime, "startTime");
    Duration window = period == null ? defaultPeriod(start, end) : Duration.ofSeconds(period);
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> metrics.report(serviceId, name, start, end, window))
        .map(
            r ->
                new FunctionViews.Metrics(
                    name,
                    r.start(),
                    r.end(),
                    r.period().toSeconds(),
                    r.total().invocations(),
                    r.total().errors(),
                    r.total().throttles(),
                    r.total().coldStarts(),
                    r.total().p50DurationMs(),
                    r.total().p95DurationMs(),
                    r.total().maxDurationMs(),
                    r.windows().stream().map(FunctionViews.Window::of).toList()));
  }

  @GetMapping("/{name}/invocations/{requestId}")
  Mono<FunctionViews.Queued> eventInvocation(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @PathVariable String requestId) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> invocations.event(serviceId, name, requestId))
        .map(e -> FunctionViews.Queued.of(e, result(e)));
  }

  @GetMapping("/{name}/dead-letters")
  Mono<FunctionViews.DeadLetters> deadLetters(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String name) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> invocations.deadLetters(serviceId, name, DEAD_LETTER_LIMIT))
        .map(
            list ->
                new FunctionViews.DeadLetters(
                    list.stream().map(e -> FunctionViews.Queued.of(e, null)).toList(),
                    list.size()));
  }

  @PostMapping("/{name}/versions")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<Configuration> publish(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestBody(required = false) PublishRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                functions.publish(serviceId, name, body == null ? null : body.description()))
        .map(this::view);
  }

  @GetMapping("/{name}/versions")
  Mono<List<Configuration>> versions(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String name) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> functions.versions(serviceId, name))
        .map(list -> list.stream().map(this::view).toList());
  }

  @PostMapping("/{name}/aliases")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<FunctionViews.Alias> putAlias(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String name,
      @RequestBody AliasRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                functions.putAlias(
                    serviceId, name, body.name(), body.functionVersion(), body.description()))
        .thenReturn(new FunctionViews.Alias(body.name(), body.functionVersion()));
  }

  @GetMapping("/{name}/aliases")
  Mono<Map<String, String>> aliases(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String name) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> functions.require(serviceId, name, null))
        .then(functions.aliases(serviceId, name));
  }

  private FunctionViews.Invocation invocation(InvocationService.Invoked invoked) {
    Function f = invoked.function();
    var o = invoked.outcome();
    Object payload =
        o.failed()
            ? Map.of(
                "errorType", o.errorType(),
                "errorMessage", o.errorMessage(),
                "stackTrace", o.stackTrace())
            : json.readTree(o.resultJson());
    return new FunctionViews.Invocation(
        o.requestId(),
        f.name(),
        f.version(),
        InvocationService.REQUEST_RESPONSE,
        200,
        payload,
        o.failed() ? "Unhandled" : null,
        o.durationMs(),
        o.billedDurationMs(),
        o.initDurationMs(),
        o.coldStart(),
        f.memoryMb(),
        o.maxMemoryUsedMb(),
        InvocationReport.tail(f, o, maxLogChars));
  }

  private Object result(EventInvocation e) {
    return e.result() == null ? null : json.readTree(e.result());
  }

  private Configuration view(Function f) {
    return Configuration.of(f, functions.region(), functions.runtimeDescription(f));
  }

  private static Map<String, String> variables(FunctionViews.Environment environment) {
    return environment == null || environment.variables() == null
        ? Map.of()
        : environment.variables();
  }

  /** The seed's {@code code} string, or Lambda's {@code Code} object with {@code zipFile}. */
  private static byte[] zip(JsonNode code) {
    if (code == null || code.isNull()) {
      return null;
    }
    if (code.isString()) {
      return decode(code.asString(), "code");
    }
    JsonNode zipFile = code.has("zipFile") ? code.get("zipFile") : code.get("ZipFile");
    if (zipFile == null || !zipFile.isString()) {
      throw FunctionErrors.invalidParameter("code must be a base64 zip file or {\"zipFile\": ...}");
    }
    return decode(zipFile.asString(), "code.zipFile");
  }

  private static byte[] decode(String base64, String field) {
    if (base64 == null || base64.isEmpty()) {
      throw FunctionErrors.invalidParameter(field + " is required (a base64 zip file)");
    }
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw FunctionErrors.invalidParameter(field + " is not valid base64: " + e.getMessage());
    }
  }

  private static Instant instant(String value, String field) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw FunctionErrors.invalidParameter(
          field + " must be an ISO-8601 instant such as 2024-01-01T00:00:00Z");
    }
  }

  /** One window for ranges up to a day's hours: an hour, or what keeps 24 windows. */
  private static Duration defaultPeriod(Instant start, Instant end) {
    Duration range = Duration.between(start, end);
    Duration period = range.dividedBy(24);
    return period.toSeconds() < 60 ? Duration.ofSeconds(60) : period.withNanos(0);
  }
}
