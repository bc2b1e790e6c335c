package dev.cumulus.queue.queues.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueNames;
import dev.cumulus.queue.queues.domain.QueueSettings;
import dev.cumulus.queue.queues.domain.QueueStats;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The {@code queues} table. */
@Repository
public class QueueRepository {

  /** Counts of live messages; "in flight" = received and not visible again yet. */
  private static final String STATS =
      "count(*) FILTER (WHERE m.visible_at <= now()) AS visible,"
          + " count(*) FILTER (WHERE m.visible_at > now() AND m.receive_count > 0) AS in_flight,"
          + " count(*) FILTER (WHERE m.visible_at > now() AND m.receive_count = 0) AS delayed,"
          + " min(m.sent_at) AS oldest";

  private final DatabaseClient db;
  private final AttributeColumns columns;

  public QueueRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.columns = new AttributeColumns(json);
  }

  /** Inserts a new queue; false when the instance has one of that name already. */
  public Mono<Boolean> insert(Queue queue) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO queues (id, service_id, tenant_id, name, fifo, content_based_dedup,"
                    + " visibility_timeout, retention_seconds, delay_seconds, max_message_size,"
                    + " receive_wait_seconds, max_receive_count, dead_letter_queue, tags)"
                    + " VALUES (:id, :service, :tenant, :name, :fifo, :cbd, :vis, :ret, :delay,"
                    + " :size, :wait, :mrc, :dlq, :tags) ON CONFLICT (service_id, name) DO NOTHING")
            .bind("id", queue.id())
            .bind("service", queue.serviceId())
            .bind("tenant", queue.tenantId())
            .bind("name", queue.name())
            .bind("tags", Json.of(columns.writeTags(queue.tags())));
    return bindSettings(spec, queue.settings()).fetch().rowsUpdated().map(rows -> rows == 1);
  }

  public Mono<Void> updateSettings(UUID id, QueueSettings settings) {
    GenericExecuteSpec spec =
        db.sql(
                "UPDATE queues SET fifo = :fifo, content_based_dedup = :cbd,"
                    + " visibility_timeout = :vis, retention_seconds = :ret, delay_seconds = :delay,"
                    + " max_message_size = :size, receive_wait_seconds = :wait,"
                    + " max_receive_count = :mrc, dead_letter_queue = :dlq, updated_at = now()"
                    + " WHERE id = :id")
            .bind("id", id);
    return bindSettings(spec, settings).fetch().rowsUpdated().then();
  }

  public Mono<Void> updateTags(UUID id, Map<String, String> tags) {
    return db.sql("UPDATE queues SET tags = :tags WHERE id = :id")
        .bind("id", id)
        .bind("tags", Json.of(columns.writeTags(tags)))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The queue of that name; empty, without asking, for a name no queue can have (a NUL, say). */
  public Mono<Queue> find(String serviceId, String name) {
    if (!QueueNames.possible(name)) {
      return Mono.empty();
    }
    return db.sql("SELECT * FROM queues WHERE service_id = :service AND name = :name")
        .bind("service", serviceId)
        .bind("name", name)
        .map(this::map)
        .one();
  }

  /** Queues of an instance by name, from after {@code after} (exclusive; null: the first). */
  public Flux<Queue> list(String serviceId, String prefix, String after, int limit) {
    GenericExecuteSpec spec =
        db.sql(
                "SELECT * FROM queues WHERE service_id = :service AND starts_with(name, :prefix)"
                    + " AND name > :after ORDER BY name LIMIT :limit")
            .bind("service", serviceId)
            .bind("prefix", prefix == null ? "" : prefix)
            .bind("after", after == null ? "" : after)
            .bind("limit", limit);
    return spec.map(this::map).all();
  }

  public Mono<Long> delete(UUID id) {
    return db.sql("DELETE FROM queues WHERE id = :id").bind("id", id).fetch().rowsUpdated();
  }

  public Mono<Long> deleteAll(String serviceId) {
    return db.sql("DELETE FROM queues WHERE service_id = :service")
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated();
  }

  /** Records a purge; false when the queue was purged less than 60 seconds ago. */
  public Mono<Boolean> markPurged(UUID id) {
    return db.sql(
            "UPDATE queues SET purged_at = now() WHERE id = :id"
                + " AND (purged_at IS NULL OR purged_at < now() - interval '60 seconds')")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  public Mono<QueueStats> stats(UUID id) {
    return db.sql(
            "SELECT "
                + STATS
                + " FROM queue_messages m WHERE m.queue_id = :id"
                + " AND m.expires_at > now()")
        .bind("id", id)
        .map((Readable row) -> stats(row))
        .one();
  }

  /** A queue's identity and counts, for metrics. */
  public record NamedStats(String serviceId, String name, QueueStats stats) {}

  public Flux<NamedStats> allStats() {
    return db.sql(
            "SELECT q.service_id, q.name, "
                + STATS
                + " FROM queues q LEFT JOIN queue_messages m ON m.queue_id = q.id"
                + " AND m.expires_at > now() GROUP BY q.id")
        .map(
            row ->
                new NamedStats(
                    row.get("service_id", String.class), row.get("name", String.class), stats(row)))
        .all();
  }

  private static QueueStats stats(Readable row) {
    return new QueueStats(
        row.get("visible", Long.class),
        row.get("in_flight", Long.class),
        row.get("delayed", Long.class),
        Rows.instant(row, "oldest"));
  }

  private static GenericExecuteSpec bindSettings(GenericExecuteSpec spec, QueueSettings s) {
    spec =
        spec.bind("fifo", s.fifo())
            .bind("cbd", s.contentBasedDeduplication())
            .bind("vis", s.visibilityTimeout())
            .bind("ret", s.messageRetentionPeriod())
            .bind("delay", s.delaySeconds())
            .bind("size", s.maximumMessageSize())
            .bind("wait", s.receiveMessageWaitTimeSeconds());
    spec = Rows.bindNullable(spec, "mrc", s.maxReceiveCount(), Integer.class);
    return Rows.bindNullable(spec, "dlq", s.deadLetterQueue(), String.class);
  }

  private Queue map(Readable row) {
    QueueSettings settings =
        new QueueSettings(
            row.get("fifo", Boolean.class),
            row.get("content_based_dedup", Boolean.class),
            row.get("visibility_timeout", Integer.class),
            row.get("retention_seconds", Integer.class),
            row.get("delay_seconds", Integer.class),
            row.get("max_message_size", Integer.class),
            row.get("receive_wait_seconds", Integer.class),
            row.get("max_receive_count", Integer.class),
            row.get("dead_letter_queue", String.class));
    return new Queue(
        row.get("id", UUID.class),
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        settings,
        columns.readTags(JsonColumns.text(row, "tags")),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
