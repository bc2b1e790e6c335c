package dev.cumulus.queue.queues.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceAccess;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.queue.queues.application.MessageService;
import dev.cumulus.queue.queues.application.QueueService;
import dev.cumulus.queue.queues.domain.BatchIds;
import dev.cumulus.queue.queues.domain.MessageAttribute;
import dev.cumulus.queue.queues.domain.NewMessage;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.ReceiveOptions;
import dev.cumulus.queue.queues.domain.ReceivedMessage;
import dev.cumulus.queue.queues.domain.SentMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
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

/** Seed 000 "SQS-like Queue Service": messages. */
@RestController
@RequestMapping("/api/queue/{tenantId}/{serviceId}/queues/{queueName}/messages")
public class MessageController {

  private final InstanceAccess access;
  private final QueueService queues;
  private final MessageService messages;

  public MessageController(InstanceAccess access, QueueService queues, MessageService messages) {
    this.access = access;
    this.queues = queues;
    this.messages = messages;
  }

  /** An attribute as the seed writes it: {@code {"stringValue","dataType"}} (or binaryValue). */
  public record AttributeValue(String dataType, String stringValue, String binaryValue) {}

  public record SendMessageRequest(
      String messageBody,
      Integer delaySeconds,
      Map<String, AttributeValue> messageAttributes,
      String messageGroupId,
      String messageDeduplicationId) {}

  public record BatchEntry(
      String id,
      String messageBody,
      Integer delaySeconds,
      Map<String, AttributeValue> messageAttributes,
      String messageGroupId,
      String messageDeduplicationId) {}

  public record SendMessageBatchRequest(List<BatchEntry> entries) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SentView(
      String id,
      String messageId,
      String md5OfMessageBody,
      String md5OfMessageAttributes,
      String sequenceNumber) {

    static SentView of(String id, SentMessage sent) {
      return new SentView(
          id,
          sent.messageId().toString(),
          sent.md5OfBody(),
          sent.md5OfAttributes(),
          sent.sequenceNumber());
    }
  }

  public record FailedView(String id, String code, String message, boolean senderFault) {}

  public record BatchView(List<SentView> successful, List<FailedView> failed) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MessageView(
      String messageId,
      String receiptHandle,
      String messageBody,
      String md5OfMessageBody,
      Map<String, AttributeValue> messageAttributes,
      String messageGroupId,
      String messageDeduplicationId,
      String sequenceNumber,
      int receiveCount,
      Instant sentAt,
      Instant firstReceivedAt) {

    static MessageView of(ReceivedMessage m) {
      Map<String, AttributeValue> attributes = new LinkedHashMap<>();
      m.attributes()
          .forEach(
              (name, a) ->
                  attributes.put(
                      name,
                      new AttributeValue(
                          a.dataType(),
                          a.stringValue(),
                          a.binaryValue() == null
                              ? null
                              : Base64.getEncoder().encodeToString(a.binaryValue()))));
      return new MessageView(
          m.messageId().toString(),
          m.receiptHandle(),
          m.body(),
          m.md5OfBody(),
          attributes,
          m.groupId(),
          m.groupId() == null ? null : m.deduplicationId(),
          m.groupId() == null ? null : m.sequenceNumber(),
          m.receiveCount(),
          m.sentAt(),
          m.firstReceivedAt());
    }
  }

  public record MessageList(List<MessageView> messages, int count) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<SentView> send(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody SendMessageRequest body) {
    return queue(tenantId, serviceId, queueName)
        .flatMap(
            q ->
                sender()
                    .flatMap(
                        sender ->
                            messages.send(
                                q,
                                new NewMessage(
                                    body.messageBody(),
                                    body.delaySeconds(),
                                    attributes(body.messageAttributes()),
                                    body.messageGroupId(),
                                    body.messageDeduplicationId()),
                                sender)))
        .map(sent -> SentView.of(null, sent));
  }

