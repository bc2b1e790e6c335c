package dev.cumulus.function.sources.persistence;

import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Parameter;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code event_source_mappings}, {@code event_source_records} and {@code source_instances}
 * tables.
 */
@Repository
public class EventSourceMappingRepository {

  /** A record waiting for its function: its place, its id in a batch's answer, its JSON. */
  public record SourceRecord(long seq, String itemId, String json) {}

  /** A record to store: its key at the source (deduplicates), its item id and its JSON. */
  public record NewRecord(String sourceKey, String itemId, String json) {}

  private final DatabaseClient db;

  public EventSourceMappingRepository(DatabaseClient db) {
    this.db = db;
  }

  // --- source instances

  public Mono<Void> instanceCreated(String serviceId, String type, String tenantId) {
    return db.sql(
            "INSERT INTO source_instances (service_id, service_type, tenant_id) VALUES (:id,"
                + " :type, :tenant) ON CONFLICT (service_id) DO NOTHING")
        .bind("id", serviceId)
        .bind("type", type.toLowerCase(Locale.ROOT))
        .bind("tenant", tenantId)
        .then();
  }

  /** An instance is gone: so are the mappings reading it. */
  public Mono<Void> instanceDeleted(String serviceId) {
    return db.sql("DELETE FROM event_source_mappings WHERE source_service_id = :id")
        .bind("id", serviceId)
        .then()
        .then(
            db.sql("DELETE FROM source_instances WHERE service_id = :id")
                .bind("id", serviceId)
                .then());
  }

  /** Whether the tenant has an instance of the type with this id. */
  public Mono<Boolean> ownsInstance(String tenantId, String type, String serviceId) {
    return db.sql(
            "SELECT count(*) FROM source_instances WHERE service_id = :id AND tenant_id = :tenant"
                + " AND service_type = :type")
        .bind("id", serviceId)
        .bind("tenant", tenantId)
        .bind("type", type)
        .map(r -> r.get(0, Long.class))
        .one()
        .map(n -> n > 0);
  }

  // --- mappings

  public Mono<Void> insert(EventSourceMapping m) {
    return db.sql(
            "INSERT INTO event_source_mappings (uuid, service_id, tenant_id, function_name,"
                + " qualifier, source_arn, source_type, source_service_id, source_name,"
                + " batch_size, batching_window_seconds, maximum_retry_attempts,"
                + " starting_position, report_item_failures, enabled, maximum_concurrency) VALUES (:uuid, :service,"
                + " :tenant, :function, :qualifier, :arn, :type, :sourceService, :sourceName,"
                + " :batch, :window, :retries, :start, :items, :enabled, :concurrency)")
        .bind("uuid", m.uuid())
        .bind("service", m.serviceId())
        .bind("tenant", m.tenantId())
        .bind("function", m.functionName())
        .bind("qualifier", m.qualifier())
        .bind("arn", m.source().arn())
        .bind("type", m.source().type().name())
        .bind("sourceService", m.source().serviceId())
        .bind("sourceName", m.source().name())
        .bind("batch", m.batchSize())
        .bind("window", m.batchingWindowSeconds())
        .bind("retries", m.maximumRetryAttempts())
        .bind("start", m.startingPosition() == null ? "" : m.startingPosition())
        .bind("items", m.reportItemFailures())
        .bind("enabled", m.enabled())
        .bind("concurrency", concurrency(m))
        .then();
  }

  private static Parameter concurrency(EventSourceMapping m) {
    return Parameters.in(R2dbcType.INTEGER, m.maximumConcurrency());
  }

  /** Writes the settings an update may change. */
  public Mono<Void> update(EventSourceMapping m) {
    return db.sql(
            "UPDATE event_source_mappings SET function_name = :function, qualifier = :qualifier,"
                + " batch_size = :batch, batching_window_seconds = :window,"
                + " maximum_retry_attempts = :retries, report_item_failures = :items,"
                + " enabled = :enabled, maximum_concurrency = :concurrency, last_modified = now()"
                + " WHERE uuid = :uuid")
        .bind("uuid", m.uuid())
        .bind("function", m.functionName())
        .bind("qualifier", m.qualifier())
        .bind("batch", m.batchSize())
        .bind("window", m.batchingWindowSeconds())
        .bind("retries", m.maximumRetryAttempts())
        .bind("items", m.reportItemFailures())
        .bind("enabled", m.enabled())
        .bind("concurrency", concurrency(m))
        .then();
  }

  /** Notes how a mapping's last batch went (when that changed). */
  public Mono<Void> result(UUID mappingId, String result) {
    return db.sql(
            "UPDATE event_source_mappings SET last_processing_result = :result WHERE uuid = :m"
                + " AND last_processing_result <> :result")
        .bind("m", mappingId)
        .bind("result", result)
        .then();
  }

  /** Disables a mapping whose source is gone, saying so. */
  public Mono<Void> disable(UUID mappingId, String result) {
    return db.sql(
            "UPDATE event_source_mappings SET enabled = false, last_processing_result = :result,"
                + " last_modified = now() WHERE uuid = :m")
        .bind("m", mappingId)
        .bind("result", result)
        .then();
  }

