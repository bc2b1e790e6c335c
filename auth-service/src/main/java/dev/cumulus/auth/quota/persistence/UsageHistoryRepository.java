package dev.cumulus.auth.quota.persistence;

import dev.cumulus.auth.quota.domain.UsageSample;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code usage_history}: one storage sample per tenant and hour. */
@Repository
public class UsageHistoryRepository {

  private final DatabaseClient db;

  public UsageHistoryRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Tenants without a sample for this hour yet. */
  public Flux<String> tenantsWithoutSample(Instant hour) {
    return db.sql(
            "SELECT t.id FROM tenants t WHERE NOT EXISTS"
                + " (SELECT 1 FROM usage_history h WHERE h.tenant_id = t.id AND h.hour = :hour)")
        .bind("hour", hour)
        .map(row -> row.get("id", String.class))
        .all();
  }

  /** Stores the sample unless one for this tenant and hour exists (another replica's): one wins. */
  public Mono<Boolean> insertIfAbsent(String tenantId, UsageSample sample) {
    return db.sql(
            "INSERT INTO usage_history (tenant_id, hour, stored_bytes, objects, buckets)"
                + " SELECT :tenant, :hour, :stored, :objects, :buckets"
                + " WHERE EXISTS (SELECT 1 FROM tenants WHERE id = :tenant)"
                + " ON CONFLICT (tenant_id, hour) DO NOTHING")
        .bind("tenant", tenantId)
        .bind("hour", sample.hour())
        .bind("stored", sample.storedBytes())
        .bind("objects", sample.objects())
        .bind("buckets", sample.buckets())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  /** The tenant's samples from {@code since} on, oldest first. */
  public Flux<UsageSample> since(String tenantId, Instant since) {
    return db.sql(
            "SELECT hour, stored_bytes, objects, buckets FROM usage_history"
                + " WHERE tenant_id = :tenant AND hour >= :since ORDER BY hour")
        .bind("tenant", tenantId)
        .bind("since", since)
        .map(
            row ->
                new UsageSample(
                    row.get("hour", OffsetDateTime.class).toInstant(),
                    row.get("stored_bytes", Long.class),
                    row.get("objects", Long.class),
                    row.get("buckets", Long.class)))
        .all();
  }

  /** Deletes samples older than {@code before}; how many went. */
  public Mono<Long> deleteBefore(Instant before) {
    return db.sql("DELETE FROM usage_history WHERE hour < :before")
        .bind("before", before)
        .fetch()
        .rowsUpdated();
  }
}
