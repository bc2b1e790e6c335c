package dev.cumulus.storage.cors.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.storage.common.persistence.BucketRulesTable;
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

  private final DatabaseClient db;
  private final BucketRulesTable<CorsRule> table;

  public CorsRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.table =
        new BucketRulesTable<>(
            db, json, "storage_bucket_cors", new TypeReference<List<CorsRule>>() {});
  }

  public Mono<Void> save(UUID bucketId, CorsConfiguration configuration) {
    return table.save(bucketId, configuration.rules());
  }

  public Mono<CorsConfiguration> find(UUID bucketId) {
    return table.find(bucketId).map(CorsConfiguration::new);
  }

  /** The bucket's configuration, found by instance and bucket name in one query. */
  public Mono<CorsConfiguration> find(String serviceId, String bucket) {
    return table.find(serviceId, bucket).map(CorsConfiguration::new);
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
              JOIN cumulus_instances i ON i.service_id = b.service_id
            WHERE b.name = :name AND NOT i.deleted
            ORDER BY b.created_at, b.id
            """)
        .bind("name", bucket)
        .map(row -> rules(JsonColumns.text(row, "rules")))
        .all();
  }

  public Mono<Long> delete(UUID bucketId) {
    return table.delete(bucketId);
  }

  private CorsConfiguration rules(String stored) {
    return new CorsConfiguration(table.parse(stored));
  }
}
