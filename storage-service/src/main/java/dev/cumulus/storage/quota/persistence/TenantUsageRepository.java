package dev.cumulus.storage.quota.persistence;

import dev.cumulus.storage.quota.domain.StorageQuota;
import dev.cumulus.storage.quota.domain.TenantUsage;
import io.r2dbc.spi.Readable;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * {@code storage_tenant_usage} (migration V10): the counts its triggers keep, and the limits they
 * check them against, as {@link dev.cumulus.storage.quota.application.TenantQuotas} last fetched
 * them.
 */
@Repository
public class TenantUsageRepository {

  private final DatabaseClient db;

  public TenantUsageRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<TenantUsage> usage(String tenantId) {
    return db.sql(
            "SELECT buckets, objects, stored_bytes FROM storage_tenant_usage WHERE tenant_id = :t")
        .bind("t", tenantId)
        .map(row -> usage(row))
        .one()
        .defaultIfEmpty(TenantUsage.NONE);
  }

  /** The tenants holding the most bytes, at most {@code limit} of them (for the gauges). */
  public Mono<Map<String, TenantUsage>> largest(int limit) {
    return db.sql(
            "SELECT tenant_id, buckets, objects, stored_bytes FROM storage_tenant_usage"
                + " ORDER BY stored_bytes DESC, tenant_id LIMIT :limit")
        .bind("limit", limit)
        .map(row -> Map.entry(row.get("tenant_id", String.class), usage(row)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * Records the limits the triggers check, only when they changed: no write (nor row lock) per
   * fetch in steady state.
   */
  public Mono<Void> saveLimits(String tenantId, StorageQuota quota) {
    return db.sql(
            """
            INSERT INTO storage_tenant_usage AS u
              (tenant_id, bucket_limit, stored_bytes_limit, max_object_bytes, limits_fetched_at)
            VALUES (:t, :buckets, :bytes, :max, now())
            ON CONFLICT (tenant_id) DO UPDATE SET bucket_limit = EXCLUDED.bucket_limit,
              stored_bytes_limit = EXCLUDED.stored_bytes_limit,
              max_object_bytes = EXCLUDED.max_object_bytes,
              limits_fetched_at = EXCLUDED.limits_fetched_at
            WHERE (u.bucket_limit, u.stored_bytes_limit, u.max_object_bytes)
              IS DISTINCT FROM (EXCLUDED.bucket_limit, EXCLUDED.stored_bytes_limit,
                EXCLUDED.max_object_bytes)
            """)
        .bind("t", tenantId)
        .bind("buckets", quota.buckets())
        .bind("bytes", quota.storedBytes())
        .bind("max", quota.maxObjectBytes())
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The limits last saved for the tenant, for when auth-service cannot answer. */
  public Mono<StorageQuota> lastKnownLimits(String tenantId) {
    return db.sql(
            "SELECT bucket_limit, stored_bytes_limit, max_object_bytes FROM storage_tenant_usage"
                + " WHERE tenant_id = :t AND limits_fetched_at IS NOT NULL")
        .bind("t", tenantId)
        .map(
            row ->
                new StorageQuota(
                    row.get("bucket_limit", Long.class),
                    row.get("stored_bytes_limit", Long.class),
                    row.get("max_object_bytes", Long.class)))
        .one();
  }

  private static TenantUsage usage(Readable row) {
    return new TenantUsage(
        row.get("buckets", Long.class),
        row.get("objects", Long.class),
        row.get("stored_bytes", Long.class));
  }
}
