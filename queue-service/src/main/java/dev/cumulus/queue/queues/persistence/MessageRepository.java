package dev.cumulus.queue.queues.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import dev.cumulus.queue.queues.domain.MessageAttribute;
import dev.cumulus.queue.queues.domain.ReceiptHandle;
import dev.cumulus.queue.queues.domain.ReceivedMessage;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code queue_messages}, {@code queue_groups} and {@code queue_dedup} tables. Receives lock
 * the rows they take with {@code FOR UPDATE SKIP LOCKED}, so concurrent receivers (on any replica)
 * never take one message twice while it is invisible.
 */
@Repository
public class MessageRepository {

  /** The channel of {@code NOTIFY}: its payload is the queue id that got something to receive. */
  public static final String CHANNEL = "cumulus_queue_messages";

  /** What a receive does to each message it takes: invisible, counted, a fresh receipt token. */
  private static final String TAKE =
      "UPDATE queue_messages m SET visible_at = now() + make_interval(secs => :vis),"
          + " receive_count = m.receive_count + 1,"
          + " first_received_at = coalesce(m.first_received_at, now()),"
          + " receipt_token = gen_random_uuid()"
          + " FROM picked WHERE m.id = picked.id RETURNING m.*";

  private final DatabaseClient db;
  private final AttributeColumns columns;

