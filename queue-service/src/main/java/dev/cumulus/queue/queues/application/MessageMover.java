package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.schedule.PeriodicWork;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.domain.MoveTask;
import dev.cumulus.queue.queues.persistence.ArrivalSignals;
import dev.cumulus.queue.queues.persistence.MoveTaskRepository;
import dev.cumulus.queue.queues.persistence.MoveTaskRepository.Moved;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs the message move tasks: every {@code cumulus.queue.move-interval} each replica takes the due
 * tasks one at a time, each in a transaction that locks its row, moves one step's batch (the task's
 * rate, a second apart) and counts it. A replica that stops mid-step rolls the step back; the task
 * goes on from its committed state on any replica.
 */
@Component
public class MessageMover extends PeriodicWork {

  private static final int STEPS_PER_RUN = 100;

  private final MoveTaskRepository tasks;
  private final TransactionalOperator tx;
  private final ArrivalSignals signals;
  private final QueueProperties properties;

  public MessageMover(
      MoveTaskRepository tasks,
      TransactionalOperator tx,
      ArrivalSignals signals,
      QueueProperties properties) {
    super("Moving messages");
    this.tasks = tasks;
    this.tx = tx;
    this.signals = signals;
    this.properties = properties;
  }

  @Override
  protected Duration interval() {
    return properties.moveInterval();
  }

  /** Steps due tasks until none is due (or a run's bound, so a run always ends). */
  @Override
  protected Mono<Long> runOnce() {
    return Mono.defer(this::step).repeat(STEPS_PER_RUN - 1).takeWhile(stepped -> stepped).count();
  }

  /** One step of one due task; false when none is due. */
  private Mono<Boolean> step() {
    return tasks
        .lockDue()
        .flatMap(task -> tasks.moveBatch(task).collectList().flatMap(moved -> record(task, moved)))
        .as(tx::transactional)
        .doOnNext(moved -> moved.forEach(m -> signals.signal(m.queueId())))
        .map(moved -> true)
        .defaultIfEmpty(false);
  }

  /** Counts the step and ends the task once nothing that can move is left. */
  private Mono<List<Moved>> record(MoveTask task, List<Moved> moved) {
    long count = moved.stream().mapToLong(Moved::count).sum();
    return tasks
        .left(task)
        .flatMap(
            left -> {
              String status = MoveTask.RUNNING;
              String reason = null;
              if (left.movable() == 0 && left.all() == 0) {
                status = MoveTask.COMPLETED;
              } else if (left.movable() == 0) {
                status = MoveTask.FAILED;
                reason =
                    left.all()
                        + " messages have no source queue to go back to (sent to the"
                        + " dead-letter queue directly, or their queue was deleted or became"
                        + " FIFO): give a DestinationArn.";
              }
              return tasks.stepped(task, count, status, reason);
            })
        .thenReturn(moved);
  }
}
