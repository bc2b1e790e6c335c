package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.queue.queues.application.MessageService;
import dev.cumulus.queue.queues.domain.BatchIds;
import dev.cumulus.queue.queues.domain.MessageAttribute;
import dev.cumulus.queue.queues.domain.MessageDigests;
import dev.cumulus.queue.queues.domain.NewMessage;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.QueueSettings;
import dev.cumulus.queue.queues.domain.ReceiveOptions;
import dev.cumulus.queue.queues.domain.ReceivedMessage;
import dev.cumulus.queue.queues.domain.SentMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** SQS's message operations, mapped between the JSON shapes and {@link MessageService}. */
public class SqsMessageOperations {

  /** System attributes ReceiveMessage can return, as named in AttributeNames. */
  private static final List<String> SYSTEM_ATTRIBUTES =
      List.of(
          "SenderId",
          "SentTimestamp",
          "ApproximateReceiveCount",
          "ApproximateFirstReceiveTimestamp",
          "SequenceNumber",
          "MessageDeduplicationId",
          "MessageGroupId",
          "DeadLetterQueueSourceArn");

  private final MessageService messages;

  public SqsMessageOperations(MessageService messages) {
    this.messages = messages;
  }

  Mono<Map<String, Object>> send(Queue queue, SqsCall call) {
    return messages
        .send(queue, message(call.input()), call.accessKeyId())
        .map(sent -> sent(sent, null));
  }