  public Mono<EventSourceMapping> find(String serviceId, UUID uuid) {
    return db.sql(
            "SELECT * FROM event_source_mappings WHERE uuid = :uuid AND service_id = :service")
        .bind("uuid", uuid)
        .bind("service", serviceId)
        .map(this::map)
        .one();
  }

  /** An instance's mappings, optionally of one function and/or one source ARN, oldest first. */
  public Flux<EventSourceMapping> list(String serviceId, String functionName, String sourceArn) {
    return db.sql(
            "SELECT * FROM event_source_mappings WHERE service_id = :service AND (:function = ''"
                + " OR function_name = :function) AND (:arn = '' OR source_arn = :arn) ORDER BY"
                + " created_at, uuid")
        .bind("service", serviceId)
        .bind("function", functionName == null ? "" : functionName)
        .bind("arn", sourceArn == null ? "" : sourceArn)
        .map(this::map)
        .all();
  }

  public Mono<Void> delete(String serviceId, UUID uuid) {
    return db.sql("DELETE FROM event_source_mappings WHERE uuid = :uuid AND service_id = :service")
        .bind("uuid", uuid)
        .bind("service", serviceId)
        .then();
  }

  public Mono<Void> deleteFunction(String serviceId, String functionName) {
    return db.sql(
            "DELETE FROM event_source_mappings WHERE service_id = :service"
                + " AND function_name = :function")
        .bind("service", serviceId)
        .bind("function", functionName)
        .then();
  }

  public Mono<Void> deleteAll(String serviceId) {
    return db.sql("DELETE FROM event_source_mappings WHERE service_id = :service")
        .bind("service", serviceId)
        .then();
  }

  /** Every enabled mapping of a type, for the consumers of that source. */
  public Flux<EventSourceMapping> enabled(EventSource.Type type) {
    return db.sql("SELECT * FROM event_source_mappings WHERE enabled AND source_type = :type")
        .bind("type", type.name())
        .map(this::map)
        .all();
  }

  /**
   * The mappings of one tenant's source (a bucket), enabled or not: a disabled mapping keeps what
   * arrives for when it is enabled again, as a Kafka topic or a queue keeps its records.
   */
  public Flux<EventSourceMapping> of(
      EventSource.Type type, String tenantId, String sourceServiceId, String sourceName) {
    return db.sql(
            "SELECT * FROM event_source_mappings WHERE source_type = :type AND"
                + " tenant_id = :tenant AND source_service_id = :service AND source_name = :name")
        .bind("type", type.name())
        .bind("tenant", tenantId)
        .bind("service", sourceServiceId)
        .bind("name", sourceName)
        .map(this::map)
        .all();
  }

  // --- records and batches

  /** Stores records of a mapping; one already taken (same source key) is not stored again. */
  public Mono<Long> addRecords(UUID mappingId, List<NewRecord> records) {
    if (records.isEmpty()) {
      return Mono.just(0L);
    }
    String[] keys = records.stream().map(NewRecord::sourceKey).toArray(String[]::new);
    String[] items = records.stream().map(NewRecord::itemId).toArray(String[]::new);
    String[] jsons = records.stream().map(NewRecord::json).toArray(String[]::new);
    return db.sql(
            "INSERT INTO event_source_records (mapping_id, source_key, item_id, record) SELECT"
                + " :mapping, k, i, r FROM unnest(:keys::text[], :items::text[], :records::text[])"
                + " WITH ORDINALITY AS t(k, i, r, n) ORDER BY n ON CONFLICT (mapping_id,"
                + " source_key) DO NOTHING")
        .bind("mapping", mappingId)
        .bind("keys", keys)
        .bind("items", items)
        .bind("records", jsons)
        .fetch()
        .rowsUpdated();
  }

  /**
   * As {@link #addRecords}, answering how many of the mapping's records wait for their function
   * afterwards, in the same statement (the count's snapshot predates the insert, so it adds them).
   */
  public Mono<Long> addRecordsCountingPending(UUID mappingId, List<NewRecord> records) {
    String[] keys = records.stream().map(NewRecord::sourceKey).toArray(String[]::new);
    String[] items = records.stream().map(NewRecord::itemId).toArray(String[]::new);
    String[] jsons = records.stream().map(NewRecord::json).toArray(String[]::new);
    return db.sql(
            "WITH added AS (INSERT INTO event_source_records (mapping_id, source_key, item_id,"
                + " record) SELECT :mapping, k, i, r FROM unnest(:keys::text[], :items::text[],"
                + " :records::text[]) WITH ORDINALITY AS t(k, i, r, n) ORDER BY n ON CONFLICT"
                + " (mapping_id, source_key) DO NOTHING RETURNING 1) SELECT (SELECT count(*) FROM"
                + " added) + (SELECT count(*) FROM event_source_records WHERE mapping_id = :mapping"
                + " AND status = 'pending')")
        .bind("mapping", mappingId)
        .bind("keys", keys)
        .bind("items", items)
        .bind("records", jsons)
        .map(r -> r.get(0, Long.class))
        .one();
  }

