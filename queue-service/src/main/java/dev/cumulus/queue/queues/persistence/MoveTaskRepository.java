package dev.cumulus.queue.queues.persistence;

import dev.cumulus.platform.db.Rows;
import dev.cumulus.queue.queues.domain.MoveTask;
import io.r2dbc.spi.Readable;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code queue_move_tasks} table and the moves themselves. A step runs in one transaction: it
 * locks the task's row ({@code SKIP LOCKED}: one replica at a time), moves a batch (DELETE from the
 * source and INSERT into the destination in one statement) and counts it, so a batch is either
 * moved and counted or neither, whenever a replica stops.
 */
@Repository
public class MoveTaskRepository {

  /**
   * Where a source message goes: the task's destination, else the queue named by its {@code
   * dead_letter_from} ARN ({@code arn:aws:sqs:<region>:<serviceId>:<name>}) in the same instance. A
   * message without one (sent to the dead-letter queue directly) has nowhere to go.
   */
  private static final String TARGET =
      " JOIN queues q ON q.service_id = :service AND NOT q.fifo AND q.id <> m.queue_id"
          + " AND q.name = coalesce(:destination, CASE WHEN split_part(m.dead_letter_from, ':', 5)"
          + " = :service THEN split_part(m.dead_letter_from, ':', 6) END)";

  private final DatabaseClient db;

  public MoveTaskRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Whether any queue of the instance names this one as its dead-letter queue. */
  public Mono<Boolean> isDeadLetterQueue(String serviceId, String name) {
    return db.sql(
            "SELECT EXISTS (SELECT 1 FROM queues WHERE service_id = :service"
                + " AND dead_letter_queue = :name)")
        .bind("service", serviceId)
        .bind("name", name)
        .map(r -> r.get(0, Boolean.class))
        .one();
  }

