package dev.cumulus.queue.queues.web;

import dev.cumulus.platform.security.InternalSecret;
import dev.cumulus.queue.queues.application.MessageService;
import dev.cumulus.queue.queues.application.QueueService;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.ReceiveOptions;
import dev.cumulus.queue.queues.domain.ReceivedMessage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Receive, delete and hide messages on a tenant's behalf, for function-service's event source
 * mappings (issue 27): the poller Lambda runs against SQS. {@code X-Cumulus-Internal-Secret} is its
 * credential; every call names the tenant, and a queue of an instance of another tenant does not
 * exist for it. Receives long-poll and dead-letter exactly as the SQS and seed receives do.
 */
@RestController
@Tag(name = "Internal", description = "Used by function-service")
@RequestMapping("/internal/queue/{tenantId}/{serviceId}/queues/{queueName}")
public class InternalMessageController {

  private final InternalSecret secret;
  private final QueueService queues;
  private final MessageService messages;

  public InternalMessageController(
      InternalSecret secret, QueueService queues, MessageService messages) {
    this.secret = secret;
    this.queues = queues;
    this.messages = messages;
  }

  /** What a receive asks for (null: the queue's own visibility timeout and wait time). */
  public record ReceiveRequest(
      Integer maxMessages, Integer visibilityTimeout, Integer waitTimeSeconds) {}

  /**
   * A message as Lambda's SQS event record carries it (without the fields the poller adds: {@code
   * eventSource}, {@code eventSourceARN}, {@code awsRegion}).
   */
  public record MessageRecord(
      String messageId,
      String receiptHandle,
      String body,
      Map<String, String> attributes,
      Map<String, Map<String, Object>> messageAttributes,
      String md5OfBody) {}

  public record Received(List<MessageRecord> messages, int visibilityTimeout) {}

  public record Handles(List<String> receiptHandles, Integer visibilityTimeout) {}

  /** A handle that was not acted on, and why (malformed, of another queue, not in flight). */
  public record Failure(String receiptHandle, String message) {}

  /** The handles not acted on; the others were. */
  public record HandleOutcomes(List<Failure> failed) {}

  /** What a poller needs to know of a queue. */
  public record QueueView(String queueName, boolean fifo, int visibilityTimeout) {}

  @GetMapping
  @Operation(summary = "The queue's type and visibility timeout (Lambda checks it at create)")
  public Mono<QueueView> describe(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName) {
    return secret.require(
        presented,
        null,
        queue(tenantId, serviceId, queueName)
            .map(q -> new QueueView(q.name(), q.fifo(), q.settings().visibilityTimeout())));
  }

  @PostMapping("/receive")
  @Operation(summary = "Receive up to 10 messages (long polling), as ReceiveMessage")
  public Mono<Received> receive(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody Mono<ReceiveRequest> body) {
    return onQueue(
        presented,
        tenantId,
        serviceId,
        queueName,
        body,
        (q, r) -> {
          ReceiveOptions options =
              new ReceiveOptions(
                  r.maxMessages() == null ? 10 : r.maxMessages(),
                  r.visibilityTimeout(),
                  r.waitTimeSeconds());
          int visibilityTimeout =
              options.visibilityTimeout() == null
                  ? q.settings().visibilityTimeout()
                  : options.visibilityTimeout();
          return messages
              .receive(q, options)
              .map(
                  list ->
                      new Received(
                          list.stream().map(InternalMessageController::record).toList(),
                          visibilityTimeout));
        });
  }

  @PostMapping("/delete")
  @Operation(summary = "Delete received messages by receipt handle, as DeleteMessageBatch")
  public Mono<HandleOutcomes> delete(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody Mono<Handles> body) {
    return onQueue(
        presented,
        tenantId,
        serviceId,
        queueName,
        body,
        (q, h) ->
            messages
                .deleteBatch(q, handles(h))
                .map(
                    outcomes -> {
                      List<Failure> failed = new ArrayList<>();
                      for (int i = 0; i < outcomes.size(); i++) {
                        String handle = h.receiptHandles().get(i);
                        outcomes
                            .get(i)
                            .ifPresent(e -> failed.add(new Failure(handle, e.getMessage())));
                      }
                      return new HandleOutcomes(failed);
                    }));
  }

