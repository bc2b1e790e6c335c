package dev.cumulus.storage.object.persistence;

import dev.cumulus.storage.object.domain.StoredObject;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class ObjectRepository {

  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public ObjectRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /**
   * Serialises writers of one key until the transaction ends, then returns the storage path the key
   * currently points at. The advisory lock (not only a row lock) matters for a key that does not
   * exist yet: two first writers would otherwise both see no previous path and one blob would be
   * left unreferenced.
   */
  public Mono<String> lockPath(UUID bucketId, String key) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))")
        .bind("lock", bucketId + "/" + key)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    "SELECT storage_path FROM storage_objects WHERE bucket_id = :b AND object_key ="
                        + " :k FOR UPDATE")
                .bind("b", bucketId)
                .bind("k", key)
                .map(row -> row.get("storage_path", String.class))
                .one());
  }

  public Mono<Long> upsert(StoredObject o) {
    return db.sql(
            """
            INSERT INTO storage_objects (bucket_id, object_key, size, etag, content_type,
              user_metadata, storage_path, last_modified)
            VALUES (:b, :k, :size, :etag, :type, CAST(:meta AS jsonb), :path, :modified)
            ON CONFLICT (bucket_id, object_key) DO UPDATE SET size = EXCLUDED.size,
              etag = EXCLUDED.etag, content_type = EXCLUDED.content_type,
              user_metadata = EXCLUDED.user_metadata, storage_path = EXCLUDED.storage_path,
              last_modified = EXCLUDED.last_modified
            """)
        .bind("b", o.bucketId())
        .bind("k", o.key())
        .bind("size", o.size())
        .bind("etag", o.etag())
        .bind("type", o.contentType())
        .bind("meta", json.writeValueAsString(o.userMetadata()))
        .bind("path", o.storagePath())
        .bind("modified", o.lastModified())
        .fetch()
        .rowsUpdated();
  }

  public Mono<StoredObject> find(UUID bucketId, String key) {
    return db.sql("SELECT * FROM storage_objects WHERE bucket_id = :b AND object_key = :k")
        .bind("b", bucketId)
        .bind("k", key)
        .map(this::map)
        .one();
  }

  /** Up to {@code limit} objects with the prefix, after {@code afterKey}, in key order. */
  public Flux<StoredObject> list(UUID bucketId, String prefix, String afterKey, int limit) {
    return db.sql(
            """
            SELECT * FROM storage_objects
            WHERE bucket_id = :b AND starts_with(object_key, :prefix) AND object_key > :after
            ORDER BY object_key LIMIT :limit
            """)
        .bind("b", bucketId)
        .bind("prefix", prefix)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map(this::map)
        .all();
  }

  /** Deletes the row; returns the storage path it pointed at, or empty when there was none. */
  public Mono<String> delete(UUID bucketId, String key) {
    return db.sql(
            "DELETE FROM storage_objects WHERE bucket_id = :b AND object_key = :k"
                + " RETURNING storage_path")
        .bind("b", bucketId)
        .bind("k", key)
        .map(row -> row.get("storage_path", String.class))
        .one();
  }

  /** Whether any object's or pending multipart part's bytes are at this path (for the janitor). */
  public Mono<Boolean> referenced(String storagePath) {
    return db.sql(
            """
            SELECT EXISTS (SELECT 1 FROM storage_objects WHERE storage_path = :p)
                OR EXISTS (SELECT 1 FROM storage_multipart_parts WHERE storage_path = :p) AS used
            """)
        .bind("p", storagePath)
        .map(row -> Boolean.TRUE.equals(row.get("used", Boolean.class)))
        .one();
  }

  private StoredObject map(Readable row) {
    String meta = row.get("user_metadata", String.class);
    return new StoredObject(
        row.get("bucket_id", UUID.class),
        row.get("object_key", String.class),
        row.get("size", Long.class),
        row.get("etag", String.class),
        row.get("content_type", String.class),
        meta == null ? Map.of() : json.readValue(meta, STRINGS),
        row.get("storage_path", String.class),
        row.get("last_modified", Instant.class));
  }
}
