package dev.cumulus.storage.cors.persistence;

import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.cors.domain.CorsRule;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class CorsRepository {

  private static final TypeReference<List<CorsRule>> RULES = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public CorsRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Void> save(UUID bucketId, CorsConfiguration configuration) {
    return db.sql(
            """
            INSERT INTO storage_bucket_cors (bucket_id, rules, updated_at)
            VALUES (:b, CAST(:rules AS jsonb), now())
            ON CONFLICT (bucket_id) DO UPDATE SET rules = EXCLUDED.rules, updated_at = now()
            """)
        .bind("b", bucketId)
        .bind("rules", json.writeValueAsString(configuration.rules()))
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<CorsConfiguration> find(UUID bucketId) {
    return db.sql("SELECT rules FROM storage_bucket_cors WHERE bucket_id = :b")
        .bind("b", bucketId)
        .map(row -> rules(row.get("rules", String.class)))
        .one();
  }

  /** The bucket's configuration, found by instance and bucket name in one query. */
  public Mono<CorsConfiguration> find(String serviceId, String bucket) {
    return db.sql(
            """
            SELECT c.rules FROM storage_bucket_cors c JOIN storage_buckets b ON b.id = c.bucket_id
            WHERE b.service_id = :service AND b.name = :name
            """)
        .bind("service", serviceId)
        .bind("name", bucket)
        .map(row -> rules(row.get("rules", String.class)))
        .one();
  }

  /**
   * The configurations of every live instance's bucket of this name, oldest bucket first (bucket
   * names are unique per instance only, and an unsigned preflight names no instance).
   */
  public Flux<CorsConfiguration> findByBucketName(String bucket) {
    return db.sql(
            """
            SELECT c.rules FROM storage_bucket_cors c
              JOIN storage_buckets b ON b.id = c.bucket_id
              JOIN storage_instances i ON i.service_id = b.service_id
            WHERE b.name = :name AND NOT i.deleted
            ORDER BY b.created_at, b.id
            """)
        .bind("name", bucket)
        .map(row -> rules(row.get("rules", String.class)))
        .all();
  }

  public Mono<Long> delete(UUID bucketId) {
    return db.sql("DELETE FROM storage_bucket_cors WHERE bucket_id = :b")
        .bind("b", bucketId)
        .fetch()
        .rowsUpdated();
  }

  private CorsConfiguration rules(String stored) {
    return new CorsConfiguration(json.readValue(stored, RULES));
  }
}
