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
            "SELECT buckets, objects, stored_bytes, parked_bytes FROM storage_tenant_usage"
                + " WHERE tenant_id = :t")
        .bind("t", tenantId)
        .map(row -> usage(row))
        .one()
        .defaultIfEmpty(TenantUsage.NONE);
  }

  /** The tenants holding the most bytes, at most {@code limit} of them (for the gauges). */
  public Mono<Map<String, TenantUsage>> largest(int limit) {
    return db.sql(
            "SELECT tenant_id, buckets, objects, stored_bytes, parked_bytes FROM storage_tenant_usage"
                + " ORDER BY stored_bytes DESC, tenant_id LIMIT :limit")
        .bind("limit", limit)
        .map(row -> Map.entry(row.get("tenant_id", String.class), usage(row)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * Records the limits the triggers check. In steady state nothing changes and nothing is written:
   * the UPDATE matches no row, so it neither writes nor locks (an {@code INSERT ... ON CONFLICT DO
   * UPDATE ... WHERE} would lock the row even when its condition is false, making every refresh
   * wait behind a writer committing under the tenant's row lock). A tenant without a row gets one.
   */
  public Mono<Void> saveLimits(String tenantId, StorageQuota quota) {
    return db.sql(
            """
            UPDATE storage_tenant_usage SET bucket_limit = :buckets,
              stored_bytes_limit = :bytes, max_object_bytes = :max, limits_fetched_at = now()
            WHERE tenant_id = :t AND (bucket_limit, stored_bytes_limit, max_object_bytes,
              limits_fetched_at IS NULL) IS DISTINCT FROM (:buckets, :bytes, :max, false)
            """)
        .bind("t", tenantId)
        .bind("buckets", quota.buckets())
        .bind("bytes", quota.storedBytes())
        .bind("max", quota.maxObjectBytes())
        .fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    """
                    INSERT INTO storage_tenant_usage
                      (tenant_id, bucket_limit, stored_bytes_limit, max_object_bytes,
                       limits_fetched_at)
                    VALUES (:t, :buckets, :bytes, :max, now())
                    ON CONFLICT (tenant_id) DO NOTHING
                    """)
                .bind("t", tenantId)
                .bind("buckets", quota.buckets())
                .bind("bytes", quota.storedBytes())
                .bind("max", quota.maxObjectBytes())
                .fetch()
                .rowsUpdated())
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
        row.get("stored_bytes", Long.class),
        row.get("parked_bytes", Long.class));
  }
}
