package dev.cumulus.function.sources.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.function.sources.messaging.QueueServiceClient;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.internalclient.InternalServiceClient;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Creates, reads, changes and deletes event source mappings, checking what Lambda checks: the
 * function exists, the source is an instance of the caller's own tenant, batch size, batching
 * window, retries and starting position are in range.
 */
@Service
public class EventSourceMappingService {

  public static final int MAX_BATCH_SIZE = 10_000;
  public static final int MAX_BATCHING_WINDOW = 300;
  public static final int MAX_RETRIES = 10_000;
  public static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

  /**
   * What a create or an update asks for; null leaves a setting as it is (update) or at its default
   * (create).
   */
  public record Settings(
      String functionName,
      String qualifier,
      Integer batchSize,
      Integer batchingWindowSeconds,
      Integer maximumRetryAttempts,
      String startingPosition,
      List<String> functionResponseTypes,
      Boolean enabled,
      String onFailureDestination,
      Integer maximumConcurrency) {}

  private final EventSourceMappingRepository mappings;
  private final FunctionService functions;
  private final QueueServiceClient queues;

  public EventSourceMappingService(
      EventSourceMappingRepository mappings, FunctionService functions, QueueServiceClient queues) {
    this.mappings = mappings;
    this.functions = functions;
    this.queues = queues;
  }

  public String region() {
    return functions.region();
  }

  public Mono<EventSourceMapping> create(
      String tenantId, String serviceId, String sourceArn, List<String> topics, Settings s) {
    EventSource source;
    try {
      source = EventSource.parse(sourceArn, topics);
    } catch (IllegalArgumentException e) {
      throw FunctionErrors.invalidParameter(e.getMessage());
    }
    if (s.functionName() == null || s.functionName().isBlank()) {
      throw FunctionErrors.invalidParameter("FunctionName is required");
    }
    boolean queue = source.type() == EventSource.Type.SQS;
    String start = startingPosition(source, s.startingPosition());
    int batchSize = range("BatchSize", s.batchSize(), queue ? 10 : 100, 1, MAX_BATCH_SIZE);
    int window =
        range(
            "MaximumBatchingWindowInSeconds", s.batchingWindowSeconds(), 0, 0, MAX_BATCHING_WINDOW);
    int retries =
        queue
            ? noRetries(s.maximumRetryAttempts())
            : range(
                "MaximumRetryAttempts",
                s.maximumRetryAttempts(),
                source.type() == EventSource.Type.KAFKA ? EventSourceMapping.RETRY_FOREVER : 2,
                -1,
                MAX_RETRIES);
    Integer concurrency = concurrency(source, s.maximumConcurrency(), null);
    checkQueueBatch(source, batchSize, window);
    boolean items = itemFailures(s.functionResponseTypes(), false);
    checkDestination(s.onFailureDestination());
    String qualifier = qualifier(s.qualifier());
    return functions
        .require(serviceId, s.functionName(), qualifier)
        .flatMap(
            f ->
                mappings
                    .ownsInstance(tenantId, source.type().instanceType(), source.serviceId())
                    .flatMap(
                        owned ->
                            owned && queue
                                ? checkQueue(tenantId, source, f).thenReturn(true)
                                : Mono.just(owned)))
        .flatMap(
            owned -> {
              if (!owned) {
                return Mono.error(
                    FunctionErrors.of(
                        ErrorKind.NOT_FOUND,
                        "ResourceNotFoundException",
                        "The event source "
                            + sourceArn
                            + " does not exist: no "
                            + source.type().instanceType()
                            + " instance "
                            + source.serviceId()
                            + " in this tenant"));
              }
              EventSourceMapping m =
                  new EventSourceMapping(
                      UUID.randomUUID(),
                      serviceId,
                      tenantId,
                      s.functionName(),
                      qualifier,
                      source,
                      batchSize,
                      window,
                      retries,
                      start,
                      items,
                      s.enabled() == null || s.enabled(),
                      "No records processed",
                      0,
                      Instant.now(),
                      concurrency);
              return mappings.insert(m).then(require(serviceId, m.uuid().toString()));
            });
  }