  @PostMapping("/batch")
  Mono<BatchView> sendBatch(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody SendMessageBatchRequest body) {
    List<BatchEntry> entries = body.entries() == null ? List.of() : body.entries();
    checkBatch(entries);
    return queue(tenantId, serviceId, queueName)
        .zipWith(sender())
        .flatMap(
            qs ->
                messages
                    .sendBatch(
                        qs.getT1(),
                        entries.stream()
                            .<Supplier<NewMessage>>map(entry -> () -> message(entry))
                            .toList(),
                        qs.getT2())
                    .map(outcomes -> batchView(entries, outcomes)));
  }

  private static BatchView batchView(
      List<BatchEntry> entries, List<MessageService.Outcome> outcomes) {
    List<SentView> successful = new ArrayList<>();
    List<FailedView> failed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      MessageService.Outcome outcome = outcomes.get(i);
      String id = entries.get(i).id();
      if (outcome.sent() != null) {
        successful.add(SentView.of(id, outcome.sent()));
      } else {
        ApiException e = outcome.refused();
        failed.add(
            new FailedView(
                id,
                e.code() == null ? "InvalidParameterValue" : e.code(),
                e.getMessage(),
                e.kind().defaultStatus().is4xxClientError()));
      }
    }
    return new BatchView(successful, failed);
  }

  private static NewMessage message(BatchEntry entry) {
    return new NewMessage(
        entry.messageBody(),
        entry.delaySeconds(),
        attributes(entry.messageAttributes()),
        entry.messageGroupId(),
        entry.messageDeduplicationId());
  }

  @GetMapping
  Mono<MessageList> receive(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestParam(required = false) Integer maxNumberOfMessages,
      @RequestParam(required = false) Integer visibilityTimeoutSeconds,
      @RequestParam(required = false) Integer waitTimeSeconds) {
    ReceiveOptions options =
        new ReceiveOptions(
            maxNumberOfMessages == null ? 1 : maxNumberOfMessages,
            visibilityTimeoutSeconds,
            waitTimeSeconds);
    return queue(tenantId, serviceId, queueName)
        .flatMap(q -> messages.receive(q, options))
        .map(
            received -> {
              List<MessageView> views = received.stream().map(MessageView::of).toList();
              return new MessageList(views, views.size());
            });
  }

  @DeleteMapping("/{receiptHandle}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @PathVariable String receiptHandle) {
    return queue(tenantId, serviceId, queueName)
        .flatMap(q -> messages.delete(q, receiptHandle))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.<Void>empty()
                    : Mono.error(
                        QueueErrors.of(
                            ErrorKind.NOT_FOUND,
                            "ReceiptHandleIsInvalid",
                            "No message in flight has this receipt handle: it was deleted, or"
                                + " received again since (only the latest handle deletes).")));
  }

  private Mono<Queue> queue(String tenantId, String serviceId, String queueName) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName));
  }

  /** SenderId as SQS shows it: here the caller's user (or API key) id. */
  private static Mono<String> sender() {
    return CumulusPrincipal.current()
        .map(p -> p.isApiKey() ? p.apiKeyId() : p.subject())
        .defaultIfEmpty("anonymous");
  }

  private static void checkBatch(List<BatchEntry> entries) {
    BatchIds.check(entries.stream().map(e -> e == null ? null : e.id()).toList());
  }

  private static Map<String, MessageAttribute> attributes(Map<String, AttributeValue> values) {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    if (values == null) {
      return attributes;
    }
    values.forEach(
        (name, v) -> {
          if (v == null) {
            throw QueueErrors.invalidParameter("The message attribute '" + name + "' is empty.");
          }
          byte[] binary;
          try {
            binary = v.binaryValue() == null ? null : Base64.getDecoder().decode(v.binaryValue());
          } catch (IllegalArgumentException e) {
            throw QueueErrors.invalidParameter(
                "The binaryValue of message attribute '" + name + "' is not base64.");
          }
          attributes.put(name, new MessageAttribute(v.dataType(), v.stringValue(), binary));
        });
    return attributes;
  }
}