  /** Records of a mapping still waiting for their function. */
  public Mono<Long> pending(UUID mappingId) {
    return db.sql(
            "SELECT count(*) FROM event_source_records WHERE mapping_id = :m AND status ="
                + " 'pending'")
        .bind("m", mappingId)
        .map(r -> r.get(0, Long.class))
        .one();
  }

  /**
   * Claims enabled mappings with a batch due (a full batch waits, or the oldest record waited the
   * batching window) and no retry pending: leased until {@code lease}, {@code FOR UPDATE SKIP
   * LOCKED}, so no two replicas run a mapping's batches at once.
   */
  public Flux<EventSourceMapping> claim(int limit, Duration lease) {
    return db.sql(
            "UPDATE event_source_mappings SET lease_until = now() + make_interval(secs => :lease)"
                + " WHERE uuid IN (SELECT m.uuid FROM event_source_mappings m WHERE m.enabled AND"
                + " m.lease_until <= now() AND m.next_attempt_at <= now() AND (EXISTS (SELECT 1"
                + " FROM event_source_records r WHERE r.mapping_id = m.uuid AND r.status ="
                + " 'pending' AND r.created_at <= now() - make_interval(secs =>"
                + " m.batching_window_seconds)) OR (SELECT count(*) FROM (SELECT 1 FROM"
                + " event_source_records r WHERE r.mapping_id = m.uuid AND r.status = 'pending'"
                + " LIMIT m.batch_size) p) >= m.batch_size) ORDER BY m.next_attempt_at LIMIT"
                + " :limit FOR UPDATE SKIP LOCKED) RETURNING *")
        .bind("lease", (double) lease.toSeconds())
        .bind("limit", limit)
        .map(this::map)
        .all();
  }

  /** The next batch of a mapping, in the order the records were taken. */
  public Flux<SourceRecord> batch(UUID mappingId, int size) {
    return db.sql(
            "SELECT seq, item_id, record FROM event_source_records WHERE mapping_id = :m AND"
                + " status = 'pending' ORDER BY seq LIMIT :size")
        .bind("m", mappingId)
        .bind("size", size)
        .map(
            r ->
                new SourceRecord(
                    r.get("seq", Long.class),
                    r.get("item_id", String.class),
                    r.get("record", String.class)))
        .all();
  }

  /** Marks records {@code done} or {@code failed}. */
  public Mono<Void> finish(UUID mappingId, List<Long> seqs, String status) {
    if (seqs.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "UPDATE event_source_records SET status = :status WHERE mapping_id = :m AND seq ="
                + " ANY(:seqs)")
        .bind("status", status)
        .bind("m", mappingId)
        .bind("seqs", seqs.toArray(Long[]::new))
        .then();
  }

  /**
   * Ends a mapping's lease: after a success or a dead-lettered batch ({@code retryIn} null: the
   * attempts start again), or after a failed attempt (retried after {@code retryIn}).
   */
  public Mono<Void> release(UUID mappingId, String result, Duration retryIn) {
    return db.sql(
            "UPDATE event_source_mappings SET lease_until = now(), last_processing_result ="
                + " :result, batch_attempts = CASE WHEN :retry THEN batch_attempts + 1 ELSE 0"
                + " END, next_attempt_at = now() + make_interval(secs => :delay) WHERE uuid = :m")
        .bind("m", mappingId)
        .bind("result", result)
        .bind("retry", retryIn != null)
        .bind("delay", retryIn == null ? 0.0 : retryIn.toMillis() / 1000.0)
        .then();
  }

  /** Forgets records that ran (or were dead-lettered) more than {@code age} ago. */
  public Mono<Long> purge(Duration age) {
    return db.sql(
            "DELETE FROM event_source_records WHERE status <> 'pending' AND created_at < now() -"
                + " make_interval(secs => :age)")
        .bind("age", (double) age.toSeconds())
        .fetch()
        .rowsUpdated();
  }

  private EventSourceMapping map(Readable row) {
    String start = row.get("starting_position", String.class);
    return new EventSourceMapping(
        row.get("uuid", UUID.class),
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("function_name", String.class),
        row.get("qualifier", String.class),
        new EventSource(
            EventSource.Type.valueOf(row.get("source_type", String.class)),
            row.get("source_arn", String.class),
            row.get("source_service_id", String.class),
            row.get("source_name", String.class)),
        row.get("batch_size", Integer.class),
        row.get("batching_window_seconds", Integer.class),
        row.get("maximum_retry_attempts", Integer.class),
        start == null || start.isEmpty() ? null : start,
        Boolean.TRUE.equals(row.get("report_item_failures", Boolean.class)),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
        row.get("last_processing_result", String.class),
        row.get("batch_attempts", Integer.class),
        Rows.instant(row, "last_modified"),
        row.get("maximum_concurrency", Integer.class));
  }
}
