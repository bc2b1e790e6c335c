package dev.cumulus.function.sources.application;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.application.InvocationService;
import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.function.sources.messaging.QueueServiceClient;
import dev.cumulus.function.sources.messaging.QueueServiceClient.QueueGone;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queue (sqs) event sources, polled as Lambda polls SQS: each enabled mapping has a few pollers on
 * every replica ({@value #POLLERS}, or its {@code MaximumConcurrency} when lower), each
 * long-polling queue-service's internal endpoint, gathering up to {@code BatchSize} messages for up
 * to {@code MaximumBatchingWindowInSeconds}, invoking the function with Lambda's SQS event and
 * deleting the messages only when it succeeded. A failed batch is left alone: its messages return
 * after the queue's visibility timeout, and the queue's redrive policy moves them to its
 * dead-letter queue after maxReceiveCount receives (no retries of the mapping's own). With {@code
 * ReportBatchItemFailures} the messages the answer does not name are deleted. A mapping whose queue
 * is gone is disabled.
 */
@Component
public class QueuePollers extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(QueuePollers.class);

  /** Pollers per mapping and replica (Lambda starts with five). */
  static final int POLLERS = 5;

  /** The longest receive wait queue-service allows. */
  private static final int LONG_POLL = 20;

  private static final int THROTTLED_RETRY_SECONDS = 1;

  private static final Duration RECONCILE = Duration.ofSeconds(2);
  private static final Duration PAUSE_AFTER_PROBLEM = Duration.ofSeconds(5);

  private final EventSourceMappingRepository mappings;
  private final FunctionService functions;
  private final InvocationService invocations;
  private final QueueServiceClient queues;
  private final ObjectMapper json;
  private final String region;
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();

  /** A mapping's pollers, for the settings they started with. */
  private record Running(EventSourceMapping mapping, Disposable pollers) {}

  public QueuePollers(
      EventSourceMappingRepository mappings,
      FunctionService functions,
      InvocationService invocations,
      QueueServiceClient queues,
      ObjectMapper json,
      FunctionProperties properties) {
    super("Queue event source reconcile");
    this.mappings = mappings;
    this.functions = functions;
    this.invocations = invocations;
    this.queues = queues;
    this.json = json;
    this.region = properties.region();
  }

  @Override
  protected Duration interval() {
    return RECONCILE;
  }

  /** At once: the mappings that were enabled before a restart resume without waiting. */
  @Override
  protected Duration firstRunDelay() {
    return Duration.ZERO;
  }

  @Override
  protected Mono<Void> runOnce() {
    return reconcile();
  }

  /** Starts pollers of new or changed enabled mappings, stops those of disabled or deleted ones. */
  Mono<Void> reconcile() {
    return mappings
        .enabled(EventSource.Type.SQS)
        .collectMap(EventSourceMapping::uuid)
        .doOnNext(this::pollOnly)
        .then();
  }

  /**
   * Keeps pollers for the wanted mappings only; after {@link #stop()} starts none (a reconcile may
   * still be finishing when it stops).
   */
  private synchronized void pollOnly(Map<UUID, EventSourceMapping> wanted) {
    running.forEach(
        (uuid, r) -> {
          EventSourceMapping now = wanted.get(uuid);
          if (now == null || !now.lastModified().equals(r.mapping().lastModified())) {
            r.pollers().dispose();
            running.remove(uuid);
          }
        });
    if (isRunning()) {
      wanted.forEach((uuid, m) -> running.computeIfAbsent(uuid, id -> start(m)));
    }
  }

  private Running start(EventSourceMapping m) {
    int pollers =
        m.maximumConcurrency() == null ? POLLERS : Math.min(POLLERS, m.maximumConcurrency());
    Disposable.Composite all = Disposables.composite();
    for (int i = 0; i < pollers; i++) {
      all.add(Mono.defer(() -> round(m)).repeat().subscribe());
    }
    return new Running(m, all);
  }

  /** One receive (long poll), and when messages came, one batch: never fails. */
  Mono<Void> round(EventSourceMapping m) {
    return queues
        .receive(m, Math.min(10, m.batchSize()), LONG_POLL)
        .flatMap(first -> gather(m, first.messages(), System.nanoTime()))
        .flatMap(batch -> batch.isEmpty() ? Mono.<Void>empty() : invoke(m, batch))
        .onErrorResume(QueueGone.class, e -> gone(m, e))
        .onErrorResume(e -> problem(m, e));
  }

  /** Receives more until the batch is full or the batching window has passed. */
  private Mono<List<JsonNode>> gather(EventSourceMapping m, List<JsonNode> batch, long started) {
    long left =
        Duration.ofSeconds(m.batchingWindowSeconds())
            .minusNanos(System.nanoTime() - started)
            .toSeconds();
    if (batch.isEmpty() || batch.size() >= m.batchSize() || left <= 0) {
      return Mono.just(batch);
    }
    int max = Math.min(10, m.batchSize() - batch.size());
    return queues
        .receive(m, max, (int) Math.min(LONG_POLL, left))
        .flatMap(
            more -> {
              List<JsonNode> grown = new ArrayList<>(batch);
              grown.addAll(more.messages());
              return gather(m, grown, started);
            });
  }

  private Mono<Void> invoke(EventSourceMapping m, List<JsonNode> batch) {
    String event = event(m, batch);
    return functions
        .require(m.serviceId(), m.functionName(), m.qualifier())
        .flatMap(
            f -> invocations.run(f, UUID.randomUUID().toString(), event, InvocationService.EVENT))
        .flatMap(
            invoked ->
                invoked.outcome().failed()
                    ? failed(m, invoked.outcome().errorType())
                    : succeeded(m, batch, invoked.outcome().resultJson()))
        .onErrorResume(
            ApiException.class,
            e ->
                e.kind() == ErrorKind.RATE_LIMITED
                    ? throttled(m, batch)
                    : failed(m, e.code() == null ? "ServiceException" : e.code()));
  }

  private Mono<Void> succeeded(EventSourceMapping m, List<JsonNode> batch, String resultJson) {
    Set<String> failures =
        m.reportItemFailures() ? BatchItemFailures.of(json, resultJson) : Set.of();
    Set<String> ids = new HashSet<>();
    batch.forEach(r -> ids.add(r.path("messageId").asString()));
    if (failures == null || !ids.containsAll(failures)) {
      // As Lambda: an answer naming a message not in the batch fails the whole batch.
      return failed(m, "InvalidBatchItemFailures");
    }
    // A FIFO queue keeps its order: what follows a failed message is not done either.
    boolean fifo = m.source().name().endsWith(".fifo");
    List<String> done = new ArrayList<>();
    boolean stopped = false;
    for (JsonNode r : batch) {
      stopped |= fifo && failures.contains(r.path("messageId").asString());
      if (!stopped && !failures.contains(r.path("messageId").asString())) {
        done.add(r.path("receiptHandle").asString());
      }
    }
    return Flux.fromIterable(chunks(done))
        .concatMap(handles -> queues.delete(m, handles))
        .then(
            mappings.result(
                m.uuid(),
                failures.isEmpty() ? "OK" : "PROBLEM: Function call failed (BatchItemFailures)"));
  }

  /**
   * The function is at its concurrency limit: the messages return soon rather than after the
   * visibility timeout (each receive still counts towards maxReceiveCount, as in Lambda).
   */
  private Mono<Void> throttled(EventSourceMapping m, List<JsonNode> batch) {
    List<String> handles = batch.stream().map(r -> r.path("receiptHandle").asString()).toList();
    return Flux.fromIterable(chunks(handles))
        .concatMap(chunk -> queues.changeVisibility(m, chunk, THROTTLED_RETRY_SECONDS))
        .then(mappings.result(m.uuid(), "PROBLEM: Function call throttled"))
        .then(Mono.delay(Duration.ofSeconds(THROTTLED_RETRY_SECONDS)))
        .then();
  }

  /** The messages stay: they return after the visibility timeout (then perhaps to the DLQ). */
  private Mono<Void> failed(EventSourceMapping m, String errorType) {
    return mappings.result(m.uuid(), "PROBLEM: Function call failed (" + errorType + ")");
  }

  private Mono<Void> gone(EventSourceMapping m, QueueGone e) {
    log.info("Event source mapping {} disabled: {}", m.uuid(), e.getMessage());
    return mappings
        .disable(m.uuid(), "PROBLEM: " + e.getMessage())
        .then(Mono.delay(PAUSE_AFTER_PROBLEM))
        .then();
  }

  private Mono<Void> problem(EventSourceMapping m, Throwable e) {
    log.warn("Event source mapping {}: queue not polled: {}", m.uuid(), e.toString());
    return mappings
        .result(m.uuid(), "PROBLEM: " + e.getClass().getSimpleName())
        .onErrorResume(ignored -> Mono.empty())
        .then(Mono.delay(PAUSE_AFTER_PROBLEM))
        .then();
  }

  /** Lambda's SQS event: {@code Records[]} with the source's fields. */
  private String event(EventSourceMapping m, List<JsonNode> batch) {
    ObjectNode event = json.createObjectNode();
    var records = event.putArray("Records");
    for (JsonNode message : batch) {
      ObjectNode r = (ObjectNode) message.deepCopy();
      r.put("eventSource", EventSource.Type.SQS.eventSource());
      r.put("eventSourceARN", m.source().arn());
      r.put("awsRegion", region);
      records.add(r);
    }
    return json.writeValueAsString(event);
  }

  private static List<List<String>> chunks(List<String> handles) {
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < handles.size(); i += 10) {
      chunks.add(handles.subList(i, Math.min(handles.size(), i + 10)));
    }
    return chunks;
  }

  /** Stops reconciling, then the pollers it started (a later start begins afresh). */
  @Override
  public synchronized void stop() {
    super.stop();
    running.values().forEach(r -> r.pollers().dispose());
    running.clear();
  }
}