  Mono<Map<String, Object>> sendBatch(Queue queue, SqsCall call) {
    List<JsonNode> entries = call.entries();
    BatchIds.check(entries.stream().map(e -> e.path("Id").asString(null)).toList());
    long total =
        entries.stream()
            .mapToLong(
                e -> e.path("MessageBody").asString("").getBytes(StandardCharsets.UTF_8).length)
            .sum();
    if (total > QueueSettings.MAX_MESSAGE_SIZE) {
      return Mono.error(
          QueueErrors.of(
              ErrorKind.BAD_REQUEST,
              "BatchRequestTooLong",
              "Batch requests cannot be longer than "
                  + QueueSettings.MAX_MESSAGE_SIZE
                  + " bytes. You have sent "
                  + total
                  + " bytes."));
    }
    return messages
        .sendBatch(
            queue,
            entries.stream().<Supplier<NewMessage>>map(entry -> () -> message(entry)).toList(),
            call.accessKeyId())
        .map(
            outcomes -> {
              List<Object> successful = new ArrayList<>();
              List<Object> failed = new ArrayList<>();
              for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).path("Id").asString();
                MessageService.Outcome outcome = outcomes.get(i);
                if (outcome.sent() != null) {
                  successful.add(sent(outcome.sent(), id));
                } else {
                  failed.add(failure(id, outcome.refused()));
                }
              }
              return output(successful, failed);
            });
  }

  Mono<Map<String, Object>> receive(Queue queue, SqsCall call) {
    Integer max = call.integer("MaxNumberOfMessages");
    ReceiveOptions options =
        new ReceiveOptions(
            max == null ? 1 : max,
            call.integer("VisibilityTimeout"),
            call.integer("WaitTimeSeconds"));
    Set<String> system = new LinkedHashSet<>(call.strings("AttributeNames"));
    system.addAll(call.strings("MessageSystemAttributeNames"));
    List<String> attributeNames = call.strings("MessageAttributeNames");
    return messages
        .receive(queue, options)
        .map(
            received -> {
              List<Map<String, Object>> output = new ArrayList<>();
              received.forEach(m -> output.add(received(m, system, attributeNames)));
              return Map.of("Messages", output);
            });
  }

  Mono<Map<String, Object>> delete(Queue queue, SqsCall call) {
    return messages.delete(queue, call.requiredString("ReceiptHandle")).thenReturn(Map.of());
  }

  Mono<Map<String, Object>> deleteBatch(Queue queue, SqsCall call) {
    List<JsonNode> entries = call.entries();
    BatchIds.check(entries.stream().map(e -> e.path("Id").asString(null)).toList());
    return messages
        .deleteBatch(
            queue, entries.stream().map(e -> e.path("ReceiptHandle").asString(null)).toList())
        .map(
            outcomes -> {
              List<Object> successful = new ArrayList<>();
              List<Object> failed = new ArrayList<>();
              for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).path("Id").asString();
                outcomes
                    .get(i)
                    .ifPresentOrElse(
                        refused -> failed.add(failure(id, refused)),
                        () -> successful.add(Map.of("Id", id)));
              }
              return output(successful, failed);
            });
  }

  Mono<Map<String, Object>> changeVisibility(Queue queue, SqsCall call) {
    Integer seconds = call.integer("VisibilityTimeout");
    if (seconds == null) {
      return Mono.error(QueueErrors.missingParameter("VisibilityTimeout"));
    }
    return messages
        .changeVisibility(queue, call.requiredString("ReceiptHandle"), seconds)
        .thenReturn(Map.of());
  }

  Mono<Map<String, Object>> changeVisibilityBatch(Queue queue, SqsCall call) {
    List<JsonNode> entries = call.entries();
    BatchIds.check(entries.stream().map(e -> e.path("Id").asString(null)).toList());
    return batch(
        entries,
        entry ->
            Mono.defer(
                    () -> {
                      Integer seconds = SqsCall.integer(entry, "VisibilityTimeout");
                      return messages.changeVisibility(
                          queue,
                          entry.path("ReceiptHandle").asString(null),
                          seconds == null ? 0 : seconds);
                    })
                .thenReturn(Map.of("Id", entry.path("Id").asString())));
  }

  /** Runs every entry; each succeeds or fails on its own, as SQS's batches do. */
  private static Mono<Map<String, Object>> batch(
      List<JsonNode> entries, Function<JsonNode, Mono<Map<String, Object>>> each) {
    List<Object> successful = new ArrayList<>();
    List<Object> failed = new ArrayList<>();
    return Flux.fromIterable(entries)
        .concatMap(
            entry ->
                each.apply(entry)
                    .doOnNext(successful::add)
                    .onErrorResume(
                        ApiException.class,
                        e -> {
                          failed.add(failure(entry.path("Id").asString(), e));
                          return Mono.empty();
                        }))
        .then(Mono.fromSupplier(() -> output(successful, failed)));
  }

  private static Map<String, Object> failure(String id, ApiException e) {
    String code = SqsErrors.code(e);
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("Id", id);
    failure.put("SenderFault", SqsErrors.wire(code, e.kind()).sender());
    failure.put("Code", code);
    failure.put("Message", e.getMessage());
    return failure;
  }

  private static Map<String, Object> output(List<Object> successful, List<Object> failed) {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("Successful", successful);
    output.put("Failed", failed);
    return output;
  }

  private static NewMessage message(JsonNode input) {
    JsonNode body = input.get("MessageBody");
    if (body != null && !body.isNull() && !body.isString()) {
      throw QueueErrors.invalidParameter("Value for parameter MessageBody must be a string.");
    }
    return new NewMessage(
        body == null || body.isNull() ? null : body.asString(),
        SqsCall.integer(input, "DelaySeconds"),
        attributes(input.get("MessageAttributes")),
        input.path("MessageGroupId").asString(null),
        input.path("MessageDeduplicationId").asString(null));
  }

  private static Map<String, MessageAttribute> attributes(JsonNode node) {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return attributes;
    }
    if (!node.isObject()) {
      throw QueueErrors.invalidParameter("MessageAttributes must be a map.");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode value = e.getValue();
      String binary = value.path("BinaryValue").asString(null);
      byte[] bytes;
      try {
        bytes = binary == null ? null : Base64.getDecoder().decode(binary);
      } catch (IllegalArgumentException invalid) {
        throw QueueErrors.invalidParameter(
            "The BinaryValue of message attribute '" + e.getKey() + "' is not base64.");
      }
      attributes.put(
          e.getKey(),
          new MessageAttribute(
              value.path("DataType").asString(null),
              value.path("StringValue").asString(null),
              bytes));
    }
    return attributes;
  }

  private static Map<String, Object> sent(SentMessage sent, String id) {
    Map<String, Object> output = new LinkedHashMap<>();
    if (id != null) {
      output.put("Id", id);
    }
    output.put("MessageId", sent.messageId().toString());
    output.put("MD5OfMessageBody", sent.md5OfBody());
    if (sent.md5OfAttributes() != null) {
      output.put("MD5OfMessageAttributes", sent.md5OfAttributes());
    }
    if (sent.sequenceNumber() != null) {
      output.put("SequenceNumber", sent.sequenceNumber());
    }
    return output;
  }

  private static Map<String, Object> received(
      ReceivedMessage m, Set<String> systemNames, List<String> attributeNames) {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("MessageId", m.messageId().toString());
    output.put("ReceiptHandle", m.receiptHandle());
    output.put("MD5OfBody", m.md5OfBody());
    output.put("Body", m.body());
    Map<String, String> system = system(m, systemNames);
    if (!system.isEmpty()) {
      output.put("Attributes", system);
    }
    Map<String, MessageAttribute> selected = select(m.attributes(), attributeNames);
    if (!selected.isEmpty()) {
      output.put("MD5OfMessageAttributes", MessageDigests.ofAttributes(selected));
      Map<String, Object> attributes = new LinkedHashMap<>();
      selected.forEach(
          (name, a) -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("DataType", a.dataType());
            if (a.binary()) {
              value.put("BinaryValue", Base64.getEncoder().encodeToString(a.binaryValue()));
            } else {
              value.put("StringValue", a.stringValue());
            }
            attributes.put(name, value);
          });
      output.put("MessageAttributes", attributes);
    }
    return output;
  }

  private static Map<String, String> system(ReceivedMessage m, Set<String> names) {
    boolean all = names.contains("All");
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : SYSTEM_ATTRIBUTES) {
      if (!all && !names.contains(name)) {
        continue;
      }
      String value =
          switch (name) {
            case "SenderId" -> m.senderId();
            case "SentTimestamp" -> Long.toString(m.sentAt().toEpochMilli());
            case "ApproximateReceiveCount" -> Integer.toString(m.receiveCount());
            case "ApproximateFirstReceiveTimestamp" ->
                m.firstReceivedAt() == null
                    ? null
                    : Long.toString(m.firstReceivedAt().toEpochMilli());
            case "SequenceNumber" -> m.groupId() == null ? null : m.sequenceNumber();
            case "MessageDeduplicationId" -> m.groupId() == null ? null : m.deduplicationId();
            case "MessageGroupId" -> m.groupId();
            case "DeadLetterQueueSourceArn" -> m.deadLetterSourceArn();
            default -> null;
          };
      if (value != null) {
        values.put(name, value);
      }
    }
    return values;
  }

  /** MessageAttributeNames: names, {@code All} or {@code .*}, or {@code prefix.*}. */
  private static Map<String, MessageAttribute> select(
      Map<String, MessageAttribute> attributes, List<String> names) {
    Map<String, MessageAttribute> selected = new LinkedHashMap<>();
    attributes.forEach(
        (name, value) -> {
          for (String wanted : names) {
            boolean match =
                wanted.equals("All")
                    || wanted.equals(".*")
                    || wanted.equals(name)
                    || (wanted.endsWith(".*")
                        && name.startsWith(wanted.substring(0, wanted.length() - 1)));
            if (match) {
              selected.put(name, value);
              return;
            }
          }
        });
    return selected;
  }
}
