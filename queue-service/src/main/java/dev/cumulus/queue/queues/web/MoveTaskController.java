package dev.cumulus.queue.queues.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.platform.instance.InstanceAccess;
import dev.cumulus.queue.queues.application.MoveTaskService;
import dev.cumulus.queue.queues.application.QueueService;
import dev.cumulus.queue.queues.domain.MoveTask;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Message move tasks of a dead-letter queue on the seed's REST API (beyond the seed): the redrive
 * of SQS's StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask, by queue name.
 */
@RestController
@RequestMapping("/api/queue/{tenantId}/{serviceId}/queues/{queueName}/move-tasks")
public class MoveTaskController {

  private final InstanceAccess access;
  private final QueueService queues;
  private final MoveTaskService tasks;

  public MoveTaskController(InstanceAccess access, QueueService queues, MoveTaskService tasks) {
    this.access = access;
    this.queues = queues;
    this.tasks = tasks;
  }

  /** No destination: each message goes back to the queue it was dead-lettered from. */
  public record StartRequest(String destinationQueueName, Integer maxNumberOfMessagesPerSecond) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TaskView(
      String taskHandle,
      String status,
      String sourceArn,
      String destinationArn,
      Integer maxNumberOfMessagesPerSecond,
      long approximateNumberOfMessagesMoved,
      long approximateNumberOfMessagesToMove,
      String failureReason,
      Instant startedAt) {

    static TaskView of(MoveTask t) {
      return new TaskView(
          t.handle(),
          t.status(),
          t.sourceArn(),
          t.destinationArn(),
          t.maxPerSecond(),
          t.moved(),
          t.toMove(),
          t.failureReason(),
          t.startedAt());
    }
  }

  public record TaskList(List<TaskView> tasks, int count) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<TaskView> start(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestBody(required = false) StartRequest body) {
    StartRequest request = body == null ? new StartRequest(null, null) : body;
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(
            source ->
                request.destinationQueueName() == null
                    ? tasks.start(source, null, request.maxNumberOfMessagesPerSecond())
                    : queues
                        .require(serviceId, request.destinationQueueName())
                        .flatMap(
                            to -> tasks.start(source, to, request.maxNumberOfMessagesPerSecond())))
        .map(TaskView::of);
  }

  /** The queue's most recent tasks, newest first ({@code maxResults} 1-10, default 10). */
  @GetMapping
  Mono<TaskList> list(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @RequestParam(defaultValue = "10") int maxResults) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(source -> tasks.list(source, maxResults))
        .map(list -> new TaskList(list.stream().map(TaskView::of).toList(), list.size()));
  }

  @PostMapping("/{taskHandle}/cancel")
  Mono<TaskView> cancel(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String queueName,
      @PathVariable String taskHandle) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> queues.require(serviceId, queueName))
        .flatMap(source -> tasks.cancel(source, taskHandle))
        .map(TaskView::of);
  }
}
