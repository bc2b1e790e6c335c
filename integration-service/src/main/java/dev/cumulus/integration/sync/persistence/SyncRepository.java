package dev.cumulus.integration.sync.persistence;

import dev.cumulus.integration.sync.domain.SyncJob;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Sync jobs and the records they copy. */
@Repository
public class SyncRepository {

  private static final String SELECT =
      "SELECT j.*, s.name FROM sync_jobs j JOIN integration_services s ON s.id = j.service_id";

  private final DatabaseClient db;

  public SyncRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * A new pending job, or the unfinished one of that source and type (triggering is idempotent).
   */
  public Mono<UUID> insertOrExisting(String tenantId, UUID serviceId, String type) {
    return db.sql(
            "INSERT INTO sync_jobs (id, tenant_id, service_id, sync_type) VALUES (:id, :t, :s, :type)"
                + " ON CONFLICT (service_id, sync_type) WHERE status IN ('pending', 'running')"
                + " DO NOTHING RETURNING id")
        .bind("id", UUID.randomUUID())
        .bind("t", tenantId)
        .bind("s", serviceId)
        .bind("type", type)
        .map(row -> row.get("id", UUID.class))
        .one()
        .switchIfEmpty(
            db.sql(
                    "SELECT id FROM sync_jobs WHERE service_id = :s AND sync_type = :type"
                        + " AND status IN ('pending', 'running')")
                .bind("s", serviceId)
                .bind("type", type)
                .map(row -> row.get("id", UUID.class))
                .one());
  }

  public Flux<SyncJob> list(String tenantId, int limit) {
    return db.sql(SELECT + " WHERE j.tenant_id = :t ORDER BY j.created_at DESC LIMIT :limit")
        .bind("t", tenantId)
        .bind("limit", limit)
        .map(SyncRepository::map)
        .all();
  }

  /** Claims due jobs (SKIP LOCKED): running, hidden from other nodes for {@code lease}. */
  public Flux<SyncJob> claim(int limit, Duration lease) {
    return db.sql(
            "WITH due AS (SELECT id FROM sync_jobs WHERE status IN ('pending', 'running')"
                + " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT :limit"
                + " FOR UPDATE SKIP LOCKED)"
                + " UPDATE sync_jobs j SET status = 'running', started_at = coalesce(j.started_at, now()),"
                + " next_attempt_at = now() + make_interval(secs => :lease)"
                + " FROM due, integration_services s WHERE j.id = due.id AND s.id = j.service_id"
                + " RETURNING j.*, s.name")
        .bind("limit", limit)
        .bind("lease", lease.toMillis() / 1000.0)
        .map(SyncRepository::map)
        .all();
  }

  /** Saves a page's progress and extends the lease. */
  public Mono<Void> progress(UUID id, int fetched, int synced, long total, Duration lease) {
    return db.sql(
            "UPDATE sync_jobs SET cursor = cursor + :fetched, records_synced = records_synced + :synced,"
                + " total = :total, attempts = 0, error = '',"
                + " next_attempt_at = now() + make_interval(secs => :lease) WHERE id = :id")
        .bind("id", id)
        .bind("fetched", fetched)
        .bind("synced", synced)
        .bind("total", (int) total)
        .bind("lease", lease.toMillis() / 1000.0)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> completed(UUID id) {
    return db.sql("UPDATE sync_jobs SET status = 'completed', finished_at = now() WHERE id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A failed page: retried at {@code retryAt}, or the job fails when {@code retryAt} is null. */
  public Mono<Void> failedPage(UUID id, String error, Instant retryAt) {
    return Rows.bindNullable(
            db.sql(
                    "UPDATE sync_jobs SET attempts = attempts + 1, error = :error,"
                        + " status = CASE WHEN CAST(:at AS timestamptz) IS NULL THEN 'failed' ELSE status END,"
                        + " finished_at = CASE WHEN CAST(:at AS timestamptz) IS NULL THEN now() END,"
                        + " next_attempt_at = coalesce(CAST(:at AS timestamptz), next_attempt_at) WHERE id = :id")
                .bind("id", id)
                .bind("error", error),
            "at",
            retryAt,
            Instant.class)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Inserts or updates one record; true when it was new or changed. */
  public Mono<Boolean> upsert(
      String tenantId, UUID serviceId, String type, String externalId, String data) {
    return db.sql(
            "INSERT INTO synced_records (tenant_id, service_id, data_type, external_id, data)"
                + " VALUES (:t, :s, :type, :ext, :data) ON CONFLICT (tenant_id, service_id, data_type,"
                + " external_id) DO UPDATE SET data = EXCLUDED.data, synced_at = now()"
                + " WHERE synced_records.data IS DISTINCT FROM EXCLUDED.data")
        .bind("t", tenantId)
        .bind("s", serviceId)
        .bind("type", type)
        .bind("ext", externalId)
        .bind("data", Json.of(data))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  public Mono<Long> countRecords(String tenantId, UUID serviceId, String type) {
    return db.sql(
            "SELECT count(*) FROM synced_records WHERE tenant_id = :t AND service_id = :s AND data_type = :type")
        .bind("t", tenantId)
        .bind("s", serviceId)
        .bind("type", type)
        .map(row -> row.get(0, Long.class))
        .one();
  }

  private static SyncJob map(Readable row) {
    return new SyncJob(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("service_id", UUID.class),
        row.get("name", String.class),
        row.get("sync_type", String.class),
        row.get("status", String.class),
        row.get("cursor", Integer.class),
        row.get("total", Integer.class),
        row.get("records_synced", Integer.class),
        row.get("attempts", Integer.class),
        row.get("error", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "started_at"),
        Rows.instant(row, "finished_at"));
  }
}
