package dev.cumulus.queue.queues.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.platform.instance.InstanceAccess;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.application.QueueService;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.QueueSettings;
import dev.cumulus.queue.queues.domain.QueueStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 000 "SQS-like Queue Service": queues. */
@RestController
@RequestMapping("/api/queue/{tenantId}/{serviceId}")
public class QueueController {

  private static final int LIST_LIMIT = 1000;

  private final InstanceAccess access;
  private final QueueService queues;
  private final String sqsPrefix;

  public QueueController(InstanceAccess access, QueueService queues, QueueProperties properties) {
    this.access = access;
    this.queues = queues;
    this.sqsPrefix = properties.sqs().pathPrefix();
  }

  /**
   * The seed's body; unknown fields are ignored. {@code queueType} is {@code Standard} (default) or
   * {@code FIFO}; {@code deadLetterQueueName} with {@code maxReceiveCount} is the redrive policy.
   */
  public record CreateQueueRequest(
      String queueName,
      String queueType,
      Integer visibilityTimeoutSeconds,
      Integer messageRetentionPeriod,
      Integer maxReceiveCount,
      Integer delaySeconds,
      Integer maximumMessageSize,
      Integer receiveMessageWaitTimeSeconds,
      Boolean contentBasedDeduplication,
      String deadLetterQueueName,
      Map<String, String> tags) {}

  /** A queue; the counts appear in the details, not in the list. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QueueView(
      String queueName,
      String queueType,
      String queueUrl,
      String queueArn,
      int visibilityTimeoutSeconds,
      int messageRetentionPeriod,
      int delaySeconds,
      int maximumMessageSize,
      int receiveMessageWaitTimeSeconds,
      Integer maxReceiveCount,
      String deadLetterQueueName,
      Boolean contentBasedDeduplication,
      Map<String, String> tags,
      Instant createdAt,
      Instant updatedAt,
      Long approximateNumberOfMessages,
      Long approximateNumberOfMessagesNotVisible,
      Long approximateNumberOfMessagesDelayed) {

    static QueueView of(Queue q, String sqsPrefix, String arn, QueueStats stats) {
      QueueSettings s = q.settings();
      return new QueueView(
          q.name(),
          s.fifo() ? "FIFO" : "Standard",
          QueueUrls.url(sqsPrefix, q),
          arn,
          s.visibilityTimeout(),
          s.messageRetentionPeriod(),
          s.delaySeconds(),
          s.maximumMessageSize(),
          s.receiveMessageWaitTimeSeconds(),
          s.maxReceiveCount(),
          s.deadLetterQueue(),
          s.fifo() ? s.contentBasedDeduplication() : null,
          q.tags(),
          q.createdAt(),
          q.updatedAt(),
          stats == null ? null : stats.visible(),
          stats == null ? null : stats.inFlight(),
          stats == null ? null : stats.delayed());
    }
  }

  public record QueueList(List<QueueView> queues, int count) {}

  public record AttributesView(String queueName, Map<String, String> attributes) {}

  @GetMapping("/queues")
  Mono<QueueList> list(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestParam(required = false) String prefix) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.list(serviceId, prefix, null, LIST_LIMIT))
        .map(
            list -> {
              List<QueueView> views =
                  list.stream().map(q -> QueueView.of(q, sqsPrefix, queues.arn(q), null)).toList();
              return new QueueList(views, views.size());
            });
  }

  @PostMapping("/queues")
  Mono<ResponseEntity<QueueView>> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody CreateQueueRequest body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                queues.create(
                    instance.tenantId(),
                    serviceId,
                    body.queueName(),
                    settings(body),
                    body.tags() == null ? Map.of() : body.tags()))
        .map(
            created ->
                ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(
                        QueueView.of(
                            created.queue(),
                            sqsPrefix,
                            queues.arn(created.queue()),
                            new QueueStats(0, 0, 0, null))));
  }

  @GetMapping("/queues/{queueName}")
  Mono<QueueView> get(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(
            q -> queues.stats(q).map(stats -> QueueView.of(q, sqsPrefix, queues.arn(q), stats)));
  }

  @GetMapping("/queues/{queueName}/attributes")
  Mono<AttributesView> attributes(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(q -> queues.attributes(q, List.of("All")))
        .map(attributes -> new AttributesView(queueName, attributes));
  }

  @DeleteMapping("/queues/{queueName}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(queues::delete);
  }

  @PostMapping("/queues/{queueName}/purge")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> purge(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(queues::purge);
  }

  private static QueueSettings settings(CreateQueueRequest body) {
    if (body.queueName() == null || body.queueName().isBlank()) {
      throw QueueErrors.missingParameter("queueName");
    }
    String type = body.queueType() == null ? "Standard" : body.queueType();
    boolean fifo;
    if (type.equalsIgnoreCase("Standard")) {
      fifo = false;
    } else if (type.equalsIgnoreCase("FIFO")) {
      fifo = true;
    } else {
      throw QueueErrors.invalidAttributeValue("queueType", "must be Standard or FIFO");
    }
    QueueSettings s = QueueSettings.defaults(fifo);
    if (body.visibilityTimeoutSeconds() != null) {
      s = s.withVisibilityTimeout(body.visibilityTimeoutSeconds());
    }
    if (body.messageRetentionPeriod() != null) {
      s = s.withMessageRetentionPeriod(body.messageRetentionPeriod());
    }
    if (body.delaySeconds() != null) {
      s = s.withDelaySeconds(body.delaySeconds());
    }
    if (body.maximumMessageSize() != null) {
      s = s.withMaximumMessageSize(body.maximumMessageSize());
    }
    if (body.receiveMessageWaitTimeSeconds() != null) {
      s = s.withReceiveMessageWaitTimeSeconds(body.receiveMessageWaitTimeSeconds());
    }
    if (body.contentBasedDeduplication() != null) {
      s = s.withContentBasedDeduplication(body.contentBasedDeduplication());
    }
    if (body.maxReceiveCount() != null || body.deadLetterQueueName() != null) {
      s = s.withRedrive(body.maxReceiveCount(), body.deadLetterQueueName());
    }
    return s;
  }
}