  public Mono<EventSourceMapping> require(String serviceId, String uuid) {
    UUID id;
    try {
      id = UUID.fromString(uuid);
    } catch (IllegalArgumentException e) {
      return Mono.error(notFound(uuid));
    }
    return mappings.find(serviceId, id).switchIfEmpty(Mono.error(() -> notFound(uuid)));
  }

  public Mono<List<EventSourceMapping>> list(
      String serviceId, String functionName, String sourceArn) {
    return mappings.list(serviceId, functionName, sourceArn).collectList();
  }

  public Mono<EventSourceMapping> update(String serviceId, String uuid, Settings s) {
    checkDestination(s.onFailureDestination());
    if (s.startingPosition() != null) {
      throw FunctionErrors.invalidParameter("StartingPosition cannot be changed");
    }
    return require(serviceId, uuid)
        .flatMap(
            m -> {
              boolean queue = m.source().type() == EventSource.Type.SQS;
              if (queue) {
                noRetries(s.maximumRetryAttempts());
              }
              String name = s.functionName() == null ? m.functionName() : s.functionName();
              String qualifier =
                  s.functionName() == null ? m.qualifier() : qualifier(s.qualifier());
              EventSourceMapping changed =
                  new EventSourceMapping(
                      m.uuid(),
                      m.serviceId(),
                      m.tenantId(),
                      name,
                      qualifier,
                      m.source(),
                      range("BatchSize", s.batchSize(), m.batchSize(), 1, MAX_BATCH_SIZE),
                      range(
                          "MaximumBatchingWindowInSeconds",
                          s.batchingWindowSeconds(),
                          m.batchingWindowSeconds(),
                          0,
                          MAX_BATCHING_WINDOW),
                      range(
                          "MaximumRetryAttempts",
                          s.maximumRetryAttempts(),
                          m.maximumRetryAttempts(),
                          -1,
                          MAX_RETRIES),
                      m.startingPosition(),
                      itemFailures(s.functionResponseTypes(), m.reportItemFailures()),
                      s.enabled() == null ? m.enabled() : s.enabled(),
                      m.lastProcessingResult(),
                      m.batchAttempts(),
                      m.lastModified(),
                      concurrency(m.source(), s.maximumConcurrency(), m.maximumConcurrency()));
              checkQueueBatch(
                  changed.source(), changed.batchSize(), changed.batchingWindowSeconds());
              return functions
                  .require(serviceId, name, qualifier)
                  .flatMap(
                      f -> queue ? checkQueue(m.tenantId(), m.source(), f) : Mono.<Void>empty())
                  .then(mappings.update(changed))
                  .then(require(serviceId, uuid));
            });
  }

  public Mono<EventSourceMapping> delete(String serviceId, String uuid) {
    return require(serviceId, uuid)
        .flatMap(m -> mappings.delete(serviceId, m.uuid()).thenReturn(m));
  }

  /**
   * As Lambda: the queue must exist, and its visibility timeout must cover the function's timeout
   * (else a message would be received again while the function still runs on it).
   */
  private Mono<Void> checkQueue(String tenantId, EventSource source, Function f) {
    return queues
        .describe(tenantId, source.serviceId(), source.name())
        .onErrorMap(
            QueueServiceClient.QueueGone.class,
            e ->
                FunctionErrors.of(
                    ErrorKind.NOT_FOUND,
                    "ResourceNotFoundException",
                    "The event source " + source.arn() + " does not exist: no such queue"))
        .onErrorMap(
            InternalServiceClient.Unavailable.class,
            e ->
                FunctionErrors.of(
                    ErrorKind.SERVICE_UNAVAILABLE,
                    "ServiceException",
                    "The queue service cannot check " + source.arn() + " now; try again"))
        .flatMap(
            q ->
                q.visibilityTimeout() < f.timeoutSeconds()
                    ? Mono.error(
                        FunctionErrors.invalidParameter(
                            "Queue visibility timeout: "
                                + q.visibilityTimeout()
                                + " seconds is less than Function timeout: "
                                + f.timeoutSeconds()
                                + " seconds"))
                    : Mono.empty());
  }

