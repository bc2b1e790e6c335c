package dev.cumulus.storage.bucket.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.bucket.domain.BucketStats;
import dev.cumulus.storage.bucket.domain.DefaultRetention;
import dev.cumulus.storage.bucket.domain.RetentionMode;
import dev.cumulus.storage.bucket.domain.VersioningStatus;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class BucketRepository {

  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public BucketRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** Inserts the bucket; empty when the instance already has one of that name. */
  public Mono<Bucket> insert(Bucket bucket) {
    return db.sql(
            """
            INSERT INTO storage_buckets
              (id, service_id, name, versioning_status, encryption, public_access, created_at,
               object_lock)
            VALUES (:id, :service, :name, :versioning, :encryption, :public, :created, :lock)
            ON CONFLICT (service_id, name) DO NOTHING
            """)
        .bind("id", bucket.id())
        .bind("service", bucket.serviceId())
        .bind("name", bucket.name())
        .bind("versioning", bucket.versioningStatus().label())
        .bind("encryption", bucket.encryption())
        .bind("public", bucket.publicAccess())
        .bind("created", bucket.createdAt())
        .bind("lock", bucket.objectLock())
        .fetch()
        .rowsUpdated()
        .filter(n -> n == 1)
        .map(n -> bucket);
  }

  public Flux<Bucket> list(String serviceId) {
    return db.sql("SELECT * FROM storage_buckets WHERE service_id = :service ORDER BY name")
        .bind("service", serviceId)
        .map(BucketRepository::map)
        .all();
  }

  public Mono<Bucket> find(String serviceId, String name) {
    return db.sql("SELECT * FROM storage_buckets WHERE service_id = :service AND name = :name")
        .bind("service", serviceId)
        .bind("name", name)
        .map(BucketRepository::map)
        .one();
  }

  /**
   * Sets the bucket's versioning status, unless it has Object Lock and the status is not {@code
   * Enabled}; returns the rows updated (0 when refused or gone). One statement, so a concurrent
   * PutObjectLockConfiguration ({@link #setObjectLock}) sees it or is seen by it.
   */
  public Mono<Long> setVersioning(UUID id, VersioningStatus status) {
    return db.sql(
            "UPDATE storage_buckets SET versioning_status = :status"
                + " WHERE id = :id AND (NOT object_lock OR :status = 'Enabled')")
        .bind("status", status.label())
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /**
   * Turns Object Lock on (for good) with {@code rule} as the default retention (null: none), if the
   * bucket's versioning is enabled; returns the rows updated (0 when it is not, or the bucket is
   * gone).
   */
  public Mono<Long> setObjectLock(UUID id, DefaultRetention rule) {
    return db.sql(
            """
            UPDATE storage_buckets SET object_lock = true, lock_default_mode = :mode,
              lock_default_days = :days, lock_default_years = :years
            WHERE id = :id AND versioning_status = 'Enabled'
            """)
        .bind("mode", Parameter.fromOrEmpty(rule == null ? null : rule.mode().name(), String.class))
        .bind(
            "days",
            Parameter.fromOrEmpty(
                rule == null || rule.days() == 0 ? null : rule.days(), Integer.class))
        .bind(
            "years",
            Parameter.fromOrEmpty(
                rule == null || rule.years() == 0 ? null : rule.years(), Integer.class))
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> setEncryption(UUID id, boolean enabled) {
    return db.sql("UPDATE storage_buckets SET encryption = :enabled WHERE id = :id")
        .bind("enabled", enabled)
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /**
   * The bucket's tag set (S3 bucket tagging): empty Optional when it has none; empty Mono when
   * there is no such bucket.
   */
  public Mono<Optional<Map<String, String>>> tags(UUID id) {
    return db.sql("SELECT tags FROM storage_buckets WHERE id = :id")
        .bind("id", id)
        .map(
            row -> {
              String tags = JsonColumns.text(row, "tags");
              return tags == null
                  ? Optional.<Map<String, String>>empty()
                  : Optional.of(json.readValue(tags, STRINGS));
            })
        .one();
  }

  /** Replaces the bucket's tag set; null removes it. Returns the rows updated (0 or 1). */
  public Mono<Long> setTags(UUID id, Map<String, String> tags) {
    return db.sql("UPDATE storage_buckets SET tags = CAST(:tags AS jsonb) WHERE id = :id")
        .bind(
            "tags",
            Parameter.fromOrEmpty(
                tags == null ? null : json.writeValueAsString(tags), String.class))
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /** Every bucket of an instance, and (cascade) their objects, uploads and rules. */
  public Mono<Long> deleteAllOf(String serviceId) {
    return db.sql("DELETE FROM storage_buckets WHERE service_id = :id")
        .bind("id", serviceId)
        .fetch()
        .rowsUpdated();
  }

  /**
   * Deletes the bucket if it holds no object version or delete marker (S3's rule); returns the rows
   * deleted (0 or 1).
   */
  public Mono<Long> deleteIfEmpty(UUID id) {
    return db.sql(
            "DELETE FROM storage_buckets WHERE id = :id AND NOT EXISTS"
                + " (SELECT 1 FROM storage_objects WHERE bucket_id = :id)")
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /** Current, non-deleted objects only: older versions and delete markers are not counted. */
  public Mono<BucketStats> stats(UUID bucketId) {
    return db.sql(
            "SELECT count(*) AS objects, coalesce(sum(size), 0) AS bytes FROM storage_objects"
                + " WHERE bucket_id = :id AND is_latest AND NOT delete_marker")
        .bind("id", bucketId)
        .map(row -> new BucketStats(1, number(row, "objects"), number(row, "bytes")))
        .one();
  }

  public Mono<BucketStats> usage(String serviceId) {
    return db.sql(
            """
            SELECT (SELECT count(*) FROM storage_buckets WHERE service_id = :service) AS buckets,
                   count(o.*) AS objects, coalesce(sum(o.size), 0) AS bytes
            FROM storage_objects o JOIN storage_buckets b ON b.id = o.bucket_id
            WHERE b.service_id = :service AND o.is_latest AND NOT o.delete_marker
            """)
        .bind("service", serviceId)
        .map(
            row ->
                new BucketStats(
                    number(row, "buckets"), number(row, "objects"), number(row, "bytes")))
        .one();
  }

  private static long number(Readable row, String column) {
    Number value = row.get(column, Number.class);
    return value == null ? 0 : value.longValue();
  }

  private static Bucket map(Readable row) {
    String mode = row.get("lock_default_mode", String.class);
    Integer days = row.get("lock_default_days", Integer.class);
    Integer years = row.get("lock_default_years", Integer.class);
    DefaultRetention rule =
        mode == null
            ? null
            : new DefaultRetention(
                RetentionMode.of(mode).orElseThrow(),
                days == null ? 0 : days,
                years == null ? 0 : years);
    return new Bucket(
        row.get("id", UUID.class),
        row.get("service_id", String.class),
        row.get("name", String.class),
        VersioningStatus.of(row.get("versioning_status", String.class)),
        Boolean.TRUE.equals(row.get("encryption", Boolean.class)),
        Boolean.TRUE.equals(row.get("public_access", Boolean.class)),
        row.get("created_at", Instant.class),
        Boolean.TRUE.equals(row.get("object_lock", Boolean.class)),
        rule);
  }
}
