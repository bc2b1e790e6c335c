package dev.cumulus.storage.multipart.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.storage.bucket.domain.RetentionMode;
import dev.cumulus.storage.multipart.domain.MultipartUpload;
import dev.cumulus.storage.multipart.domain.UploadedPart;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.Retention;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class MultipartRepository {

  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public MultipartRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Long> insert(MultipartUpload upload) {
    Retention retention = upload.lock() == null ? null : upload.lock().retention();
    return db.sql(
            """
            INSERT INTO storage_multipart_uploads
              (upload_id, bucket_id, object_key, content_type, user_metadata, initiated_at,
               encrypted, tags, retention_mode, retain_until, legal_hold, customer_key,
               checksum_algorithm)
            VALUES (:id, :b, :k, :type, CAST(:meta AS jsonb), :at, :encrypted,
              CAST(:tags AS jsonb), :mode, :until, :hold, :customerKey, :checksumAlgorithm)
            """)
        .bind("id", upload.uploadId())
        .bind("b", upload.bucketId())
        .bind("k", upload.key())
        .bind("type", upload.contentType())
        .bind("meta", json.writeValueAsString(upload.userMetadata()))
        .bind("at", upload.initiatedAt())
        .bind("encrypted", upload.encrypted())
        .bind(
            "tags",
            Parameter.fromOrEmpty(
                upload.tags().isEmpty() ? null : json.writeValueAsString(upload.tags()),
                String.class))
        .bind(
            "mode",
            Parameter.fromOrEmpty(retention == null ? null : retention.mode().name(), String.class))
        .bind(
            "until",
            Parameter.fromOrEmpty(
                retention == null ? null : retention.retainUntil(), Instant.class))
        .bind(
            "hold",
            Parameter.fromOrEmpty(
                upload.lock() == null ? null : upload.lock().legalHold(), Boolean.class))
        .bind("customerKey", Parameter.fromOrEmpty(upload.customerKey(), byte[].class))
        .bind("checksumAlgorithm", Parameter.fromOrEmpty(upload.checksumAlgorithm(), String.class))
        .fetch()
        .rowsUpdated();
  }

  public Mono<MultipartUpload> find(UUID bucketId, String key, String uploadId) {
    return db.sql(
            "SELECT * FROM storage_multipart_uploads"
                + " WHERE upload_id = :id AND bucket_id = :b AND object_key = :k")
        .bind("id", uploadId)
        .bind("b", bucketId)
        .bind("k", key)
        .map(this::upload)
        .one();
  }

  /** Uploads of the bucket in (key, initiation) order, after the given key. */
  public Flux<MultipartUpload> list(UUID bucketId, String prefix, String afterKey, int limit) {
    return db.sql(
            """
            SELECT * FROM storage_multipart_uploads
            WHERE bucket_id = :b AND starts_with(object_key, :prefix) AND object_key > :after
            ORDER BY object_key, initiated_at LIMIT :limit
            """)
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map(this::upload)
        .all();
  }

  /**
   * Records a part, replacing an earlier upload of the same number.
   *
   * @return the storage path of the part it replaced, or empty
   */
  public Mono<String> putPart(String uploadId, UploadedPart part) {
    return db.sql(
            """
            WITH old AS (
              SELECT storage_path FROM storage_multipart_parts
              WHERE upload_id = :id AND part_number = :n FOR UPDATE)
            , upserted AS (
              INSERT INTO storage_multipart_parts
                (upload_id, part_number, size, etag, storage_path, last_modified, checksum)
              VALUES (:id, :n, :size, :etag, :path, :at, :checksum)
              ON CONFLICT (upload_id, part_number) DO UPDATE SET size = EXCLUDED.size,
                etag = EXCLUDED.etag, storage_path = EXCLUDED.storage_path,
                last_modified = EXCLUDED.last_modified, checksum = EXCLUDED.checksum
              RETURNING 1)
            SELECT (SELECT storage_path FROM old) AS replaced FROM upserted
            """)
        .bind("id", uploadId)
        .bind("n", part.partNumber())
        .bind("size", part.size())
        .bind("etag", part.etag())
        .bind("path", part.storagePath())
        .bind("at", part.lastModified())
        .bind("checksum", Parameter.fromOrEmpty(part.checksum(), String.class))
        .map(row -> java.util.Optional.ofNullable(row.get("replaced", String.class)))
        .one()
        .flatMap(Mono::justOrEmpty);
  }

  public Flux<UploadedPart> parts(String uploadId, int afterPart, int limit) {
    return db.sql(
            """
            SELECT * FROM storage_multipart_parts
            WHERE upload_id = :id AND part_number > :after ORDER BY part_number LIMIT :limit
            """)
        .bind("id", uploadId)
        .bind("after", afterPart)
        .bind("limit", limit)
        .map(
            row ->
                new UploadedPart(
                    row.get("part_number", Integer.class),
                    row.get("size", Long.class),
                    row.get("etag", String.class),
                    row.get("storage_path", String.class),
                    row.get("last_modified", Instant.class),
                    row.get("checksum", String.class)))
        .all();
  }

  /** Serialises Complete and Abort of one upload until the transaction ends. */
  public Mono<Boolean> lock(String uploadId) {
    return db.sql(
            "SELECT upload_id FROM storage_multipart_uploads WHERE upload_id = :id FOR UPDATE")
        .bind("id", uploadId)
        .map(row -> true)
        .one()
        .defaultIfEmpty(false);
  }

  /** Deletes the upload and its part rows (cascade). */
  public Mono<Long> delete(String uploadId) {
    return db.sql("DELETE FROM storage_multipart_uploads WHERE upload_id = :id")
        .bind("id", uploadId)
        .fetch()
        .rowsUpdated();
  }

  private MultipartUpload upload(Readable row) {
    String meta = JsonColumns.text(row, "user_metadata");
    String tags = JsonColumns.text(row, "tags");
    String mode = row.get("retention_mode", String.class);
    Boolean hold = row.get("legal_hold", Boolean.class);
    Retention retention =
        mode == null
            ? null
            : new Retention(
                RetentionMode.of(mode).orElseThrow(), row.get("retain_until", Instant.class));
    return new MultipartUpload(
        row.get("upload_id", String.class),
        row.get("bucket_id", UUID.class),
        row.get("object_key", String.class),
        row.get("content_type", String.class),
        meta == null ? Map.of() : json.readValue(meta, STRINGS),
        row.get("initiated_at", Instant.class),
        Boolean.TRUE.equals(row.get("encrypted", Boolean.class)),
        tags == null ? Map.of() : json.readValue(tags, STRINGS),
        retention == null && hold == null ? null : new ObjectLockRequest(retention, hold),
        row.get("customer_key", byte[].class),
        row.get("checksum_algorithm", String.class));
  }
}
