package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.queue.queues.application.QueueService;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueAttributes;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.QueueSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The operation table of the SQS protocol: queue operations here, message operations in {@link
 * SqsMessageOperations}. Each takes the verified call and answers the output shape as a map.
 */
public class SqsOperations {

  private static final int MAX_LIST = 1000;

  private final QueueService queues;
  private final Map<String, Function<SqsCall, Mono<?>>> table = new LinkedHashMap<>();

  SqsOperations(
      QueueService queues, SqsMessageOperations messages, SqsMoveTaskOperations moveTasks) {
    this.queues = queues;
    table.put("CreateQueue", this::createQueue);
    table.put("GetQueueUrl", this::getQueueUrl);
    table.put("ListQueues", this::listQueues);
    table.put("GetQueueAttributes", this::getQueueAttributes);
    table.put("SetQueueAttributes", this::setQueueAttributes);
    table.put("DeleteQueue", call -> queue(call).flatMap(queues::delete).then(empty()));
    table.put("PurgeQueue", call -> queue(call).flatMap(queues::purge).then(empty()));
    table.put(
        "TagQueue",
        call -> queue(call).flatMap(q -> queues.tag(q, call.stringMap("Tags"))).then(empty()));
    table.put(
        "UntagQueue",
        call -> queue(call).flatMap(q -> queues.untag(q, call.strings("TagKeys"))).then(empty()));
    table.put("ListQueueTags", call -> queue(call).map(q -> Map.of("Tags", q.tags())));
    table.put("SendMessage", call -> messageQueue(call).flatMap(q -> messages.send(q, call)));
    table.put(
        "SendMessageBatch", call -> messageQueue(call).flatMap(q -> messages.sendBatch(q, call)));
    table.put("ReceiveMessage", call -> messageQueue(call).flatMap(q -> messages.receive(q, call)));
    table.put("DeleteMessage", call -> messageQueue(call).flatMap(q -> messages.delete(q, call)));
    table.put(
        "DeleteMessageBatch",
        call -> messageQueue(call).flatMap(q -> messages.deleteBatch(q, call)));
    table.put(
        "ChangeMessageVisibility",
        call -> messageQueue(call).flatMap(q -> messages.changeVisibility(q, call)));
    table.put(
        "ChangeMessageVisibilityBatch",
        call -> messageQueue(call).flatMap(q -> messages.changeVisibilityBatch(q, call)));
    table.put("StartMessageMoveTask", moveTasks::start);
    table.put("ListMessageMoveTasks", moveTasks::list);
    table.put("CancelMessageMoveTask", moveTasks::cancel);
  }

  @SuppressWarnings("unchecked")
  Mono<Object> run(String operation, SqsCall call) {
    Function<SqsCall, Mono<?>> handler = table.get(operation);
    if (handler == null) {
      return Mono.error(
          QueueErrors.of(
              ErrorKind.BAD_REQUEST,
              "InvalidAction",
              "The action " + operation + " is not valid for this endpoint."));
    }
    return Mono.defer(() -> (Mono<Object>) handler.apply(call));
  }

  private Mono<Queue> queue(SqsCall call) {
    return Mono.fromCallable(call::queueName)
        .flatMap(name -> queues.require(call.serviceId(), name));
  }

  /** The queue of a message operation: from the replica's short-lived cache. */
  private Mono<Queue> messageQueue(SqsCall call) {
    return Mono.fromCallable(call::queueName)
        .flatMap(name -> queues.cached(call.serviceId(), name));
  }

  private static Mono<Map<String, Object>> empty() {
    return Mono.just(Map.of());
  }

  private Mono<?> createQueue(SqsCall call) {
    String name = call.requiredString("QueueName");
    Map<String, String> attributes = call.stringMap("Attributes");
    boolean fifo = QueueAttributes.fifo(attributes);
    QueueSettings settings =
        QueueAttributes.apply(QueueSettings.defaults(fifo), attributes, call.serviceId());
    return queues
        .create(call.tenantId(), call.serviceId(), name, settings, call.stringMap("tags"))
        .map(created -> Map.of("QueueUrl", call.queueUrl(created.queue().name())));
  }

  private Mono<?> getQueueUrl(SqsCall call) {
    String name = call.requiredString("QueueName");
    return queues
        .require(call.serviceId(), name)
        .map(q -> Map.of("QueueUrl", call.queueUrl(q.name())));
  }

  /** Paged by name: NextToken is the last name of the page. */
  private Mono<?> listQueues(SqsCall call) {
    Integer max = call.integer("MaxResults");
    if (max != null && (max < 1 || max > MAX_LIST)) {
      return Mono.error(
          QueueErrors.invalidParameter(
              "Value "
                  + max
                  + " for parameter MaxResults is invalid. Reason: must be between 1"
                  + " and 1000."));
    }
    int limit = max == null ? MAX_LIST : max;
    String after = call.string("NextToken");
    return queues
        .list(call.serviceId(), call.string("QueueNamePrefix"), after, limit + 1)
        .map(
            page -> {
              Map<String, Object> output = new LinkedHashMap<>();
              List<Queue> shown = page.size() > limit ? page.subList(0, limit) : page;
              output.put("QueueUrls", shown.stream().map(q -> call.queueUrl(q.name())).toList());
              if (page.size() > limit && max != null) {
                output.put("NextToken", shown.get(shown.size() - 1).name());
              }
              return output;
            });
  }

  private Mono<?> getQueueAttributes(SqsCall call) {
    List<String> names = call.strings("AttributeNames");
    return queue(call)
        .flatMap(q -> queues.attributes(q, names.isEmpty() ? List.of() : names))
        .map(attributes -> Map.of("Attributes", attributes));
  }

  private Mono<?> setQueueAttributes(SqsCall call) {
    Map<String, String> attributes = call.stringMap("Attributes");
    return queue(call).flatMap(q -> queues.configure(q, attributes)).then(empty());
  }
}
