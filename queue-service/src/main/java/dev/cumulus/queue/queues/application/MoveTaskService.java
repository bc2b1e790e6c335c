package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.queue.queues.domain.MoveTask;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.persistence.MoveTaskRepository;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Message move tasks as SQS has them (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask): a dead-letter queue's messages moved back to where they came from, or to
 * a queue named. {@link MessageMover} does the moving.
 */
@Service
public class MoveTaskService {

  private final MoveTaskRepository tasks;
  private final QueueService queues;

  public MoveTaskService(MoveTaskRepository tasks, QueueService queues) {
    this.tasks = tasks;
    this.queues = queues;
  }

  /**
   * Starts moving the messages {@code source} holds now. The source must be a standard queue some
   * queue of the instance uses as its dead-letter queue; the destination (null: each message's
   * source queue) a standard queue other than the source.
   */
  public Mono<MoveTask> start(Queue source, Queue destination, Integer maxPerSecond) {
    if (maxPerSecond != null && (maxPerSecond < 1 || maxPerSecond > MoveTask.MAX_PER_SECOND)) {
      return Mono.error(
          QueueErrors.invalidParameter(
              "Value "
                  + maxPerSecond
                  + " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be"
                  + " between 1 and 500."));
    }
    if (source.fifo() || (destination != null && destination.fifo())) {
      return Mono.error(unsupported("Message move tasks move between standard queues only."));
    }
    if (destination != null && destination.id().equals(source.id())) {
      return Mono.error(
          QueueErrors.invalidParameter("The source and destination queues must differ."));
    }
    return tasks
        .isDeadLetterQueue(source.serviceId(), source.name())
        .flatMap(
            dlq ->
                dlq
                    ? tasks.start(
                        UUID.randomUUID(),
                        source.serviceId(),
                        source.tenantId(),
                        source.id(),
                        queues.arn(source),
                        destination == null ? null : destination.name(),
                        destination == null ? null : queues.arn(destination),
                        maxPerSecond)
                    : Mono.error(
                        QueueErrors.invalidParameter(
                            "Source queue must be configured as a Dead Letter Queue.")))
        .switchIfEmpty(
            Mono.error(
                () ->
                    unsupported(
                        "There is already a task running. Only one active task is allowed for a"
                            + " source queue at a given time.")));
  }

  /** The source's most recent tasks, newest first: {@code max} 1-10. */
  public Mono<List<MoveTask>> list(Queue source, int max) {
    if (max < 1 || max > 10) {
      return Mono.error(
          QueueErrors.invalidParameter(
              "Value "
                  + max
                  + " for parameter MaxResults is invalid. Reason: must be between 1"
                  + " and 10."));
    }
    return tasks.recent(source.id(), max).collectList();
  }

  /**
   * Cancels a running task of the instance: messages moved stay moved. {@code
   * ResourceNotFoundException} for a handle of no task of the instance, {@code
   * UnsupportedOperation} for a task that is not running.
   */
  public Mono<MoveTask> cancel(String serviceId, String handle) {
    return cancel(
        serviceId,
        null,
        handle,
        () -> notFound("The task handle " + handle + " is not valid."),
        () -> notFound("The task " + handle + " does not exist."));
  }

  /** As {@link #cancel(String, String)}, for a task of this source queue only (the REST path). */
  public Mono<MoveTask> cancel(Queue source, String handle) {
    Supplier<ApiException> missing =
        () -> notFound("The task " + handle + " does not exist for queue " + source.name() + ".");
    return cancel(source.serviceId(), source.id(), handle, missing, missing);
  }

  /** One parse of the handle, one statement: cancelled, or why not. */
  private Mono<MoveTask> cancel(
      String serviceId,
      UUID sourceQueueId,
      String handle,
      Supplier<ApiException> invalid,
      Supplier<ApiException> missing) {
    UUID id;
    try {
      id = UUID.fromString(handle == null ? "" : handle);
    } catch (IllegalArgumentException e) {
      return Mono.error(invalid.get());
    }
    return tasks
        .cancel(serviceId, id, sourceQueueId)
        .switchIfEmpty(Mono.error(missing))
        .flatMap(
            cancel ->
                cancel.stopped()
                    ? Mono.just(cancel.task())
                    : Mono.error(
                        unsupported(
                            "Only a RUNNING task can be cancelled; this one is "
                                + cancel.task().status()
                                + ".")));
  }

  /** The queue an ARN of this instance names; {@code ResourceNotFoundException} otherwise. */
  public Mono<Queue> queueOfArn(String serviceId, String arn, String parameter) {
    String[] parts = arn.split(":", -1);
    if (parts.length != 6
        || !"arn".equals(parts[0])
        || !"sqs".equals(parts[2])
        || !parts[4].equals(serviceId)) {
      return Mono.error(
          notFound("The resource that you specified for the " + parameter + " does not exist."));
    }
    return queues
        .require(serviceId, parts[5])
        .onErrorMap(
            e -> e instanceof ApiException a && "QueueDoesNotExist".equals(a.code()),
            e ->
                notFound(
                    "The resource that you specified for the " + parameter + " does not exist."));
  }

  static ApiException notFound(String message) {
    return QueueErrors.of(ErrorKind.NOT_FOUND, "ResourceNotFoundException", message);
  }

  static ApiException unsupported(String message) {
    return QueueErrors.of(ErrorKind.BAD_REQUEST, "UnsupportedOperation", message);
  }
}
