package dev.cumulus.storage.lifecycle.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.storage.common.persistence.BucketRulesTable;
import dev.cumulus.storage.lifecycle.domain.LifecycleConfiguration;
import dev.cumulus.storage.lifecycle.domain.LifecycleRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Lifecycle configurations, the worker's bucket leases, and the worker's paged scans of what is
 * due. Every scan is bounded by {@code limit} and resumes after a cursor, so no pass ever holds a
 * whole bucket.
 */
@Repository
public class LifecycleRepository {

  private static final TypeReference<java.util.Map<String, String>> TAGS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final BucketRulesTable<LifecycleRule> table;

  public LifecycleRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
    this.table =
        new BucketRulesTable<>(
            db, json, "storage_bucket_lifecycle", new TypeReference<List<LifecycleRule>>() {});
  }

  public Mono<Void> save(UUID bucketId, LifecycleConfiguration configuration) {
    return table.save(bucketId, configuration.rules());
  }

  public Mono<LifecycleConfiguration> find(UUID bucketId) {
    return table.find(bucketId).map(LifecycleConfiguration::new);
  }

  /** The rules of an instance's bucket, by name (one query on the object request path). */
  public Mono<LifecycleConfiguration> find(String serviceId, String bucket) {
    return table.find(serviceId, bucket).map(LifecycleConfiguration::new);
  }

  public Mono<Long> delete(UUID bucketId) {
    return table.delete(bucketId);
  }

  /**
   * A bucket with lifecycle rules, with what the worker needs to act as its instance.
   *
   * @param configuration null when the stored rules cannot be read (that bucket fails alone)
   */
  public record Target(
      UUID bucketId,
      String bucket,
      String serviceId,
      String tenantId,
      LifecycleConfiguration configuration) {}

  /** Up to {@code limit} buckets of live instances with rules, after {@code afterBucket}. */
  public Flux<Target> targets(UUID afterBucket, int limit) {
    return db.sql(
            """
            SELECT l.bucket_id, l.rules, b.name, b.service_id, i.tenant_id
            FROM storage_bucket_lifecycle l
              JOIN storage_buckets b ON b.id = l.bucket_id
              JOIN cumulus_instances i ON i.service_id = b.service_id
            WHERE NOT i.deleted AND l.bucket_id > :after
            ORDER BY l.bucket_id LIMIT :limit
            """)
        .bind("after", afterBucket)
        .bind("limit", limit)
        .map(
            row ->
                new Target(
                    row.get("bucket_id", UUID.class),
                    row.get("name", String.class),
                    row.get("service_id", String.class),
                    row.get("tenant_id", String.class),
                    readable(JsonColumns.text(row, "rules"))))
        .all();
  }

  /**
   * Takes the bucket for one pass unless another worker holds an unexpired lease on it (each
   * statement commits on its own: the lease is visible to every other instance at once).
   */
  public Mono<Boolean> lease(UUID bucketId, String owner, Duration duration) {
    return db.sql(
            """
            UPDATE storage_bucket_lifecycle
            SET lease_owner = :owner, lease_until = now() + make_interval(secs => :secs)
            WHERE bucket_id = :b AND (lease_until IS NULL OR lease_until < now())
            """)
        .bind("owner", owner)
        .bind("secs", (double) duration.toSeconds())
        .bind("b", bucketId)
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  public Mono<Void> release(UUID bucketId, String owner) {
    return db.sql(
            """
            UPDATE storage_bucket_lifecycle SET lease_until = NULL, last_run_at = now()
            WHERE bucket_id = :b AND lease_owner = :owner
            """)
        .bind("b", bucketId)
        .bind("owner", owner)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * The rule's filter beyond the prefix, on a version row: its size strictly within the bounds and
   * its tags containing every tag of the filter (bound as {@code :above}, {@code :below}, {@code
   * :tags}).
   */
  private static final String FILTER =
      " size > :above AND size < :below"
          + " AND COALESCE(tags, '{}'::jsonb) @> CAST(:tags AS jsonb) ";

  private DatabaseClient.GenericExecuteSpec filter(
      DatabaseClient.GenericExecuteSpec spec, LifecycleRule rule) {
    return spec.bind("prefix", rule.prefix())
        .bind("above", rule.sizeAbove())
        .bind("below", rule.sizeBelow())
        .bind("tags", json.writeValueAsString(rule.tagMap()));
  }

  /**
   * Current (non-marker) versions the rule's filter selects (prefix, tags, size) last modified
   * before the cutoff.
   */
  public Flux<String> expiredCurrentKeys(
      UUID bucketId, LifecycleRule rule, Instant cutoff, String afterKey, int limit) {
    return filter(
            db.sql(
                """
                SELECT object_key FROM storage_objects
                WHERE bucket_id = :b AND is_latest AND NOT delete_marker
                  AND starts_with(object_key, :prefix) AND object_key > :after
                  AND last_modified < :cutoff AND"""
                    + FILTER
                    + "ORDER BY object_key LIMIT :limit"),
            rule)
        .bind("b", bucketId)
        .bind("after", afterKey)
        .bind("cutoff", cutoff)
        .bind("limit", limit)
        .map(row -> row.get("object_key", String.class))
        .all();
  }

  /** What a tag or size filter looks at in a version. */
  public record SizeAndTags(long size, java.util.Map<String, String> tags) {}

  /** The current (non-marker) version's size and tags, for x-amz-expiration under such rules. */
  public Mono<SizeAndTags> currentSizeAndTags(String serviceId, String bucket, String key) {
    return db.sql(
            """
            SELECT o.size, o.tags FROM storage_objects o
              JOIN storage_buckets b ON b.id = o.bucket_id
            WHERE b.service_id = :service AND b.name = :name AND o.object_key = :k
              AND o.is_latest AND NOT o.delete_marker
            """)
        .bind("service", serviceId)
        .bind("name", bucket)
        .bind("k", key)
        .map(
            row -> {
              String tags = JsonColumns.text(row, "tags");
              return new SizeAndTags(
                  row.get("size", Long.class),
                  tags == null ? java.util.Map.of() : json.readValue(tags, TAGS));
            })
        .one();
  }

  /** A version identified for deletion. */
  public record VersionRef(String key, String versionId, long seq) {}

  /** Delete markers that are the only version left of their key (S3's expired object markers). */
  public Flux<VersionRef> loneDeleteMarkers(
      UUID bucketId, String prefix, String afterKey, int limit) {
    return db.sql(
            """
            SELECT object_key, version_id, seq FROM storage_objects m
            WHERE bucket_id = :b AND is_latest AND delete_marker
              AND starts_with(object_key, :prefix) AND object_key > :after
              AND NOT EXISTS (SELECT 1 FROM storage_objects o WHERE o.bucket_id = m.bucket_id
                AND o.object_key = m.object_key AND NOT o.is_latest)
            ORDER BY object_key LIMIT :limit
            """)
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map(this::version)
        .all();
  }

  /**
   * Keys under the prefix with a noncurrent version written before the cutoff (only those can have
   * a version that became noncurrent before it), after {@code afterKey}.
   */
  public Flux<String> noncurrentCandidateKeys(
      UUID bucketId, LifecycleRule rule, Instant cutoff, String afterKey, int limit) {
    return filter(
            db.sql(
                """
                SELECT DISTINCT object_key FROM storage_objects
                WHERE bucket_id = :b AND NOT is_latest AND last_modified < :cutoff
                  AND starts_with(object_key, :prefix) AND object_key > :after AND"""
                    + FILTER
                    + "ORDER BY object_key LIMIT :limit"),
            rule)
        .bind("b", bucketId)
        .bind("cutoff", cutoff)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map(row -> row.get("object_key", String.class))
        .all();
  }

  /**
   * The noncurrent versions (delete markers included) of these keys that became noncurrent (their
   * successor was written) before the cutoff, beyond the {@code keep} newest noncurrent versions of
   * their key, that the rule's tag and size filter selects (the kept versions are counted among all
   * versions of the key).
   */
  public Flux<VersionRef> expiredNoncurrent(
      UUID bucketId, LifecycleRule rule, List<String> keys, Instant cutoff, int keep) {
    return filter(
            db.sql(
                """
                SELECT object_key, version_id, seq FROM (
                  SELECT object_key, version_id, seq, is_latest, size, tags,
                    (legal_hold IS TRUE OR retain_until > now()) IS TRUE AS locked,
                    lag(last_modified) OVER w AS noncurrent_since,
                    row_number() OVER w - 1 AS newer
                  FROM storage_objects
                  WHERE bucket_id = :b AND object_key = ANY(:keys)
                  WINDOW w AS (PARTITION BY object_key ORDER BY seq DESC)
                ) ranked
                WHERE NOT is_latest AND noncurrent_since < :cutoff AND newer > :keep
                  AND NOT locked
                  AND starts_with(object_key, :prefix) AND"""
                    + FILTER
                    + "ORDER BY object_key, seq DESC"),
            rule)
        .bind("b", bucketId)
        .bind("keys", keys.toArray(String[]::new))
        .bind("cutoff", cutoff)
        .bind("keep", keep)
        .map(this::version)
        .all();
  }

  /** An upload identified for abortion. */
  public record UploadRef(String key, String uploadId) {}

  public Flux<UploadRef> staleUploads(
      UUID bucketId, String prefix, Instant cutoff, String afterUploadId, int limit) {
    return db.sql(
            """
            SELECT object_key, upload_id FROM storage_multipart_uploads
            WHERE bucket_id = :b AND starts_with(object_key, :prefix) AND initiated_at < :cutoff
              AND upload_id > :after
            ORDER BY upload_id LIMIT :limit
            """)
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("cutoff", cutoff)
        .bind("after", afterUploadId)
        .bind("limit", limit)
        .map(
            row ->
                new UploadRef(
                    row.get("object_key", String.class), row.get("upload_id", String.class)))
        .all();
  }

  private VersionRef version(io.r2dbc.spi.Readable row) {
    return new VersionRef(
        row.get("object_key", String.class),
        row.get("version_id", String.class),
        row.get("seq", Long.class));
  }

  private LifecycleConfiguration readable(String stored) {
    try {
      return rules(stored);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private LifecycleConfiguration rules(String stored) {
    return new LifecycleConfiguration(table.parse(stored));
  }
}
