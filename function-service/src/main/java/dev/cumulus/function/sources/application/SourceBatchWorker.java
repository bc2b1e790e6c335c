package dev.cumulus.function.sources.application;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.application.InvocationService;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository.SourceRecord;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the batches of event source mappings: claims mappings with a batch due (every replica may; a
 * lease keeps a mapping on one replica at a time, so its batches run one after the other, in
 * order), invokes the function with the batch in Lambda's event shape, and then marks the records
 * done. A failed batch (the handler raised, timed out, or the function is gone) is retried after a
 * growing delay, {@code MaximumRetryAttempts} times, then put on the function's dead-letter list
 * with {@code dev.cumulus.function.function.failed.v1}, and the mapping goes on with the next
 * records. With {@code ReportBatchItemFailures}, a successful answer's {@code batchItemFailures}
 * name the records to retry; the others are done.
 */
@Component
public class SourceBatchWorker extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(SourceBatchWorker.class);

  /** Longer than the longest function timeout: a claimed mapping is retaken after it. */
  private static final Duration LEASE = Duration.ofMinutes(16);

  /** Retries wait at most this long. */
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

  private static final int MAPPINGS_PER_ROUND = 16;

  private final EventSourceMappingRepository mappings;
  private final FunctionService functions;
  private final InvocationService invocations;
  private final TransactionalOperator tx;
  private final ObjectMapper json;
  private final FunctionProperties.Events settings;
  private final String kafkaBootstrap;

  public SourceBatchWorker(
      EventSourceMappingRepository mappings,
      FunctionService functions,
      InvocationService invocations,
      TransactionalOperator tx,
      ObjectMapper json,
      FunctionProperties properties,
      @Value("${cumulus.kafka.bootstrap-servers:127.0.0.1:9092}") String kafkaBootstrap) {
    super("Event source mapping round");
    this.mappings = mappings;
    this.functions = functions;
    this.invocations = invocations;
    this.tx = tx;
    this.json = json;
    this.settings = properties.events();
    this.kafkaBootstrap = kafkaBootstrap;
  }

  @Override
  protected Duration interval() {
    return settings.pollInterval();
  }

  @Override
  protected Mono<?> runOnce() {
    return drain();
  }

  /** Claims mappings with a batch due and runs one batch of each. */
  Mono<Void> drain() {
    return mappings
        .claim(MAPPINGS_PER_ROUND, LEASE)
        .flatMap(m -> runBatch(m).onErrorResume(e -> release(m, e)), MAPPINGS_PER_ROUND)
        .then();
  }

  private Mono<Void> release(EventSourceMapping m, Throwable e) {
    log.warn("Event source mapping {}: batch not run: {}", m.uuid(), e.toString());
    return mappings.release(
        m.uuid(), "PROBLEM: " + e.getClass().getSimpleName(), settings.retryDelay());
  }

  private Mono<Void> runBatch(EventSourceMapping m) {
    return mappings
        .batch(m.uuid(), m.batchSize())
        .collectList()
        .flatMap(
            batch -> {
              if (batch.isEmpty()) {
                return mappings.release(m.uuid(), m.lastProcessingResult(), null);
              }
              String event = event(m, batch);
              String requestId = UUID.randomUUID().toString();
              return functions
                  .require(m.serviceId(), m.functionName(), m.qualifier())
                  .flatMap(f -> invocations.run(f, requestId, event, InvocationService.EVENT))
                  .flatMap(
                      invoked ->
                          invoked.outcome().failed()
                              ? failed(
                                  m,
                                  batch,
                                  event,
                                  requestId,
                                  invoked.outcome().errorType(),
                                  invoked.outcome().errorMessage())
                              : succeeded(
                                  m, batch, event, requestId, invoked.outcome().resultJson()))
                  .onErrorResume(
                      ApiException.class,
                      e ->
                          e.kind() == ErrorKind.RATE_LIMITED
                              ? mappings.release(
                                  m.uuid(), "PROBLEM: Function call throttled", Duration.ZERO)
                              : failed(
                                  m,
                                  batch,
                                  event,
                                  requestId,
                                  e.code() == null ? "ServiceException" : e.code(),
                                  e.getMessage()));
            });
  }

  private Mono<Void> succeeded(
      EventSourceMapping m,
      List<SourceRecord> batch,
      String event,
      String requestId,
      String resultJson) {
    Set<String> failedItems =
        m.reportItemFailures() ? BatchItemFailures.of(json, resultJson) : Set.of();
    if (failedItems == null
        || !batch.stream().map(SourceRecord::itemId).toList().containsAll(failedItems)) {
      // As Lambda: an answer naming no record of the batch (or with an empty identifier) fails
      // the whole batch.
      return failed(
          m,
          batch,
          event,
          requestId,
          "InvalidBatchItemFailures",
          "batchItemFailures names an itemIdentifier that is not in the batch");
    }
    if (failedItems.isEmpty()) {
      return mappings
          .finish(m.uuid(), batch.stream().map(SourceRecord::seq).toList(), "done")
          .then(mappings.release(m.uuid(), "OK", null))
          .as(tx::transactional);
    }
    // Partial batch failure: the named records (and, as Lambda does for ordered sources, those
    // after the first of them) are retried; those before it are done.
    List<Long> done = new ArrayList<>();
    List<SourceRecord> retried = new ArrayList<>();
    for (SourceRecord r : batch) {
      if (retried.isEmpty() && !failedItems.contains(r.itemId())) {
        done.add(r.seq());
      } else {
        retried.add(r);
      }
    }
    return mappings
        .finish(m.uuid(), done, "done")
        .then(
            failed(
                m,
                retried,
                retried.size() == batch.size() ? event : event(m, retried),
                requestId,
                "BatchItemFailures",
                failedItems.size() + " record(s) of the batch failed"))
        .as(tx::transactional);
  }

  private Mono<Void> failed(
      EventSourceMapping m,
      List<SourceRecord> batch,
      String event,
      String requestId,
      String type,
      String message) {
    int attempts = m.batchAttempts() + 1;
    boolean retry =
        m.maximumRetryAttempts() == EventSourceMapping.RETRY_FOREVER
            || attempts <= m.maximumRetryAttempts();
    String result = "PROBLEM: Function call failed (" + type + ")";
    if (retry) {
      Duration delay = settings.retryDelay().multipliedBy(1L << Math.min(attempts - 1, 16));
      return mappings.release(
          m.uuid(), result, delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay);
    }
    EventInvocation dead =
        new EventInvocation(
            UUID.fromString(requestId),
            m.serviceId(),
            m.tenantId(),
            m.functionName(),
            m.qualifier(),
            event,
            EventInvocation.DEAD_LETTERED,
            attempts,
            type,
            message,
            null,
            Instant.now(),
            Instant.now());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("requestId", requestId);
    data.put("serviceId", m.serviceId());
    data.put("functionName", m.functionName());
    data.put("qualifier", m.qualifier());
    data.put("invocationType", "EventSourceMapping");
    data.put("eventSourceMappingUUID", m.uuid().toString());
    data.put("eventSourceArn", m.source().arn());
    data.put("status", EventInvocation.DEAD_LETTERED);
    data.put("attempts", attempts);
    data.put("errorType", type);
    data.put("errorMessage", message);
    data.put("payload", event);
    return invocations
        .deadLettered(dead, data)
        .then(mappings.finish(m.uuid(), batch.stream().map(SourceRecord::seq).toList(), "failed"))
        .then(mappings.release(m.uuid(), result, null))
        .as(tx::transactional);
  }

  /** The batch as Lambda hands it to a function of this source type. */
  private String event(EventSourceMapping m, List<SourceRecord> batch) {
    ObjectNode event = json.createObjectNode();
    switch (m.source().type()) {
      case KAFKA -> {
        event.put("eventSource", EventSource.Type.KAFKA.eventSource());
        event.put("eventSourceArn", m.source().arn());
        event.put("bootstrapServers", kafkaBootstrap);
        ObjectNode records = event.putObject("records");
        for (SourceRecord r : batch) {
          JsonNode record = json.readTree(r.json());
          String partition = m.source().name() + "-" + record.path("partition").asInt();
          JsonNode list = records.get(partition);
          ArrayNode array = list == null ? records.putArray(partition) : (ArrayNode) list;
          array.add(record);
        }
      }
      default -> {
        ArrayNode records = event.putArray("Records");
        for (SourceRecord r : batch) {
          records.add(json.readTree(r.json()));
        }
      }
    }
    return json.writeValueAsString(event);
  }
}
