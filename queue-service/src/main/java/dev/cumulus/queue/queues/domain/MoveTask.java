package dev.cumulus.queue.queues.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A message move task (SQS's StartMessageMoveTask): a dead-letter queue's messages, those there
 * when it started, moved to {@code destinationArn} or (null) back to the queues they came from.
 *
 * @param status RUNNING, COMPLETED, CANCELLED or FAILED (CANCELLING is never seen: a cancel waits
 *     for the step under way and stops the task at once)
 */
public record MoveTask(
    UUID id,
    String serviceId,
    UUID sourceQueueId,
    String sourceArn,
    String destinationName,
    String destinationArn,
    Integer maxPerSecond,
    String status,
    String failureReason,
    long lastSeq,
    long toMove,
    long moved,
    Instant startedAt) {

  public static final String RUNNING = "RUNNING";
  public static final String COMPLETED = "COMPLETED";
  public static final String CANCELLED = "CANCELLED";
  public static final String FAILED = "FAILED";

  /** The most messages one step (one second) moves when the task names no rate; SQS's maximum. */
  public static final int MAX_PER_SECOND = 500;

  /** SQS's TaskHandle: the task id (a handle of another instance's task finds nothing). */
  public String handle() {
    return id.toString();
  }

  /** How many messages a step moves: the asked rate, per one-second step. */
  public int batch() {
    return maxPerSecond == null ? MAX_PER_SECOND : maxPerSecond;
  }
}
