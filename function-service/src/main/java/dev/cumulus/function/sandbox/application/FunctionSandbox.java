package dev.cumulus.function.sandbox.application;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.sandbox.domain.Deployment;
import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs invocations in sandboxed runtime processes, keeping them warm: a process serves one
 * invocation at a time and returns to its function revision's pool afterwards; parallel invocations
 * start (or reuse) further processes. A process that timed out, ran out of memory or died is
 * discarded. Process I/O runs on a scheduler of its own, never on an event loop.
 */
@Component
public class FunctionSandbox implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(FunctionSandbox.class);
  private static final Duration MIN_INIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int STDERR_TAIL_CHARS = 2048;

  private final RuntimeCatalog catalog;
  private final CodeStore code;
  private final FunctionProperties properties;
  private final ObjectMapper json;
  private final Concurrency concurrency;
  private final Map<String, Deque<RuntimeProcess>> idle = new ConcurrentHashMap<>();
  private final Scheduler invokers = Schedulers.newBoundedElastic(256, 100_000, "function-invoke");
  private final ScheduledExecutorService watchdogs =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("function-watchdog").unstarted(r));

  public FunctionSandbox(
      RuntimeCatalog catalog, CodeStore code, FunctionProperties properties, ObjectMapper json) {
    this.catalog = catalog;
    this.code = code;
    this.properties = properties;
    this.json = json;
    this.concurrency = new Concurrency(properties.pool().tenantConcurrency());
    watchdogs.scheduleWithFixedDelay(this::reap, 30, 30, TimeUnit.SECONDS);
  }

  /**
   * Invokes the deployment with an event (JSON text); {@code TooManyRequestsException} when its
   * concurrency is exhausted. A failing handler is an outcome, not an error.
   *
   * @param zip the code zip, read only when it is not unpacked here yet
   */
  public Mono<InvocationOutcome> invoke(
      Deployment deployment, String requestId, String eventJson, Mono<byte[]> zip) {
    return Mono.defer(
        () -> {
          Concurrency.Slot slot = concurrency.acquire(deployment);
          return code.directory(deployment.codeDigest(), zip)
              .publishOn(invokers)
              .map(dir -> run(deployment, dir, requestId, eventJson))
              .doFinally(signal -> slot.release());
        });
  }

  /** Idle processes kept warm for a function (all revisions). */
  public int warm(String serviceId, String functionName) {
    String prefix = poolPrefix(serviceId, functionName);
    return idle.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(e -> e.getValue().size())
        .sum();
  }

  /** Discards the warm processes of a function (its code or configuration changed, or it went). */
  public void evict(String serviceId, String functionName) {
    String prefix = poolPrefix(serviceId, functionName);
    idle.keySet().removeIf(key -> key.startsWith(prefix) && closeAll(idle.get(key)));
  }

  private InvocationOutcome run(
      Deployment deployment, Path codeDir, String requestId, String eventJson) {
    String poolKey = poolKey(deployment);
    RuntimeProcess process =
        idle.computeIfAbsent(poolKey, k -> new ConcurrentLinkedDeque<>()).pollFirst();
    Double initMs = null;
    if (process == null || !process.alive()) {
      long started = System.nanoTime();
      Started cold = start(deployment, codeDir, requestId);
      if (cold.failure() != null) {
        return cold.failure();
      }
      process = cold.process();
      initMs = millisSince(started);
    }
    long deadline = System.currentTimeMillis() + deployment.timeout().toMillis();
    String request =
        "{\"requestId\":"
            + json.writeValueAsString(requestId)
            + ",\"deadlineMs\":"
            + deadline
            + ",\"event\":"
            + eventJson
            + "}";
    StringBuilder stray = new StringBuilder();
    RuntimeProcess running = process;
    Watchdog watchdog = watch(running, deployment.timeout());
    long started = System.nanoTime();
    try {
      JsonNode answer = running.exchange(request, answerTo(requestId), stray);
      double durationMs = millisSince(started);
      watchdog.cancel();
      InvocationOutcome outcome = outcome(requestId, answer, stray, durationMs, initMs);
      if (InvocationOutcome.OUT_OF_MEMORY.equals(outcome.errorType()) || !running.alive()) {
        running.close();
      } else {
        running.markIdle();
        idle.computeIfAbsent(poolKey, k -> new ConcurrentLinkedDeque<>()).offerFirst(running);
      }
      return outcome;
    } catch (IOException exited) {
      double durationMs = millisSince(started);
      watchdog.cancel();
      return died(deployment, running, requestId, stray, durationMs, initMs, watchdog.fired());
    }
  }

  /**
   * Kills a process at its deadline. Whether it fired is recorded before the kill: the reader sees
   * the process end as soon as it is killed, possibly before the scheduled task has returned.
   */
  private record Watchdog(ScheduledFuture<?> task, AtomicBoolean firing) {
    boolean fired() {
      return firing.get();
    }

    void cancel() {
      task.cancel(false);
    }
  }

  private Watchdog watch(RuntimeProcess process, Duration deadline) {
    AtomicBoolean firing = new AtomicBoolean();
    ScheduledFuture<?> task =
        watchdogs.schedule(
            () -> {
              firing.set(true);
              process.kill();
            },
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    return new Watchdog(task, firing);
  }

  private record Started(RuntimeProcess process, InvocationOutcome failure) {}

  /** Starts a process and initialises the handler; an init failure is the invocation's outcome. */
  private Started start(Deployment deployment, Path codeDir, String requestId) {
    FunctionProperties.Runtime runtime = catalog.runtime(deployment.runtime());
    List<String> argv =
        SandboxCommand.of(
            properties.sandbox(), runtime, deployment, codeDir, catalog.bootstrapDir());
    Path stderr = properties.workDir().resolve("logs").resolve(UUID.randomUUID() + ".log");
    Duration initTimeout =
        deployment.timeout().compareTo(MIN_INIT_TIMEOUT) > 0
            ? deployment.timeout()
            : MIN_INIT_TIMEOUT;
    RuntimeProcess process;
    try {
      process = RuntimeProcess.start(argv, stderr, deployment.revision());
    } catch (IOException e) {
      log.warn("Cannot start a sandbox for {}: {}", deployment.functionName(), e.getMessage());
      return new Started(
          null,
          failure(requestId, InvocationOutcome.EXIT, "Cannot start the runtime", "", 0, null));
    }
    Watchdog watchdog = watch(process, initTimeout);
    StringBuilder stray = new StringBuilder();
    long started = System.nanoTime();
    try {
      JsonNode ready =
          process.exchange(
              json.writeValueAsString(initMessage(deployment)), this::initAnswer, stray);
      watchdog.cancel();
      if (ready.path("ready").asBoolean(false)) {
        return new Started(process, null);
      }
      process.close();
      return new Started(null, outcome(requestId, ready, stray, millisSince(started), null));
    } catch (IOException exited) {
      watchdog.cancel();
      return new Started(
          null,
          died(
              deployment, process, requestId, stray, millisSince(started), null, watchdog.fired()));
    }
  }

  private Map<String, Object> initMessage(Deployment deployment) {
    Map<String, Object> init = new LinkedHashMap<>();
    init.put("handler", deployment.handler());
    init.put("environment", deployment.environment());
    init.put("functionName", deployment.functionName());
    init.put("functionVersion", deployment.version());
    init.put("functionArn", deployment.functionArn());
    init.put("memoryMb", deployment.memoryMb());
    return init;
  }

  /** The outcome of a process that ended before answering: timed out, out of memory or crashed. */
  private InvocationOutcome died(
      Deployment deployment,
      RuntimeProcess process,
      String requestId,
      StringBuilder stray,
      double durationMs,
      Double initMs,
      boolean timedOut) {
    process.awaitExit();
    String stderr = process.stderrTail(STDERR_TAIL_CHARS);
    process.close();
    String logs = stray + stderr;
    if (timedOut) {
      return failure(
          requestId,
          InvocationOutcome.TIMEOUT,
          String.format(
              "Task timed out after %.2f seconds", deployment.timeout().toMillis() / 1000.0),
          logs,
          durationMs,
          initMs);
    }
    if (outOfMemory(stderr)) {
      return failure(
          requestId,
          InvocationOutcome.OUT_OF_MEMORY,
          "Runtime exited: out of memory (limit " + deployment.memoryMb() + " MB)",
          logs,
          durationMs,
          initMs);
    }
    return failure(
        requestId,
        InvocationOutcome.EXIT,
        "Runtime exited without an answer",
        logs,
        durationMs,
        initMs);
  }

  private static boolean outOfMemory(String stderr) {
    return stderr.contains("out of memory")
        || stderr.contains("MemoryError")
        || stderr.contains("allocation failed")
        || stderr.contains("Failed to reserve");
  }

  private InvocationOutcome outcome(
      String requestId, JsonNode answer, StringBuilder stray, double durationMs, Double initMs) {
    String logs = stray + answer.path("logs").asString("");
    long memoryMb = Math.round(answer.path("maxMemoryUsedKb").asLong(0) / 1024.0);
    if (answer.path("ok").asBoolean(false)) {
      return new InvocationOutcome(
          requestId,
          json.writeValueAsString(answer.get("result")),
          null,
          null,
          List.of(),
          logs,
          durationMs,
          initMs,
          memoryMb);
    }
    List<String> stack = new ArrayList<>();
    answer.path("stackTrace").forEach(line -> stack.add(line.asString("")));
    return new InvocationOutcome(
        requestId,
        null,
        answer.path("errorType").asString("Error"),
        answer.path("errorMessage").asString(""),
        stack,
        logs,
        durationMs,
        initMs,
        memoryMb);
  }

  private static InvocationOutcome failure(
      String requestId,
      String type,
      String message,
      String logs,
      double durationMs,
      Double initMs) {
    return new InvocationOutcome(
        requestId, null, type, message, List.of(), logs, durationMs, initMs, 0);
  }

  /** Parses the lines that answer this request; other lines are output of the function. */
  private Function<String, JsonNode> answerTo(String requestId) {
    return line -> {
      JsonNode node = parse(line);
      return node != null && requestId.equals(node.path("requestId").asString(null)) ? node : null;
    };
  }

  private JsonNode initAnswer(String line) {
    JsonNode node = parse(line);
    return node != null && (node.has("ready") || node.has("errorType")) ? node : null;
  }

  private JsonNode parse(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = json.readTree(line);
      return node.isObject() ? node : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private void reap() {
    long keepWarm = properties.pool().keepWarm().toNanos();
    idle.values()
        .forEach(
            processes ->
                processes.removeIf(p -> (p.idleNanos() > keepWarm || !p.alive()) && closed(p)));
  }

  private static boolean closed(RuntimeProcess process) {
    process.close();
    return true;
  }

  private static boolean closeAll(Deque<RuntimeProcess> processes) {
    for (RuntimeProcess p = processes.pollFirst(); p != null; p = processes.pollFirst()) {
      p.close();
    }
    return true;
  }

  private static String poolKey(Deployment deployment) {
    return poolPrefix(deployment.serviceId(), deployment.functionName()) + deployment.revision();
  }

  private static String poolPrefix(String serviceId, String functionName) {
    return serviceId + "/" + functionName + "@";
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }

  @Override
  public void destroy() {
    watchdogs.shutdownNow();
    idle.values().forEach(FunctionSandbox::closeAll);
    idle.clear();
    invokers.dispose();
  }
}