  /**
   * Inserts a RUNNING task over the source's messages as they are now; empty when the source
   * already has an active task (the partial unique index decides, race-free).
   */
  public Mono<MoveTask> start(
      UUID id,
      String serviceId,
      String tenantId,
      UUID sourceQueueId,
      String sourceArn,
      String destinationName,
      String destinationArn,
      Integer maxPerSecond) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO queue_move_tasks (id, service_id, tenant_id, source_queue_id,"
                    + " source_arn, destination_name, destination_arn, max_per_second, status,"
                    + " last_seq, to_move) SELECT :id, :service, :tenant, :source, :arn, :dname,"
                    + " :darn, :rate, 'RUNNING', coalesce(max(seq), 0), count(*) FROM"
                    + " queue_messages WHERE queue_id = :source AND expires_at > now()"
                    + " ON CONFLICT (source_queue_id) WHERE status IN ('RUNNING', 'CANCELLING')"
                    + " DO NOTHING RETURNING *")
            .bind("id", id)
            .bind("service", serviceId)
            .bind("tenant", tenantId)
            .bind("source", sourceQueueId)
            .bind("arn", sourceArn);
    spec = Rows.bindNullable(spec, "dname", destinationName, String.class);
    spec = Rows.bindNullable(spec, "darn", destinationArn, String.class);
    spec = Rows.bindNullable(spec, "rate", maxPerSecond, Integer.class);
    return spec.map(MoveTaskRepository::task).one();
  }

  /** The source queue's most recent tasks, newest first. */
  public Flux<MoveTask> recent(UUID sourceQueueId, int limit) {
    return db.sql(
            "SELECT * FROM queue_move_tasks WHERE source_queue_id = :source"
                + " ORDER BY started_at DESC, id LIMIT :limit")
        .bind("source", sourceQueueId)
        .bind("limit", limit)
        .map(MoveTaskRepository::task)
        .all();
  }

  public Mono<MoveTask> find(String serviceId, UUID id) {
    return db.sql("SELECT * FROM queue_move_tasks WHERE id = :id AND service_id = :service")
        .bind("id", id)
        .bind("service", serviceId)
        .map(MoveTaskRepository::task)
        .one();
  }

  /** A cancel's answer: the task (as cancelled, or as found) and whether this cancel stopped it. */
  public record Cancel(MoveTask task, boolean stopped) {}

  /**
   * Stops the task when it is running (waiting for a step under way: the step holds its row), in
   * one statement: empty when the instance has no such task (of {@code sourceQueueId}, unless
   * null); else the task and whether it was running.
   */
  public Mono<Cancel> cancel(String serviceId, UUID id, UUID sourceQueueId) {
    // FOR UPDATE waits for a step's lock and then reads the row as the step left it.
    String sql =
        "WITH found AS (SELECT * FROM queue_move_tasks WHERE id = :id AND service_id = :service"
            + (sourceQueueId == null ? "" : " AND source_queue_id = :source")
            + " FOR UPDATE),"
            + " stopped AS (UPDATE queue_move_tasks t SET status = 'CANCELLED',"
            + " finished_at = now() FROM found WHERE t.id = found.id"
            + " AND found.status = 'RUNNING' RETURNING t.*)"
            + " SELECT *, true AS was_running FROM stopped"
            + " UNION ALL SELECT *, false FROM found WHERE NOT EXISTS (SELECT 1 FROM stopped)";
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("id", id).bind("service", serviceId);
    if (sourceQueueId != null) {
      spec = spec.bind("source", sourceQueueId);
    }
    return spec.map(r -> new Cancel(task(r), r.get("was_running", Boolean.class))).one();
  }

  /** Locks one running task whose step is due, skipping those another replica is moving. */
  public Mono<MoveTask> lockDue() {
    return db.sql(
            "SELECT * FROM queue_move_tasks WHERE status = 'RUNNING' AND next_step_at <= now()"
                + " ORDER BY next_step_at LIMIT 1 FOR UPDATE SKIP LOCKED")
        .map(MoveTaskRepository::task)
        .one();
  }

  /** A queue that received moved messages, and how many. */
  public record Moved(UUID queueId, long count) {}

  /**
   * Moves up to the task's batch of its visible messages (in flight ones wait for their next
   * visibility) to their targets, as new messages there (new sequence numbers, receive count 0,
   * retention anew from now) with their id, body, attributes and send time.
   */
  public Flux<Moved> moveBatch(MoveTask task) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "WITH picked AS (SELECT m.id, q.id AS target, q.retention_seconds"
                    + " FROM queue_messages m"
                    + TARGET
                    + " WHERE m.queue_id = :source AND m.seq <= :last AND m.visible_at <= now()"
                    + " AND m.expires_at > now() ORDER BY m.seq LIMIT :batch"
                    + " FOR UPDATE OF m SKIP LOCKED),"
                    + " moved AS (DELETE FROM queue_messages m USING picked p WHERE m.id = p.id"
                    + " RETURNING m.*, p.target, p.retention_seconds),"
                    + " inserted AS (INSERT INTO queue_messages (id, queue_id, body, attributes,"
                    + " md5_body, md5_attributes, group_id, dedup_id, sender_id, sent_at,"
                    + " visible_at, expires_at) SELECT id, target, body, attributes, md5_body,"
                    + " md5_attributes, group_id, dedup_id, sender_id, sent_at, now(),"
                    + " now() + make_interval(secs => retention_seconds) FROM moved ORDER BY seq"
                    + " RETURNING queue_id)"
                    + " SELECT queue_id, count(*) AS n FROM inserted GROUP BY queue_id")
            .bind("service", task.serviceId())
            .bind("source", task.sourceQueueId())
            .bind("last", task.lastSeq())
            .bind("batch", task.batch());
    spec = Rows.bindNullable(spec, "destination", task.destinationName(), String.class);
    return spec.map(r -> new Moved(r.get("queue_id", UUID.class), r.get("n", Long.class))).all();
  }

  /** What is left of the task's messages: those that can still move, and all. */
  public record Left(long movable, long all) {}

  public Mono<Left> left(MoveTask task) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "SELECT count(q.id) AS movable, count(*) AS all_left FROM queue_messages m LEFT"
                    + TARGET
                    + " WHERE m.queue_id = :source AND m.seq <= :last AND m.expires_at > now()")
            .bind("service", task.serviceId())
            .bind("source", task.sourceQueueId())
            .bind("last", task.lastSeq());
    spec = Rows.bindNullable(spec, "destination", task.destinationName(), String.class);
    return spec.map(r -> new Left(r.get("movable", Long.class), r.get("all_left", Long.class)))
        .one();
  }

  /**
   * Records a step: the messages it moved, when the next one may start (a second later, so the rate
   * holds across replicas), and the end when nothing is left to move.
   */
  public Mono<Void> stepped(MoveTask task, long moved, String status, String failureReason) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "UPDATE queue_move_tasks SET moved = moved + :moved, status = :status,"
                    + " failure_reason = :reason, next_step_at = now() + interval '1 second',"
                    + " finished_at = CASE WHEN :status = 'RUNNING' THEN NULL ELSE now() END"
                    + " WHERE id = :id")
            .bind("moved", moved)
            .bind("status", status)
            .bind("id", task.id());
    return Rows.bindNullable(spec, "reason", failureReason, String.class).then();
  }

  private static MoveTask task(Readable row) {
    return new MoveTask(
        row.get("id", UUID.class),
        row.get("service_id", String.class),
        row.get("source_queue_id", UUID.class),
        row.get("source_arn", String.class),
        row.get("destination_name", String.class),
        row.get("destination_arn", String.class),
        row.get("max_per_second", Integer.class),
        row.get("status", String.class),
        row.get("failure_reason", String.class),
        row.get("last_seq", Long.class),
        row.get("to_move", Long.class),
        row.get("moved", Long.class),
        Rows.instant(row, "started_at"));
  }
}
