package dev.cumulus.queue.sqs.web;

import dev.cumulus.queue.queues.application.MoveTaskService;
import dev.cumulus.queue.queues.domain.MoveTask;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/** StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask of the SQS protocol. */
class SqsMoveTaskOperations {

  private final MoveTaskService tasks;

  SqsMoveTaskOperations(MoveTaskService tasks) {
    this.tasks = tasks;
  }

  Mono<?> start(SqsCall call) {
    String source = call.requiredString("SourceArn");
    String destination = call.string("DestinationArn");
    Integer rate = call.integer("MaxNumberOfMessagesPerSecond");
    return tasks
        .queueOfArn(call.serviceId(), source, "SourceArn")
        .flatMap(
            from ->
                destination == null
                    ? tasks.start(from, null, rate)
                    : tasks
                        .queueOfArn(call.serviceId(), destination, "DestinationArn")
                        .flatMap(to -> tasks.start(from, to, rate)))
        .map(task -> Map.of("TaskHandle", task.handle()));
  }

  Mono<?> list(SqsCall call) {
    String source = call.requiredString("SourceArn");
    Integer max = call.integer("MaxResults");
    return tasks
        .queueOfArn(call.serviceId(), source, "SourceArn")
        .flatMap(queue -> tasks.list(queue, max == null ? 1 : max))
        .map(list -> Map.of("Results", list.stream().map(SqsMoveTaskOperations::entry).toList()));
  }

  Mono<?> cancel(SqsCall call) {
    return tasks
        .cancel(call.serviceId(), call.requiredString("TaskHandle"))
        .map(task -> Map.of("ApproximateNumberOfMessagesMoved", task.moved()));
  }

  /** ListMessageMoveTasksResultEntry: the handle only while the task runs, as SQS. */
  private static Map<String, Object> entry(MoveTask task) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (MoveTask.RUNNING.equals(task.status())) {
      entry.put("TaskHandle", task.handle());
    }
    entry.put("Status", task.status());
    entry.put("SourceArn", task.sourceArn());
    if (task.destinationArn() != null) {
      entry.put("DestinationArn", task.destinationArn());
    }
    if (task.maxPerSecond() != null) {
      entry.put("MaxNumberOfMessagesPerSecond", task.maxPerSecond());
    }
    entry.put("ApproximateNumberOfMessagesMoved", task.moved());
    entry.put("ApproximateNumberOfMessagesToMove", task.toMove());
    if (task.failureReason() != null) {
      entry.put("FailureReason", task.failureReason());
    }
    entry.put("StartedTimestamp", task.startedAt().toEpochMilli());
    return entry;
  }
}
