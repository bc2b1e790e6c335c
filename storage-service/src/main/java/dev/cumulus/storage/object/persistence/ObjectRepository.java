package dev.cumulus.storage.object.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.storage.bucket.domain.RetentionMode;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.Retention;
import dev.cumulus.storage.object.domain.StoredObject;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class ObjectRepository {

  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  /**
   * Every column but {@code inline_data}: listings and deletes do not need a small object's bytes
   * (reads of one version select them too, see {@link #WITH_BYTES}).
   */
  private static final String METADATA =
      "bucket_id, object_key, version_id, is_latest, delete_marker, size, etag, content_type,"
          + " user_metadata, storage_path, last_modified, encrypted, seq, tags, part_sizes,"
          + " retention_mode, retain_until, legal_hold, customer_key, checksum_algorithm, checksum";

  private static final String WITH_BYTES = METADATA + ", inline_data";

  /**
   * storage_commit_object's parameters in its order, as statements name them (a suffix added when
   * one statement carries several commits); the two JSON ones are cast from text.
   */
  private static final List<String> COMMIT_PARAMETERS =
      List.of(
          "b",
          "k",
          "v",
          "size",
          "etag",
          "type",
          "meta",
          "path",
          "modified",
          "encrypted",
          "inline",
          "tags",
          "lockMode",
          "lockUntil",
          "legalHold",
          "customerKey",
          "checksumAlgorithm",
          "checksum",
          "eventId",
          "topic",
          "eventKey",
          "eventType",
          "source",
          "tenant",
          "request",
          "payload");

  /**
   * The types of parameters a grouped statement's VALUES list would otherwise leave to inference
   * (JSON from text; and the lock's columns, often all null).
   */
  private static final Map<String, String> CAST_PARAMETERS =
      Map.of(
          "meta", "jsonb",
          "tags", "jsonb",
          "payload", "jsonb",
          "lockMode", "text",
          "lockUntil", "timestamptz",
          "legalHold", "boolean",
          "customerKey", "bytea",
          "checksumAlgorithm", "text",
          "checksum", "text");

  private static final String COMMIT =
      "SELECT storage_commit_object(" + commitArguments("") + ") AS replaced";

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final StatementBatcher<Commit, Optional<String>> batcher;
  private final StatementBatcher<LatestKey, Optional<StoredObject>> latestLookups;

  /**
   * @param properties its commit batch: how many commits share a statement ({@link
   *     #commitGrouped}), and how many such statements run at once (connections they hold)
   */
  public ObjectRepository(DatabaseClient db, ObjectMapper json, StorageProperties properties) {
    int maxBatch = properties.commitBatch().maxSize();
    int maxInFlight = properties.commitBatch().maxInFlight();
    this.db = db;
    this.json = json;
    this.batcher =
        new StatementBatcher<>(
            this::commitAll,
            c -> commit(c.object(), c.event()),
            ObjectRepository::rolledBack,
            maxBatch,
            maxInFlight);
    this.latestLookups =
        new StatementBatcher<>(
            this::latestOfAll,
            k -> latest(k.bucketId(), k.key()).map(Optional::of).defaultIfEmpty(Optional.empty()),
            error -> true, // a read: running it again changes nothing
            maxBatch,
            maxInFlight);
  }

  /** A key whose latest version {@link #latestGrouped} looks up. */
  record LatestKey(UUID bucketId, String key) {}

  /** A new version and its event, as {@link #commit} takes them. */
  record Commit(StoredObject object, Outbox.Row event) {}

  /**
   * Serialises writers of one key until the transaction ends. The advisory lock (not only a row
   * lock) matters for a key that does not exist yet: two first writers would otherwise both see no
   * previous version and one blob would be left unreferenced. {@link #commit} takes the same lock
   * in SQL (storage_commit_object): keep the two lock keys alike.
   */
  public Mono<Void> lock(UUID bucketId, String key) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))")
        .bind("lock", bucketId + "/" + key)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Commits a new current version of its key and its event in one statement (the function {@code
   * storage_commit_object}, migration V6): takes the key's {@link #lock}, deletes the key's "null"
   * version when {@code o} is one, demotes the latest version, inserts {@code o} and the outbox
   * row. Outside a transaction it is one of its own; inside one the lock lasts until that one ends.
   *
   * @return the storage path of the version it replaced, if it had one
   */
  public Mono<Optional<String>> commit(StoredObject o, Outbox.Row event) {
    Map<String, Object> values = new HashMap<>();
    putCommit(values, new Commit(o, event), "");
    return db.sql(COMMIT)
        .bindValues(values)
        .map(row -> Optional.ofNullable(row.get("replaced", String.class)))
        .one();
  }

  /**
   * {@link #commit} in a transaction of its own, shared with the commits of other requests that
   * arrive meanwhile (group commit, see {@link StatementBatcher}): one WAL flush for all of them.
   * Not for use inside a transaction: the batch runs in its own.
   */
  public Mono<Optional<String>> commitGrouped(StoredObject o, Outbox.Row event) {
    return batcher.submit(new Commit(o, event));
  }

  /**
   * Several commits in one statement, hence one transaction: each row of the VALUES list calls
   * storage_commit_object, in the list's order, and each call's statements still see what the ones
   * before it wrote (READ COMMITTED: a fresh snapshot per statement of a volatile function). Rows
   * are sorted by lock key, so two batches never wait for each other's key locks in opposite
   * orders. The text depends only on the number of commits: PostgreSQL and the driver keep one
   * prepared statement per batch size.
   *
   * @return one result per commit, in the order of {@code commits}
   */
  private Flux<Optional<String>> commitAll(List<Commit> commits) {
    List<Integer> byLockKey = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      byLockKey.add(i);
    }
    byLockKey.sort(Comparator.comparing(i -> lockKey(commits.get(i).object())));
    GenericExecuteSpec spec =
        db.sql(
            "SELECT v.ord, storage_commit_object("
                + String.join(", ", COMMIT_PARAMETERS.stream().map(n -> "v." + n).toList())
                + ") AS replaced FROM (VALUES "
                + numberedRows(commits.size(), row -> commitArguments("_" + row))
                + ") AS v(ord, "
                + String.join(", ", COMMIT_PARAMETERS)
                + ")");
    // One bindValues for the whole batch: each bind() copies the parameters bound so far, which
    // for a batch of 32 commits of ~28 parameters each was a profile's top allocation.
    Map<String, Object> values = new HashMap<>();
    for (int row = 0; row < commits.size(); row++) {
      putCommit(values, commits.get(byLockKey.get(row)), "_" + row);
    }
    spec = spec.bindValues(values);
    // A commit without a result row stays null and is left out: the short list is
    // StatementBatcher's to report.
    return inItemOrder(
            spec.map(
                    row ->
                        Map.entry(
                            row.get("ord", Integer.class),
                            Optional.ofNullable(row.get("replaced", String.class))))
                .all(),
            commits.size(),
            byLockKey::get,
            null)
        .flatMapMany(results -> Flux.fromStream(results.stream().filter(Objects::nonNull)));
  }

  /**
   * {@code "(0, <row 0>), (1, <row 1>), ..."}: a VALUES list whose first column ({@code ord})
   * numbers its rows, so that a statement's results can be matched to its items.
   */
  private static String numberedRows(int count, IntFunction<String> row) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < count; i++) {
      rows.append(i == 0 ? "(" : ", (").append(i).append(", ").append(row.apply(i)).append(")");
    }
    return rows.toString();
  }

  /**
   * A grouped statement's results, one per item in the items' order: each result row comes with its
   * VALUES row's {@code ord}, which {@code itemOfRow} maps to the item's index; items without a
   * result row get {@code absent}.
   */
  private static <R> Mono<List<R>> inItemOrder(
      Flux<Map.Entry<Integer, R>> rows, int items, IntUnaryOperator itemOfRow, R absent) {
    return rows.collectList()
        .map(
            list -> {
              List<R> ordered = new ArrayList<>(Collections.nCopies(items, absent));
              list.forEach(row -> ordered.set(itemOfRow.applyAsInt(row.getKey()), row.getValue()));
              return ordered;
            });
  }

  /** The key {@link #lock} and storage_commit_object lock, as one string. */
  private static String lockKey(StoredObject o) {
    return o.bucketId() + "/" + o.key();
  }

  /** storage_commit_object's arguments as named parameters, each name ending in {@code suffix}. */
  private static String commitArguments(String suffix) {
    StringBuilder arguments = new StringBuilder();
    for (String name : COMMIT_PARAMETERS) {
      arguments.append(arguments.isEmpty() ? "" : ", ");
      String parameter = ":" + name + suffix;
      String type = CAST_PARAMETERS.get(name);
      arguments.append(type != null ? "CAST(" + parameter + " AS " + type + ")" : parameter);
    }
    return arguments.toString();
  }

  /** storage_commit_object's arguments of one commit, each name ending in {@code suffix}. */
  private void putCommit(Map<String, Object> values, Commit commit, String suffix) {
    Outbox.Row event = commit.event();
    StoredObject o = commit.object();
    ObjectChecksum checksum = o.checksum();
    putVersion(values, o, suffix);
    values.put("inline" + suffix, Parameter.fromOrEmpty(o.inline(), byte[].class));
    values.put("tags" + suffix, Parameter.fromOrEmpty(tagsJson(o.tags()), String.class));
    values.put("lockMode" + suffix, Parameter.fromOrEmpty(lockMode(o), String.class));
    values.put("lockUntil" + suffix, Parameter.fromOrEmpty(lockUntil(o), Instant.class));
    values.put("legalHold" + suffix, Parameter.fromOrEmpty(o.legalHold(), Boolean.class));
    values.put("customerKey" + suffix, Parameter.fromOrEmpty(o.customerKey(), byte[].class));
    values.put(
        "checksumAlgorithm" + suffix,
        Parameter.fromOrEmpty(checksum == null ? null : checksum.algorithm(), String.class));
    values.put(
        "checksum" + suffix,
        Parameter.fromOrEmpty(checksum == null ? null : checksum.value(), String.class));
    values.put("eventId" + suffix, event.id());
    values.put("topic" + suffix, event.topic());
    values.put("eventKey" + suffix, event.key());
    values.put("eventType" + suffix, event.type());
    values.put("source" + suffix, event.source());
    values.put("tenant" + suffix, Parameter.fromOrEmpty(event.tenantId(), String.class));
    values.put("request" + suffix, Parameter.fromOrEmpty(event.requestId(), String.class));
    values.put("payload" + suffix, event.payload());
  }

  /**
   * Whether a failed statement was rolled back, so writing its commits again cannot write one
   * twice: PostgreSQL answered with an error (a constraint, a deadlock). A lost connection leaves
   * the outcome unknown.
   */
  static boolean rolledBack(Throwable error) {
    String state = SqlStates.of(error);
    return state != null && !state.startsWith("08");
  }

  /**
   * Whether a write failed because its bucket no longer exists (a foreign-key violation: the bucket
   * was deleted through another node after this one last read it).
   */
  public static boolean bucketGone(Throwable error) {
    return SqlStates.isForeignKeyViolation(error);
  }

  /**
   * Whether a commit failed because it would have replaced a "null" version that Object Lock
   * protects (storage_commit_object raises CL001, migration V15).
   */
  public static boolean lockedVersion(Throwable error) {
    return "CL001".equals(SqlStates.of(error));
  }

  public Mono<Long> insert(StoredObject o) {
    Map<String, Object> values = new HashMap<>();
    putVersion(values, o, "");
    values.put("latest", o.latest());
    values.put("marker", o.deleteMarker());
    return db.sql(
            """
            INSERT INTO storage_objects (bucket_id, object_key, version_id, is_latest,
              delete_marker, size, etag, content_type, user_metadata, storage_path, last_modified,
              encrypted)
            VALUES (:b, :k, :v, :latest, :marker, :size, :etag, :type, CAST(:meta AS jsonb),
              :path, :modified, :encrypted)
            """)
        .bindValues(values)
        .fetch()
        .rowsUpdated();
  }

  /**
   * A version's columns, shared by {@link #insert} and {@link #commit}; {@code suffix} ends every
   * parameter name (several versions in one statement).
   */
  private void putVersion(Map<String, Object> values, StoredObject o, String suffix) {
    values.put("b" + suffix, o.bucketId());
    values.put("k" + suffix, o.key());
    values.put("v" + suffix, o.versionId());
    values.put("size" + suffix, o.size());
    values.put("etag" + suffix, Parameter.fromOrEmpty(o.etag(), String.class));
    values.put("type" + suffix, Parameter.fromOrEmpty(o.contentType(), String.class));
    values.put("meta" + suffix, json.writeValueAsString(o.userMetadata()));
    values.put("path" + suffix, Parameter.fromOrEmpty(o.storagePath(), String.class));
    values.put("modified" + suffix, o.lastModified());
    values.put("encrypted" + suffix, o.encrypted());
  }

  private static String lockMode(StoredObject o) {
    return o.retention() == null ? null : o.retention().mode().name();
  }

  private static Instant lockUntil(StoredObject o) {
    return o.retention() == null ? null : o.retention().retainUntil();
  }

  /**
   * Replaces one version's Object Lock retention (null: none); false when there is no such version,
   * or it is a delete marker. The caller holds the key's lock and has checked the change.
   */
  public Mono<Boolean> setRetention(
      UUID bucketId, String key, String versionId, Retention retention) {
    return db.sql(
            "UPDATE storage_objects SET retention_mode = :mode, retain_until = :until"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v"
                + " AND NOT delete_marker")
        .bind(
            "mode",
            Parameter.fromOrEmpty(retention == null ? null : retention.mode().name(), String.class))
        .bind(
            "until",
            Parameter.fromOrEmpty(
                retention == null ? null : retention.retainUntil(), Instant.class))
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }

  /** Sets one version's legal hold; false when there is no such version, or it is a marker. */
  public Mono<Boolean> setLegalHold(UUID bucketId, String key, String versionId, boolean on) {
    return db.sql(
            "UPDATE storage_objects SET legal_hold = :on"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v"
                + " AND NOT delete_marker")
        .bind("on", on)
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }

  /** Tags as their column holds them: null for none. */
  private String tagsJson(Map<String, String> tags) {
    return tags == null || tags.isEmpty() ? null : json.writeValueAsString(tags);
  }

  /**
   * Records the part sizes of the key's latest version, just committed from a multipart upload: in
   * the commit's transaction, under the key's lock, so the latest version is the new one.
   */
  public Mono<Long> setLatestPartSizes(UUID bucketId, String key, List<Long> partSizes) {
    return db.sql(
            "UPDATE storage_objects SET part_sizes = :sizes"
                + " WHERE bucket_id = :b AND object_key = :k AND is_latest AND NOT delete_marker")
        .bind("sizes", partSizes.toArray(Long[]::new))
        .bind("b", bucketId)
        .bind("k", key)
        .fetch()
        .rowsUpdated();
  }

  /**
   * Replaces the tags of one version (none: {@code tags} empty); false when there is no such
   * version, or it is a delete marker.
   */
  public Mono<Boolean> setTags(
      UUID bucketId, String key, String versionId, Map<String, String> tags) {
    return db.sql(
            "UPDATE storage_objects SET tags = CAST(:t AS jsonb)"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v"
                + " AND NOT delete_marker")
        .bind("t", Parameter.fromOrEmpty(tagsJson(tags), String.class))
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }

  /** Makes the key's latest version (if any) a non-current one. */
  public Mono<Long> demoteLatest(UUID bucketId, String key) {
    return db.sql(
            "UPDATE storage_objects SET is_latest = false"
                + " WHERE bucket_id = :b AND object_key = :k AND is_latest")
        .bind("b", bucketId)
        .bind("k", key)
        .fetch()
        .rowsUpdated();
  }

  /** Makes the key's newest remaining version (if any) the latest one. */
  public Mono<Long> promoteNewest(UUID bucketId, String key) {
    return db.sql(
            """
            UPDATE storage_objects SET is_latest = true
            WHERE bucket_id = :b AND object_key = :k AND seq = (SELECT max(seq) FROM storage_objects
              WHERE bucket_id = :b AND object_key = :k)
            """)
        .bind("b", bucketId)
        .bind("k", key)
        .fetch()
        .rowsUpdated();
  }

  /** The key's latest version, which may be a delete marker. */
  public Mono<StoredObject> latest(UUID bucketId, String key) {
    return db.sql(
            "SELECT "
                + WITH_BYTES
                + " FROM storage_objects WHERE bucket_id = :b AND object_key = :k AND is_latest")
        .bind("b", bucketId)
        .bind("k", key)
        .map(this::mapWithBytes)
        .one();
  }

  /**
   * {@link #latest} outside a transaction, in one statement with the lookups of other requests that
   * arrive meanwhile (see {@link StatementBatcher}): GETs and HEADs of small objects cost a round
   * trip and a statement each otherwise, a good part of their CPU here and in PostgreSQL.
   */
  public Mono<StoredObject> latestGrouped(UUID bucketId, String key) {
    return latestLookups.submit(new LatestKey(bucketId, key)).flatMap(Mono::justOrEmpty);
  }

  /** The latest versions of several keys in one statement, in the order of {@code keys}. */
  private Flux<Optional<StoredObject>> latestOfAll(List<LatestKey> keys) {
    GenericExecuteSpec spec =
        db.sql(
            "SELECT v.ord, "
                + WITH_BYTES
                + " FROM (VALUES "
                + numberedRows(keys.size(), row -> ":b_" + row + ", :k_" + row)
                + ") AS v(ord, b, k) JOIN storage_objects"
                + " ON bucket_id = v.b AND object_key = v.k AND is_latest");
    for (int row = 0; row < keys.size(); row++) {
      spec = spec.bind("b_" + row, keys.get(row).bucketId()).bind("k_" + row, keys.get(row).key());
    }
    return inItemOrder(
            spec.map(
                    row -> Map.entry(row.get("ord", Integer.class), Optional.of(mapWithBytes(row))))
                .all(),
            keys.size(),
            row -> row,
            Optional.<StoredObject>empty())
        .flatMapMany(Flux::fromIterable);
  }

  public Mono<StoredObject> findVersion(UUID bucketId, String key, String versionId) {
    return db.sql(
            "SELECT "
                + WITH_BYTES
                + " FROM storage_objects"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v")
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .map(this::mapWithBytes)
        .one();
  }

  /** Deletes one version for good; returns it, or empty when there was none. */
  public Mono<StoredObject> deleteVersion(UUID bucketId, String key, String versionId) {
    return db.sql(
            "DELETE FROM storage_objects"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v RETURNING "
                + METADATA)
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .map(this::map)
        .one();
  }

  /**
   * Deletes one version for good unless S3 Object Lock protects it at {@code now} (a legal hold, or
   * an active retention: COMPLIANCE, or GOVERNANCE without {@code bypassGovernance}); returns it,
   * or empty when there was none or it is protected ({@link #findVersion} tells which).
   */
  public Mono<StoredObject> deleteUnlockedVersion(
      UUID bucketId, String key, String versionId, boolean bypassGovernance, Instant now) {
    return db.sql(
            """
            DELETE FROM storage_objects
            WHERE bucket_id = :b AND object_key = :k AND version_id = :v
              AND legal_hold IS NOT TRUE
              AND (retain_until IS NULL OR retain_until <= :now
                   OR (retention_mode = 'GOVERNANCE' AND :bypass))
            RETURNING\s"""
                + METADATA)
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .bind("now", now)
        .bind("bypass", bypassGovernance)
        .map(this::map)
        .one();
  }

  /** Up to {@code limit} current objects with the prefix, after {@code afterKey}, in key order. */
  public Flux<StoredObject> list(UUID bucketId, String prefix, String afterKey, int limit) {
    return db.sql(
            """
            SELECT %s FROM storage_objects
            WHERE bucket_id = :b AND is_latest AND NOT delete_marker
              AND starts_with(object_key, :prefix) AND object_key > :after
            ORDER BY object_key LIMIT :limit
            """
                .formatted(METADATA))
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map(this::map)
        .all();
  }

  /** A version with its position among its key's versions (higher is newer). */
  public record VersionRow(StoredObject object, long seq) {}

  /** The position of a version among its key's versions (higher is newer). */
  public Mono<Long> sequenceOf(UUID bucketId, String key, String versionId) {
    return db.sql(
            "SELECT seq FROM storage_objects"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v")
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .map(row -> row.get("seq", Long.class))
        .one();
  }

  /**
   * Up to {@code limit} versions and delete markers with the prefix, in key order and each key's
   * newest first, starting after version {@code beforeSeq} of {@code afterKey} (0: after all of its
   * versions).
   */
  public Flux<VersionRow> listVersions(
      UUID bucketId, String prefix, String afterKey, long beforeSeq, int limit) {
    return db.sql(
            """
            SELECT %s FROM storage_objects
            WHERE bucket_id = :b AND starts_with(object_key, :prefix)
              AND (object_key > :after OR (object_key = :after AND seq < :seq))
            ORDER BY object_key, seq DESC LIMIT :limit
            """
                .formatted(METADATA))
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("after", afterKey)
        .bind("seq", beforeSeq)
        .bind("limit", limit)
        .map(row -> new VersionRow(map(row), row.get("seq", Long.class)))
        .all();
  }

  /**
   * Which of these paths hold the bytes of an object version or a pending multipart part (for the
   * janitor): non-current versions are rows of the same table, so they count too.
   */
  public Mono<Set<String>> referencedAmong(List<String> storagePaths) {
    return db.sql(
            """
            SELECT storage_path FROM storage_objects WHERE storage_path = ANY(:p)
            UNION
            SELECT storage_path FROM storage_multipart_parts WHERE storage_path = ANY(:p)
            """)
        .bind("p", storagePaths.toArray(String[]::new))
        .map(row -> row.get("storage_path", String.class))
        .all()
        .collect(Collectors.toSet());
  }

  private StoredObject map(Readable row) {
    return toObject(row, null);
  }

  private StoredObject mapWithBytes(Readable row) {
    return toObject(row, row.get("inline_data", byte[].class));
  }

  private StoredObject toObject(Readable row, byte[] inline) {
    String meta = JsonColumns.text(row, "user_metadata");
    String tags = JsonColumns.text(row, "tags");
    Long[] partSizes = row.get("part_sizes", Long[].class);
    String lockMode = row.get("retention_mode", String.class);
    String checksumAlgorithm = row.get("checksum_algorithm", String.class);
    return new StoredObject(
        row.get("bucket_id", UUID.class),
        row.get("object_key", String.class),
        row.get("size", Long.class),
        row.get("etag", String.class),
        row.get("content_type", String.class),
        meta == null ? Map.of() : json.readValue(meta, STRINGS),
        row.get("storage_path", String.class),
        row.get("last_modified", Instant.class),
        row.get("version_id", String.class),
        Boolean.TRUE.equals(row.get("is_latest", Boolean.class)),
        Boolean.TRUE.equals(row.get("delete_marker", Boolean.class)),
        Boolean.TRUE.equals(row.get("encrypted", Boolean.class)),
        inline,
        tags == null ? Map.of() : json.readValue(tags, STRINGS),
        partSizes == null ? List.of() : Arrays.asList(partSizes),
        lockMode == null
            ? null
            : new Retention(
                RetentionMode.of(lockMode).orElseThrow(), row.get("retain_until", Instant.class)),
        row.get("legal_hold", Boolean.class),
        row.get("customer_key", byte[].class),
        checksumAlgorithm == null
            ? null
            : new ObjectChecksum(checksumAlgorithm, row.get("checksum", String.class)));
  }
}