  public MessageRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.columns = new AttributeColumns(json);
  }

  /** A message as stored, before the database gives it its sequence number. */
  public record NewRow(
      UUID id,
      UUID queueId,
      String body,
      Map<String, MessageAttribute> attributes,
      String md5OfBody,
      String md5OfAttributes,
      String groupId,
      String deduplicationId,
      String senderId,
      int delaySeconds,
      int retentionSeconds) {}

  /** Inserts a message; returns its sequence number. */
  public Mono<Long> insert(NewRow row) {
    return insertAll(List.of(row)).single();
  }

  /**
   * Inserts messages in one statement (outside a transaction: one commit, one WAL flush for all),
   * in the list's order; returns their sequence numbers in that order. One statement text for any
   * number of rows (arrays, not a VALUES list), so it is prepared once.
   */
  public Flux<Long> insertAll(List<NewRow> rows) {
    int n = rows.size();
    String[] ids = new String[n];
    String[] queues = new String[n];
    String[] bodies = new String[n];
    String[] attributes = new String[n];
    String[] md5s = new String[n];
    String[] md5As = new String[n];
    String[] groups = new String[n];
    String[] dedups = new String[n];
    String[] senders = new String[n];
    Integer[] delays = new Integer[n];
    Integer[] retentions = new Integer[n];
    for (int i = 0; i < n; i++) {
      NewRow row = rows.get(i);
      ids[i] = row.id().toString();
      queues[i] = row.queueId().toString();
      bodies[i] = row.body();
      attributes[i] = columns.write(row.attributes());
      md5s[i] = row.md5OfBody();
      md5As[i] = row.md5OfAttributes();
      groups[i] = row.groupId();
      dedups[i] = row.deduplicationId();
      senders[i] = row.senderId();
      delays[i] = row.delaySeconds();
      retentions[i] = row.retentionSeconds();
    }
    Map<UUID, Integer> order = new HashMap<>();
    for (int i = 0; i < n; i++) {
      order.put(rows.get(i).id(), i);
    }
    return db.sql(
            "INSERT INTO queue_messages (id, queue_id, body, attributes, md5_body,"
                + " md5_attributes, group_id, dedup_id, sender_id, visible_at, expires_at)"
                + " SELECT r.id::uuid, r.queue::uuid, r.body, r.attributes::jsonb, r.md5, r.md5a,"
                + " r.grp, r.dedup, r.sender, now() + make_interval(secs => r.delay),"
                + " now() + make_interval(secs => r.retention)"
                + " FROM unnest(:ids::text[], :queues::text[], :bodies::text[],"
                + " :attributes::text[], :md5s::text[], :md5as::text[], :groups::text[],"
                + " :dedups::text[], :senders::text[], :delays::int[], :retentions::int[])"
                + " WITH ORDINALITY AS r(id, queue, body, attributes, md5, md5a, grp, dedup, sender,"
                + " delay, retention, ord) ORDER BY r.ord RETURNING id, seq")
        .bind("ids", ids)
        .bind("queues", queues)
        .bind("bodies", bodies)
        .bind("attributes", attributes)
        .bind("md5s", md5s)
        .bind("md5as", md5As)
        .bind("groups", groups)
        .bind("dedups", dedups)
        .bind("senders", senders)
        .bind("delays", delays)
        .bind("retentions", retentions)
        .map(r -> Map.entry(r.get("id", UUID.class), r.get("seq", Long.class)))
        .all()
        .collectList()
        .flatMapMany(
            inserted -> {
              Long[] seqs = new Long[n];
              inserted.forEach(e -> seqs[order.get(e.getKey())] = e.getValue());
              return Flux.fromArray(seqs);
            });
  }

  /**
   * Claims a deduplication id for {@code messageId} for 5 minutes. Empty when claimed; else the
   * earlier message that holds it (its id and sequence number): the send is a duplicate.
   */
  public Mono<Duplicate> claimDeduplicationId(UUID queueId, String dedupId, UUID messageId) {
    return db.sql(
            "INSERT INTO queue_dedup (queue_id, dedup_id, message_id, expires_at)"
                + " VALUES (:queue, :dedup, :message, now() + interval '5 minutes')"
                + " ON CONFLICT (queue_id, dedup_id) DO UPDATE SET message_id = EXCLUDED.message_id,"
                + " seq = NULL, expires_at = EXCLUDED.expires_at"
                + " WHERE queue_dedup.expires_at <= now() RETURNING message_id")
        .bind("queue", queueId)
        .bind("dedup", dedupId)
        .bind("message", messageId)
        .map(r -> r.get("message_id", UUID.class))
        .one()
        .hasElement()
        .flatMap(
            claimed ->
                claimed
                    ? Mono.empty()
                    : db.sql(
                            "SELECT message_id, seq FROM queue_dedup"
                                + " WHERE queue_id = :queue AND dedup_id = :dedup")
                        .bind("queue", queueId)
                        .bind("dedup", dedupId)
                        .map(
                            r ->
                                new Duplicate(
                                    r.get("message_id", UUID.class), r.get("seq", Long.class)))
                        .one());
  }

  /** The message an earlier send with the same deduplication id created. */
  public record Duplicate(UUID messageId, Long sequence) {}

  public Mono<Void> recordDeduplicatedSequence(UUID queueId, String dedupId, long seq) {
    return db.sql("UPDATE queue_dedup SET seq = :seq WHERE queue_id = :queue AND dedup_id = :dedup")
        .bind("seq", seq)
        .bind("queue", queueId)
        .bind("dedup", dedupId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Makes sure a FIFO group has its lock row (and keeps a sweep from removing it now). */
  public Mono<Void> touchGroup(UUID queueId, String groupId) {
    return db.sql(
            "INSERT INTO queue_groups (queue_id, group_id) VALUES (:queue, :group)"
                + " ON CONFLICT (queue_id, group_id) DO UPDATE SET last_sent_at = now()")
        .bind("queue", queueId)
        .bind("group", groupId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Takes up to {@code max} visible messages of a standard queue, oldest first. */
  public Flux<ReceivedMessage> receive(UUID queueId, int max, int visibilityTimeout) {
    return db.sql(
            "WITH picked AS (SELECT id FROM queue_messages WHERE queue_id = :queue"
                + " AND visible_at <= now() AND expires_at > now() ORDER BY seq LIMIT :max"
                + " FOR UPDATE SKIP LOCKED) "
                + TAKE)
        .bind("queue", queueId)
        .bind("max", max)
        .bind("vis", visibilityTimeout)
        .map(this::received)
        .all()
        .sort(Comparator.comparing(ReceivedMessage::sequenceNumber));
  }

  /**
   * Locks up to {@code max} FIFO groups of a queue whose first message is visible (a group with a
   * message in flight is blocked), oldest first, skipping groups another receiver holds. Must run
   * in the receive's transaction, before {@link #receiveFifo}.
   */
  public Flux<String> lockGroups(UUID queueId, int max) {
    return db.sql(
            "SELECT g.group_id FROM queue_groups g CROSS JOIN LATERAL"
                + " (SELECT m.visible_at, m.seq FROM queue_messages m WHERE m.queue_id = g.queue_id"
                + " AND m.group_id = g.group_id ORDER BY m.seq LIMIT 1) head"
                + " WHERE g.queue_id = :queue AND head.visible_at <= now()"
                + " ORDER BY head.seq LIMIT :max FOR UPDATE OF g SKIP LOCKED")
        .bind("queue", queueId)
        .bind("max", max)
        .map(r -> r.get("group_id", String.class))
        .all();
  }

  /**
   * Takes messages of locked groups in order: only groups whose first message is visible (a group
   * with a message in flight is blocked), at most {@code max}, as many as possible from the group
   * with the oldest message first (as SQS does). A statement of its own after {@link #lockGroups},
   * so it sees every receive of these groups that committed before the locks.
   */
  public Flux<ReceivedMessage> receiveFifo(
      UUID queueId, List<String> groups, int max, int visibilityTimeout) {
    return db.sql(
            "WITH heads AS (SELECT DISTINCT ON (group_id) group_id, visible_at, seq AS head"
                + " FROM queue_messages WHERE queue_id = :queue AND group_id = ANY(:groups)"
                + " ORDER BY group_id, seq),"
                + " picked AS (SELECT m.id FROM queue_messages m JOIN heads h"
                + " ON h.group_id = m.group_id AND h.visible_at <= now()"
                + " WHERE m.queue_id = :queue AND m.visible_at <= now() AND m.expires_at > now()"
                + " ORDER BY h.head, m.seq LIMIT :max FOR UPDATE OF m) "
                + TAKE)
        .bind("queue", queueId)
        .bind("groups", groups.toArray(String[]::new))
        .bind("max", max)
        .bind("vis", visibilityTimeout)
        .map(this::received)
        .all()
        .sort(Comparator.comparing(ReceivedMessage::sequenceNumber));
  }

  /** A message moved to a dead-letter queue. */
  public record DeadLettered(UUID messageId, String groupId) {}

  /**
   * Moves messages received {@code maxReceiveCount} times and visible again to the dead-letter
   * queue (as new messages there, keeping id, body, attributes and send time).
   */
  public Flux<DeadLettered> deadLetter(
      UUID queueId, int maxReceiveCount, UUID deadLetterQueueId, int retention, String sourceArn) {
    return db.sql(
            "WITH exhausted AS (SELECT id FROM queue_messages WHERE queue_id = :queue"
                + " AND visible_at <= now() AND receive_count >= :max ORDER BY seq LIMIT 100"
                + " FOR UPDATE SKIP LOCKED),"
                + " moved AS (DELETE FROM queue_messages m USING exhausted e WHERE m.id = e.id"
                + " RETURNING m.*),"
                + " inserted AS (INSERT INTO queue_messages (id, queue_id, body, attributes,"
                + " md5_body, md5_attributes, group_id, dedup_id, sender_id, sent_at, visible_at,"
                + " expires_at, dead_letter_from) SELECT id, :dlq, body, attributes, md5_body,"
                + " md5_attributes, group_id, dedup_id, sender_id, sent_at, now(),"
                + " sent_at + make_interval(secs => :retention), :arn FROM moved ORDER BY seq"
                + " RETURNING id, group_id),"
                + " groups AS (INSERT INTO queue_groups (queue_id, group_id)"
                + " SELECT DISTINCT :dlq::uuid, group_id FROM inserted WHERE group_id IS NOT NULL"
                + " ON CONFLICT (queue_id, group_id) DO UPDATE SET last_sent_at = now())"
                + " SELECT id, group_id FROM inserted")
        .bind("queue", queueId)
        .bind("max", maxReceiveCount)
        .bind("dlq", deadLetterQueueId)
        .bind("retention", retention)
        .bind("arn", sourceArn)
        .map(r -> new DeadLettered(r.get("id", UUID.class), r.get("group_id", String.class)))
        .all();
  }

  /** Deletes the message a receipt handle names, if the handle is its latest; rows deleted. */
  public Mono<Long> delete(ReceiptHandle handle) {
    return db.sql(
            "DELETE FROM queue_messages WHERE id = :id AND queue_id = :queue"
                + " AND receipt_token = :token")
        .bind("id", handle.messageId())
        .bind("queue", handle.queueId())
        .bind("token", handle.token())
        .fetch()
        .rowsUpdated();
  }

  /**
   * Deletes the messages of one queue that these handles name, each only if its handle is its
   * latest, in one statement (one commit); rows deleted.
   */
  public Mono<Long> deleteAll(UUID queueId, List<ReceiptHandle> handles) {
    return db.sql(
            "DELETE FROM queue_messages m USING unnest(:ids::uuid[], :tokens::uuid[]) AS h(id, token)"
                + " WHERE m.id = h.id AND m.queue_id = :queue AND m.receipt_token = h.token")
        .bind("ids", handles.stream().map(h -> h.messageId().toString()).toArray(String[]::new))
        .bind("tokens", handles.stream().map(h -> h.token().toString()).toArray(String[]::new))
        .bind("queue", queueId)
        .fetch()
        .rowsUpdated();
  }

  /** Changes the visibility of a message in flight under this handle; rows changed. */
  public Mono<Long> changeVisibility(ReceiptHandle handle, int seconds) {
    return db.sql(
            "UPDATE queue_messages SET visible_at = now() + make_interval(secs => :vis)"
                + " WHERE id = :id AND queue_id = :queue AND receipt_token = :token"
                + " AND visible_at > now()")
        .bind("vis", seconds)
        .bind("id", handle.messageId())
        .bind("queue", handle.queueId())
        .bind("token", handle.token())
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> purge(UUID queueId) {
    return db.sql("DELETE FROM queue_messages WHERE queue_id = :queue")
        .bind("queue", queueId)
        .fetch()
        .rowsUpdated();
  }

  /** When the next invisible (delayed or in flight) message becomes visible, if any. */
  public Mono<Instant> nextVisibleAt(UUID queueId) {
    return db.sql(
            "SELECT visible_at FROM queue_messages WHERE queue_id = :queue"
                + " AND visible_at > now() AND expires_at > now() ORDER BY visible_at LIMIT 1")
        .bind("queue", queueId)
        .map(r -> Rows.instant(r, "visible_at"))
        .one();
  }

  /**
   * Removes expired messages and deduplication ids, and FIFO groups without messages that saw no
   * send for an hour; returns the messages removed.
   */
  public Mono<Long> sweep() {
    return db.sql("DELETE FROM queue_messages WHERE expires_at <= now()")
        .fetch()
        .rowsUpdated()
        .flatMap(
            expired ->
                db.sql("DELETE FROM queue_dedup WHERE expires_at <= now()")
                    .fetch()
                    .rowsUpdated()
                    .then(
                        db.sql(
                                "DELETE FROM queue_groups g WHERE last_sent_at < now() - interval"
                                    + " '1 hour' AND NOT EXISTS (SELECT 1 FROM queue_messages m"
                                    + " WHERE m.queue_id = g.queue_id AND m.group_id = g.group_id)")
                            .fetch()
                            .rowsUpdated())
                    .thenReturn(expired));
  }

  private ReceivedMessage received(Readable row) {
    UUID id = row.get("id", UUID.class);
    UUID queue = row.get("queue_id", UUID.class);
    return new ReceivedMessage(
        id,
        new ReceiptHandle(queue, id, row.get("receipt_token", UUID.class)).encode(),
        row.get("body", String.class),
        row.get("md5_body", String.class),
        columns.read(JsonColumns.text(row, "attributes")),
        Rows.instant(row, "sent_at"),
        Rows.instant(row, "first_received_at"),
        row.get("receive_count", Integer.class),
        row.get("sender_id", String.class),
        row.get("group_id", String.class),
        row.get("dedup_id", String.class),
        sequenceNumber(row.get("seq", Long.class)),
        row.get("dead_letter_from", String.class));
  }

  /** Sequence numbers as SQS shows them: digits, zero-padded so they sort as text. */
  public static String sequenceNumber(long seq) {
    return String.format("%020d", seq);
  }
}
