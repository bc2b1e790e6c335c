package dev.cumulus.function.functions.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.persistence.EventInvocationRepository;
import dev.cumulus.function.functions.persistence.InvocationRecordRepository;
import dev.cumulus.function.sandbox.application.FunctionSandbox;
import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Invokes functions: synchronously ({@code RequestResponse}: the sandbox's outcome), or queued
 * durably ({@code Event}: run by {@link EventInvocationWorker}). Every finished or throttled
 * invocation is recorded for the metrics.
 */
@Service
public class InvocationService {

  public static final String REQUEST_RESPONSE = "RequestResponse";
  public static final String EVENT = "Event";
  public static final String DRY_RUN = "DryRun";

  private static final Logger log = LoggerFactory.getLogger(InvocationService.class);

  private final FunctionService functions;
  private final FunctionSandbox sandbox;
  private final EventInvocationRepository queued;
  private final InvocationRecordRepository records;
  private final EventWakeup wakeup;

  public InvocationService(
      FunctionService functions,
      FunctionSandbox sandbox,
      EventInvocationRepository queued,
      InvocationRecordRepository records,
      EventWakeup wakeup) {
    this.functions = functions;
    this.sandbox = sandbox;
    this.queued = queued;
    this.records = records;
    this.wakeup = wakeup;
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

  /** Runs the function now and answers its outcome (a failing handler is an outcome too). */
  public Mono<Invoked> invoke(String serviceId, String name, String qualifier, String eventJson) {
    return functions
        .require(serviceId, name, qualifier)
        .flatMap(f -> run(f, UUID.randomUUID().toString(), eventJson, REQUEST_RESPONSE));
  }

  /** Runs a version of a function, recording the outcome for the metrics. */
  Mono<Invoked> run(Function f, String requestId, String eventJson, String type) {
    return sandbox
        .invoke(functions.deployment(f), requestId, eventJson, functions.code(f))
        .doOnNext(
            outcome ->
                record(
                    f,
                    type,
                    outcome.failed() ? "error" : "success",
                    outcome.durationMs(),
                    outcome.initDurationMs()))
        .doOnError(
            e -> e instanceof ApiException api && api.kind() == ErrorKind.RATE_LIMITED,
            e -> record(f, type, "throttled", null, null))
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

  /** Records an invocation off the caller's path: metrics must not slow invocations down. */
  private void record(Function f, String type, String outcome, Double durationMs, Double initMs) {
    records
        .insert(f.serviceId(), f.name(), type, outcome, durationMs, initMs)
        .subscribe(
            null, e -> log.warn("Invocation of {} not recorded: {}", f.name(), e.toString()));
  }
}
