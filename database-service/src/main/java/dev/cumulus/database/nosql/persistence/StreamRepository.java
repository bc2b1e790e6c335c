package dev.cumulus.database.nosql.persistence;

import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/** Streams of tables and their records (one shard per stream). */
@Repository
public class StreamRepository {

  /** A stream: its table's key schema as KeySchema JSON, the sequence numbers it holds. */
  public record StreamRow(
      String table,
      String label,
      String viewType,
      JsonNode keySchema,
      boolean enabled,
      long lastSeq,
      long trimmedSeq,
      Instant createdAt) {}

  /** A stored record and its sequence number. */
  public record RecordRow(long seq, JsonNode record) {}

  private final DatabaseClient db;
  private final ObjectMapper json;

  public StreamRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** Records a table's new stream: its label, view type and the table's key schema. */
  public Mono<Void> create(String service, TableSchema table) {
    ArrayNode keySchema = json.createArrayNode();
    keySchema.addObject().put("AttributeName", table.key().hash()).put("KeyType", "HASH");
    if (table.key().range() != null) {
      keySchema.addObject().put("AttributeName", table.key().range()).put("KeyType", "RANGE");
    }
    return db.sql(
            """
            INSERT INTO nosql_streams (service_id, table_name, stream_label, view_type, key_schema)
            VALUES (:service, :table, :label, :viewType, CAST(:keySchema AS jsonb))
            """)
        .bind("service", service)
        .bind("table", table.name())
        .bind("label", table.streamLabel())
        .bind("viewType", table.streamViewType())
        .bind("keySchema", json.writeValueAsString(keySchema))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Closes the table's stream (its shard ends at its last record): under the stream's exclusive
   * lock, so the changes committed before are sequenced into it and later ones are not.
   */
  public Mono<Void> disable(String service, String table, String label) {
    return lockExclusive(service, table, label)
        .then(sequencePending(service, table, label))
        .then(
            db.sql(
                    """
                    UPDATE nosql_streams SET enabled = false, disabled_at = now()
                    WHERE service_id = :service AND table_name = :table
                      AND stream_label = :label AND enabled
                    """)
                .bind("service", service)
                .bind("table", table)
                .bind("label", label)
                .fetch()
                .rowsUpdated())
        .then();
  }

  /**
   * Inserts a record without a sequence number (pending), holding the stream's lock shared until
   * the transaction ends: concurrent writers do not wait for each other, only for a {@link #seal}.
   */
  public Mono<Void> append(String service, String table, String label, JsonNode record) {
    return db.sql(
            """
            INSERT INTO nosql_stream_records (service_id, table_name, stream_label, record)
            SELECT :service, :table, :label, CAST(:record AS jsonb)
            FROM (SELECT pg_advisory_xact_lock_shared(hashtextextended(:lock, 3))) AS l
            """)
        .bind("service", service)
        .bind("table", table)
        .bind("label", label)
        .bind("lock", lockKey(service, table, label))
        .bind("record", json.writeValueAsString(record))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Gives the stream's pending records their sequence numbers (run in a transaction, before
   * reading). Under the stream's exclusive lock every pending record is committed, so numbers are
   * handed out in an order no later commit can break; a disabled stream's late records are dropped.
   */
  public Mono<Void> seal(String service, String table, String label) {
    return db.sql(
            """
            SELECT EXISTS (SELECT 1 FROM nosql_stream_records
              WHERE service_id = :service AND table_name = :table AND stream_label = :label
                AND seq IS NULL) AS pending
            """)
        .bind("service", service)
        .bind("table", table)
        .bind("label", label)
        .map(row -> Boolean.TRUE.equals(row.get("pending", Boolean.class)))
        .one()
        .flatMap(
            pending ->
                !pending
                    ? Mono.<Void>empty()
                    : lockExclusive(service, table, label)
                        .then(sequencePending(service, table, label))
                        .then(
                            db.sql(
                                    """
                                    DELETE FROM nosql_stream_records
                                    WHERE service_id = :service AND table_name = :table
                                      AND stream_label = :label AND seq IS NULL
                                    """)
                                .bind("service", service)
                                .bind("table", table)
                                .bind("label", label)
                                .fetch()
                                .rowsUpdated())
                        .then());
  }

  private Mono<Void> lockExclusive(String service, String table, String label) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:lock, 3))")
        .bind("lock", lockKey(service, table, label))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Numbers the pending records of an enabled stream in insertion order. */
  private Mono<Void> sequencePending(String service, String table, String label) {
    return db.sql(
            """
            WITH pending AS (
              SELECT id, row_number() OVER (ORDER BY id) AS n FROM nosql_stream_records
              WHERE service_id = :service AND table_name = :table AND stream_label = :label
                AND seq IS NULL),
            stream AS (
              UPDATE nosql_streams SET last_seq = last_seq + (SELECT count(*) FROM pending)
              WHERE service_id = :service AND table_name = :table AND stream_label = :label
                AND enabled
              RETURNING last_seq - (SELECT count(*) FROM pending) AS base)
            UPDATE nosql_stream_records r SET seq = stream.base + pending.n
            FROM pending, stream WHERE r.id = pending.id
            """)
        .bind("service", service)
        .bind("table", table)
        .bind("label", label)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static String lockKey(String service, String table, String label) {
    return service + "/" + table + "/" + label;
  }

  public Mono<StreamRow> find(String service, String table, String label) {
    return db.sql(
            """
            SELECT * FROM nosql_streams
            WHERE service_id = :service AND table_name = :table AND stream_label = :label
            """)
        .bind("service", service)
        .bind("table", table)
        .bind("label", label)
        .map(this::stream)
        .one();
  }

  /** Streams of the instance (of one table when given), in (table, label) order after a start. */
  public Flux<StreamRow> list(
      String service, String table, String startTable, String startLabel, int limit) {
    var spec =
        db.sql(
                """
                SELECT * FROM nosql_streams
                WHERE service_id = :service
                  AND (CAST(:table AS text) IS NULL OR table_name = :table)
                  AND (CAST(:startTable AS text) IS NULL
                       OR (table_name, stream_label) > (:startTable, :startLabel))
                ORDER BY table_name, stream_label LIMIT :limit
                """)
            .bind("service", service)
            .bind("limit", limit);
    spec = Rows.bindNullable(spec, "table", table, String.class);
    spec = Rows.bindNullable(spec, "startTable", startTable, String.class);
    spec = Rows.bindNullable(spec, "startLabel", startLabel, String.class);
    return spec.map(this::stream).all();
  }

  /**
   * Records after a sequence number, in order: at most {@code limit}, and no more than {@code
   * maxBytes} of them by their SizeBytes (the first record always, whatever its size). The sizes
   * are summed from {@code size_bytes}; only the records of the page are read.
   */
  public Flux<RecordRow> records(
      String service, String table, String label, long afterSeq, int limit, long maxBytes) {
    return db.sql(
            """
            WITH candidates AS (
              SELECT seq,
                sum(coalesce(size_bytes, 0)) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS total
              FROM nosql_stream_records
              WHERE service_id = :service AND table_name = :table AND stream_label = :label
                AND seq > :after
              ORDER BY seq LIMIT :limit),
            page AS (
              SELECT seq FROM candidates
              WHERE total <= :maxBytes OR seq = (SELECT min(seq) FROM candidates))
            SELECT r.seq, r.record FROM page JOIN nosql_stream_records r
              ON r.service_id = :service AND r.table_name = :table AND r.stream_label = :label
                AND r.seq = page.seq
            ORDER BY r.seq
            """)
        .bind("service", service)
        .bind("table", table)
        .bind("label", label)
        .bind("after", afterSeq)
        .bind("limit", limit)
        .bind("maxBytes", maxBytes)
        .map(
            row ->
                new RecordRow(
                    row.get("seq", Long.class), json.readTree(JsonColumns.text(row, "record"))))
        .all();
  }

  /**
   * Deletes records older than the retention and remembers each stream's highest trimmed sequence
   * number, one statement per stream. Answers the number of records deleted.
   */
  public Mono<Long> trim(Duration retention) {
    Instant cutoff = Instant.now().minus(retention);
    return db.sql(
            """
            SELECT DISTINCT service_id, table_name, stream_label FROM nosql_stream_records
            WHERE created_at < :cutoff AND seq IS NOT NULL
            """)
        .bind("cutoff", cutoff)
        .map(
            row ->
                new String[] {
                  row.get("service_id", String.class),
                  row.get("table_name", String.class),
                  row.get("stream_label", String.class)
                })
        .all()
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .concatMap(stream -> trimStream(stream, cutoff))
        .reduce(0L, Long::sum)
        .flatMap(
            trimmed ->
                // Disabled streams go once their last record has.
                db.sql(
                        """
                        DELETE FROM nosql_streams s
                        WHERE NOT s.enabled AND s.disabled_at < :cutoff AND NOT EXISTS (
                          SELECT 1 FROM nosql_stream_records r
                          WHERE r.service_id = s.service_id AND r.table_name = s.table_name
                            AND r.stream_label = s.stream_label)
                        """)
                    .bind("cutoff", cutoff)
                    .fetch()
                    .rowsUpdated()
                    .thenReturn(trimmed));
  }

  private Mono<Long> trimStream(String[] stream, Instant cutoff) {
    return db.sql(
            """
            WITH gone AS (
              DELETE FROM nosql_stream_records
              WHERE service_id = :service AND table_name = :table AND stream_label = :label
                AND created_at < :cutoff AND seq IS NOT NULL
              RETURNING seq),
            top AS (SELECT max(seq) AS seq, count(*) AS n FROM gone)
            UPDATE nosql_streams SET trimmed_seq = greatest(trimmed_seq, top.seq)
            FROM top
            WHERE service_id = :service AND table_name = :table AND stream_label = :label
              AND top.n > 0
            RETURNING top.n
            """)
        .bind("service", stream[0])
        .bind("table", stream[1])
        .bind("label", stream[2])
        .bind("cutoff", cutoff)
        .map(row -> row.get("n", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  /** The key shard iterators are signed with. */
  public Mono<String> secret() {
    return db.sql("SELECT secret FROM nosql_stream_secret WHERE id = 1")
        .map(row -> row.get("secret", String.class))
        .one();
  }

  /** Streams and records of a deleted instance. */
  public Mono<Void> deleteInstance(String service) {
    return db.sql("DELETE FROM nosql_stream_records WHERE service_id = :service")
        .bind("service", service)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("DELETE FROM nosql_streams WHERE service_id = :service")
                .bind("service", service)
                .fetch()
                .rowsUpdated())
        .then();
  }

  private StreamRow stream(Readable row) {
    return new StreamRow(
        row.get("table_name", String.class),
        row.get("stream_label", String.class),
        row.get("view_type", String.class),
        json.readTree(JsonColumns.text(row, "key_schema")),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
        row.get("last_seq", Long.class),
        row.get("trimmed_seq", Long.class),
        row.get("created_at", Instant.class));
  }
}
