package dev.cumulus.function.functions.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.InvocationRecord;
import dev.cumulus.function.functions.persistence.EventInvocationRepository;
import dev.cumulus.function.sandbox.application.FunctionSandbox;
import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Invokes functions: synchronously ({@code RequestResponse}: the sandbox's outcome), or queued
 * durably ({@code Event}: run by {@link EventInvocationWorker}). Every finished or throttled
 * invocation is recorded for the metrics; a synchronous one that failed is also an event.
 */
@Service
public class InvocationService {

  public static final String REQUEST_RESPONSE = "RequestResponse";
  public static final String EVENT = "Event";
  public static final String DRY_RUN = "DryRun";

  private final FunctionService functions;
  private final FunctionSandbox sandbox;
  private final EventInvocationRepository queued;
  private final InvocationRecorder recorder;
  private final EventWakeup wakeup;
  private final Outbox outbox;

  public InvocationService(
      FunctionService functions,
      FunctionSandbox sandbox,
      EventInvocationRepository queued,
      InvocationRecorder recorder,
      EventWakeup wakeup,
      Outbox outbox) {
    this.functions = functions;
    this.sandbox = sandbox;
    this.queued = queued;
    this.recorder = recorder;
    this.wakeup = wakeup;
    this.outbox = outbox;
  }

  /** A finished invocation and the version that ran. */
  public record Invoked(Function function, InvocationOutcome outcome) {}

  /** Checks the invocation type, answering Lambda's error for an unknown one. */
  public static String checkType(String type) {
    String t = type == null || type.isEmpty() ? REQUEST_RESPONSE : type;
    if (!List.of(REQUEST_RESPONSE, EVENT, DRY_RUN).contains(t)) {
      throw FunctionErrors.invalidParameter(
          "Value '"
              + t
              + "' at 'invocationType' failed to satisfy constraint: Member must satisfy"
              + " enum value set: [Event, RequestResponse, DryRun]");
    }
    return t;
  }

  /**
   * Runs the function now and answers its outcome (a failing handler is an outcome too, and {@code
   * dev.cumulus.function.function.failed.v1} says so).
   */
  public Mono<Invoked> invoke(String serviceId, String name, String qualifier, String eventJson) {
    return functions
        .requireForInvoke(serviceId, name, qualifier)
        .flatMap(f -> run(f, UUID.randomUUID().toString(), eventJson, REQUEST_RESPONSE));
  }

  /** Runs a version of a function, recording the outcome for the metrics. */
  public Mono<Invoked> run(Function f, String requestId, String eventJson, String type) {
    return sandbox
        .invoke(functions.deployment(f), requestId, eventJson, functions.code(f))
        .doOnNext(outcome -> record(f, type, outcome))
        .doOnError(
            e -> e instanceof ApiException api && api.kind() == ErrorKind.RATE_LIMITED,
            e -> record(f, type, "throttled", null, null, Mono.empty()))
        .map(outcome -> new Invoked(f, outcome));
  }

  /** Queues an asynchronous invocation durably; the answer is its request id. */
  public Mono<EventInvocation> enqueue(
      String tenantId, String serviceId, String name, String qualifier, String eventJson) {
    return functions
        .require(serviceId, name, qualifier)
        .flatMap(
            f -> {
              Instant now = Instant.now();
              EventInvocation invocation =
                  new EventInvocation(
                      UUID.randomUUID(),
                      serviceId,
                      tenantId,
                      name,
                      qualifier == null || qualifier.isEmpty() ? Function.LATEST : qualifier,
                      eventJson,
                      EventInvocation.QUEUED,
                      0,
                      null,
                      null,
                      null,
                      now,
                      now);
              return queued.insert(invocation).thenReturn(invocation);
            })
        .doOnNext(invocation -> wakeup.now());
  }

  /**
   * Puts an invocation another feature gave up on (an event source mapping's batch) onto the
   * function's dead-letter list, with {@code dev.cumulus.function.function.failed.v1} carrying
   * {@code data}; in the caller's transaction.
   */
  public Mono<Void> deadLettered(EventInvocation invocation, Map<String, Object> data) {
    return queued
        .insertDeadLetter(invocation)
        .then(
            outbox.appendForTenant(
                invocation.tenantId(),
                FunctionService.TOPIC,
                invocation.serviceId() + "/" + invocation.functionName(),
                "function",
                "failed",
                data))
        .then();
  }

  /** DryRun: checks that the function exists and the caller may invoke it. */
  public Mono<Function> dryRun(String serviceId, String name, String qualifier) {
    return functions.require(serviceId, name, qualifier);
  }

  /** An asynchronous invocation of a function, by request id. */
  public Mono<EventInvocation> event(String serviceId, String name, String requestId) {
    UUID id;
    try {
      id = UUID.fromString(requestId);
    } catch (IllegalArgumentException e) {
      throw FunctionErrors.notFound("invocation " + requestId);
    }
    return queued
        .find(serviceId, name, id)
        .switchIfEmpty(Mono.error(() -> FunctionErrors.notFound("invocation " + requestId)));
  }

  public Mono<List<EventInvocation>> deadLetters(String serviceId, String name, int limit) {
    return functions
        .require(serviceId, name, null)
        .thenMany(queued.deadLetters(serviceId, name, limit))
        .collectList();
  }

  private void record(Function f, String type, InvocationOutcome outcome) {
    // An Event invocation's failure is retried; the worker reports it once it is dead-lettered.
    Mono<Void> failedEvent =
        outcome.failed() && REQUEST_RESPONSE.equals(type) ? failed(f, outcome) : Mono.empty();
    record(
        f,
        type,
        outcome.failed() ? "error" : "success",
        outcome.durationMs(),
        outcome.initDurationMs(),
        failedEvent);
  }

  /** Records an invocation for the metrics (with its event, if any) off the caller's path. */
  private void record(
      Function f, String type, String outcome, Double durationMs, Double initMs, Mono<Void> event) {
    recorder.record(
        new InvocationRecord(
            f.serviceId(), f.name(), Instant.now(), type, outcome, durationMs, initMs),
        event);
  }

  /** A synchronous invocation whose handler failed (an error, its timeout or its memory). */
  private Mono<Void> failed(Function f, InvocationOutcome outcome) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("requestId", outcome.requestId());
    data.put("serviceId", f.serviceId());
    data.put("functionName", f.name());
    data.put("qualifier", f.version());
    data.put("invocationType", REQUEST_RESPONSE);
    data.put("status", "failed");
    data.put("errorType", outcome.errorType());
    data.put("errorMessage", outcome.errorMessage());
    data.put("durationMs", outcome.durationMs());
    return outbox
        .appendForTenant(
            f.tenantId(),
            FunctionService.TOPIC,
            f.serviceId() + "/" + f.name(),
            "function",
            "failed",
            data)
        .then();
  }
}
