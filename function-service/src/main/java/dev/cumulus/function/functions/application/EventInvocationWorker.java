package dev.cumulus.function.functions.application;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.functions.persistence.EventInvocationRepository;
import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs queued {@code Event} invocations: claims due ones (every replica may, {@code SKIP LOCKED}),
 * runs them, and on failure retries them after a growing delay; after the last attempt the
 * invocation is dead-lettered and {@code dev.cumulus.function.function.failed.v1} says so. A
 * success emits {@code dev.cumulus.function.function.invoked.v1}.
 */
@Component
public class EventInvocationWorker extends PeriodicWork {

  /** Longer than the longest function timeout: a claimed invocation is retaken after it. */
  private static final Duration LEASE = Duration.ofMinutes(16);

  /** A throttled invocation waits this long, without counting as an attempt. */
  private static final Duration THROTTLE_DELAY = Duration.ofSeconds(1);

  private final EventInvocationRepository queued;
  private final FunctionService functions;
  private final InvocationService invocations;
  private final EventWakeup wakeup;
  private final TransactionalOperator tx;
  private final Outbox outbox;
  private final FunctionProperties.Events settings;

  public EventInvocationWorker(
      EventInvocationRepository queued,
      FunctionService functions,
      InvocationService invocations,
      EventWakeup wakeup,
      TransactionalOperator tx,
      Outbox outbox,
      FunctionProperties properties) {
    super("Running event invocations");
    this.queued = queued;
    this.functions = functions;
    this.invocations = invocations;
    this.wakeup = wakeup;
    this.tx = tx;
    this.outbox = outbox;
    this.settings = properties.events();
  }

  @Override
  protected Duration interval() {
    return settings.pollInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return wakeup.signals();
  }

  /** Claims and runs batches until none is due. */
  @Override
  protected Mono<Void> runOnce() {
    return drainOnce()
        .expand(ran -> ran < settings.batchSize() ? Mono.empty() : drainOnce())
        .then();
  }

  private Mono<Long> drainOnce() {
    return queued
        .claim(settings.batchSize(), LEASE)
        .flatMap(this::attempt, settings.batchSize())
        .count();
  }

  private Mono<Void> attempt(EventInvocation invocation) {
    return functions
        .require(invocation.serviceId(), invocation.functionName(), invocation.qualifier())
        .flatMap(
            f ->
                invocations.run(
                    f, invocation.id().toString(), invocation.payload(), InvocationService.EVENT))
        .flatMap(
            invoked ->
                invoked.outcome().failed()
                    ? failed(
                        invocation, invoked.outcome().errorType(), invoked.outcome().errorMessage())
                    : succeeded(invocation, invoked.outcome()))
        .onErrorResume(
            ApiException.class,
            e ->
                e.kind() == ErrorKind.RATE_LIMITED
                    ? queued.postpone(invocation.id(), THROTTLE_DELAY)
                    : failed(
                        invocation,
                        e.code() == null ? "ServiceException" : e.code(),
                        e.getMessage()));
  }

  private Mono<Void> succeeded(EventInvocation invocation, InvocationOutcome outcome) {
    Map<String, Object> data = data(invocation);
    data.put("status", EventInvocation.SUCCEEDED);
    data.put("durationMs", outcome.durationMs());
    return queued
        .succeeded(invocation.id(), outcome.resultJson())
        .then(event(invocation, "invoked", data))
        .as(tx::transactional);
  }

  private Mono<Void> failed(EventInvocation invocation, String type, String message) {
    if (invocation.attempts() < settings.maxAttempts()) {
      Duration retryIn = settings.retryDelay().multipliedBy(1L << (invocation.attempts() - 1));
      return queued.failed(invocation.id(), type, message, retryIn);
    }
    Map<String, Object> data = data(invocation);
    data.put("status", EventInvocation.DEAD_LETTERED);
    data.put("attempts", invocation.attempts());
    data.put("errorType", type);
    data.put("errorMessage", message);
    data.put("payload", invocation.payload());
    return queued
        .failed(invocation.id(), type, message, null)
        .then(event(invocation, "failed", data))
        .as(tx::transactional);
  }

  private static Map<String, Object> data(EventInvocation invocation) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("requestId", invocation.id().toString());
    data.put("serviceId", invocation.serviceId());
    data.put("functionName", invocation.functionName());
    data.put("qualifier", invocation.qualifier());
    return data;
  }

  private Mono<Void> event(EventInvocation invocation, String verb, Map<String, Object> data) {
    return outbox
        .appendForTenant(
            invocation.tenantId(),
            FunctionService.TOPIC,
            invocation.serviceId() + "/" + invocation.functionName(),
            "function",
            verb,
            data)
        .then();
  }
}