  @PostMapping("/visibility")
  @Operation(summary = "Change how long received messages stay hidden (0: visible now)")
  public Mono<HandleOutcomes> visibility(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody Mono<Handles> body) {
    return onQueue(
        presented,
        tenantId,
        serviceId,
        queueName,
        body,
        (q, h) -> {
          if (h.visibilityTimeout() == null) {
            return Mono.error(QueueErrors.missingParameter("visibilityTimeout"));
          }
          return Flux.fromIterable(handles(h))
              .concatMap(
                  handle ->
                      messages
                          .changeVisibility(q, handle, h.visibilityTimeout())
                          .then(Mono.<Failure>empty())
                          .onErrorResume(e -> Mono.just(new Failure(handle, e.getMessage()))))
              .collectList()
              .map(HandleOutcomes::new);
        });
  }

  /**
   * {@code action} on the tenant's queue with the request body, once the secret checks out. An
   * empty body never gets here: a required {@code @RequestBody Mono} errors when empty, which the
   * platform renders as the seed's 400 (QueueSeedIT pins it).
   */
  private <B, R> Mono<R> onQueue(
      String presented,
      String tenantId,
      String serviceId,
      String queueName,
      Mono<B> body,
      BiFunction<Queue, B, Mono<R>> action) {
    return secret.require(
        presented,
        body,
        body.flatMap(b -> queue(tenantId, serviceId, queueName).flatMap(q -> action.apply(q, b))));
  }

  /** The queue, when the instance is the tenant's; another tenant's does not exist. */
  private Mono<Queue> queue(String tenantId, String serviceId, String queueName) {
    return queues
        .cached(serviceId, queueName)
        .filter(q -> q.tenantId().equals(tenantId))
        .switchIfEmpty(Mono.error(() -> QueueErrors.queueDoesNotExist(queueName)));
  }

  private static List<String> handles(Handles h) {
    List<String> handles = h.receiptHandles() == null ? List.of() : h.receiptHandles();
    if (handles.isEmpty() || handles.size() > 10) {
      throw QueueErrors.invalidParameter("receiptHandles must name 1 to 10 messages");
    }
    return handles;
  }

  private static MessageRecord record(ReceivedMessage m) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
    attributes.put("SentTimestamp", Long.toString(m.sentAt().toEpochMilli()));
    attributes.put("SenderId", m.senderId());
    attributes.put(
        "ApproximateFirstReceiveTimestamp",
        Long.toString(
            (m.firstReceivedAt() == null ? m.sentAt() : m.firstReceivedAt()).toEpochMilli()));
    if (m.groupId() != null) {
      attributes.put("SequenceNumber", m.sequenceNumber());
      attributes.put("MessageGroupId", m.groupId());
      attributes.put("MessageDeduplicationId", m.deduplicationId());
    }
    Map<String, Map<String, Object>> messageAttributes = new LinkedHashMap<>();
    m.attributes()
        .forEach(
            (name, a) -> {
              // Lambda's shape: both values, null for the one the type does not use.
              Map<String, Object> value = new LinkedHashMap<>();
              value.put("stringValue", a.binary() ? null : a.stringValue());
              value.put(
                  "binaryValue",
                  a.binary() ? Base64.getEncoder().encodeToString(a.binaryValue()) : null);
              value.put("stringListValues", List.of());
              value.put("binaryListValues", List.of());
              value.put("dataType", a.dataType());
              messageAttributes.put(name, value);
            });
    return new MessageRecord(
        m.messageId().toString(),
        m.receiptHandle(),
        m.body(),
        attributes,
        messageAttributes,
        m.md5OfBody());
  }
}