  /** Lambda's SQS limits: 10 per batch, up to 10,000 with a batching window (10 for FIFO). */
  private static void checkQueueBatch(EventSource source, int batchSize, int window) {
    if (source.type() != EventSource.Type.SQS || batchSize <= 10) {
      return;
    }
    if (source.name().endsWith(".fifo")) {
      throw FunctionErrors.invalidParameter(
          "BatchSize must be between 1 and 10 for a FIFO queue, not " + batchSize);
    }
    if (window == 0) {
      throw FunctionErrors.invalidParameter(
          "Maximum batch window in seconds must be greater than 0 if maximum batch size is"
              + " greater than 10");
    }
  }

  /** A queue source has no retries of its own: the queue's redrive policy applies. */
  private static int noRetries(Integer asked) {
    if (asked != null) {
      throw FunctionErrors.invalidParameter(
          "Unsupported MaximumRetryAttempts parameter for an sqs event source: failed messages"
              + " return to the queue, whose redrive policy moves them to its dead-letter queue");
    }
    return 0;
  }

  /** ScalingConfig.MaximumConcurrency: 2 to 1000, queue sources only. */
  private static Integer concurrency(EventSource source, Integer asked, Integer fallback) {
    if (asked == null) {
      return fallback;
    }
    if (source.type() != EventSource.Type.SQS) {
      throw FunctionErrors.invalidParameter(
          "ScalingConfig is only for sqs event sources, not " + source.type().eventSource());
    }
    return range("MaximumConcurrency", asked, 2, 2, 1000);
  }

  private static String qualifier(String qualifier) {
    return qualifier == null || qualifier.isEmpty() ? Function.LATEST : qualifier;
  }

  private static String startingPosition(EventSource source, String asked) {
    if (source.type() != EventSource.Type.KAFKA) {
      if (asked != null) {
        throw FunctionErrors.invalidParameter(
            "StartingPosition is only for stream sources (kafka), not "
                + source.type().eventSource());
      }
      return null;
    }
    if (asked == null) {
      throw FunctionErrors.invalidParameter("StartingPosition is required for a Kafka source");
    }
    if (!List.of("TRIM_HORIZON", "LATEST").contains(asked)) {
      throw FunctionErrors.invalidParameter(
          "Value '"
              + asked
              + "' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum"
              + " value set: [TRIM_HORIZON, LATEST] (AT_TIMESTAMP is not supported)");
    }
    return asked;
  }

  private static int range(String field, Integer value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw FunctionErrors.invalidParameter(
          "Value "
              + value
              + " at '"
              + Character.toLowerCase(field.charAt(0))
              + field.substring(1)
              + "' failed to satisfy constraint: Member must have value between "
              + min
              + " and "
              + max);
    }
    return value;
  }

  private static boolean itemFailures(List<String> types, boolean fallback) {
    if (types == null) {
      return fallback;
    }
    for (String type : types) {
      if (!REPORT_BATCH_ITEM_FAILURES.equals(type)) {
        throw FunctionErrors.invalidParameter(
            "Value '"
                + type
                + "' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy"
                + " enum value set: [ReportBatchItemFailures]");
      }
    }
    return types.contains(REPORT_BATCH_ITEM_FAILURES);
  }

  private static void checkDestination(String destination) {
    if (destination != null && !destination.isEmpty()) {
      throw FunctionErrors.invalidParameter(
          "DestinationConfig.OnFailure.Destination is not supported: a failed batch goes to the"
              + " function's dead-letter list and the dev.cumulus.function.function.failed.v1"
              + " event");
    }
  }

  private static RuntimeException notFound(String uuid) {
    return FunctionErrors.of(
        ErrorKind.NOT_FOUND,
        "ResourceNotFoundException",
        "The resource you requested does not exist. (Service: Lambda, event source mapping "
            + uuid
            + ")");
  }
}
