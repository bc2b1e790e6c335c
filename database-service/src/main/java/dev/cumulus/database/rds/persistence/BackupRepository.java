package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.domain.Backup;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** rds_backups: the dumps of every instance. */
@Repository
public class BackupRepository {

  private static final String COLUMNS =
      "backup_id, service_id, tenant_id, status, location, size_bytes, sha256, retention_days,"
          + " error, created_at, completed_at, expires_at, store, format, data_key";

  private final DatabaseClient db;

  public BackupRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Backup> insert(Backup backup) {
    return db.sql(
            "INSERT INTO rds_backups (backup_id, service_id, tenant_id, status, location,"
                + " retention_days, created_at, expires_at, store, format, data_key) VALUES (:id,"
                + " :service, :tenant, :status, :location, :retention, :created, :expires, :store,"
                + " :format, :key)")
        .bind("id", backup.id())
        .bind("service", backup.serviceId())
        .bind("tenant", backup.tenantId())
        .bind("status", backup.status())
        .bind("location", backup.location())
        .bind("retention", backup.retentionDays())
        .bind("created", backup.createdAt())
        .bind("expires", backup.expiresAt())
        .bind("store", backup.store())
        .bind("format", backup.format())
        .bind("key", backup.dataKey())
        .fetch()
        .rowsUpdated()
        .thenReturn(backup);
  }

  public Mono<Void> completed(UUID id, long size, String sha256) {
    return db.sql(
            "UPDATE rds_backups SET status = 'available', size_bytes = :size, sha256 = :sha,"
                + " completed_at = now() WHERE backup_id = :id")
        .bind("size", size)
        .bind("sha", sha256)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> failed(UUID id, String error) {
    return db.sql(
            "UPDATE rds_backups SET status = 'failed', error = :error, completed_at = now()"
                + " WHERE backup_id = :id")
        .bind("error", error)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<Backup> list(String serviceId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM rds_backups WHERE service_id = :service"
                + " ORDER BY created_at DESC")
        .bind("service", serviceId)
        .map(BackupRepository::backup)
        .all();
  }

  public Mono<Backup> find(String serviceId, UUID id) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM rds_backups WHERE service_id = :service"
                + " AND backup_id = :id")
        .bind("service", serviceId)
        .bind("id", id)
        .map(BackupRepository::backup)
        .one();
  }

  /** Backups past their retention, oldest first; locked so two nodes do not both delete one. */
  public Flux<Backup> expired(Instant now, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM rds_backups WHERE expires_at <= :now"
                + " ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED")
        .bind("now", now)
        .bind("limit", limit)
        .map(BackupRepository::backup)
        .all();
  }

  public Mono<Void> delete(UUID id) {
    return db.sql("DELETE FROM rds_backups WHERE backup_id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<Backup> deleteAll(String serviceId) {
    return db.sql("DELETE FROM rds_backups WHERE service_id = :service RETURNING " + COLUMNS)
        .bind("service", serviceId)
        .map(BackupRepository::backup)
        .all();
  }

  private static Backup backup(Readable row) {
    return new Backup(
        row.get("backup_id", UUID.class),
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("status", String.class),
        row.get("location", String.class),
        row.get("size_bytes", Long.class),
        row.get("sha256", String.class),
        row.get("retention_days", Integer.class),
        row.get("error", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "completed_at"),
        Rows.instant(row, "expires_at"),
        row.get("store", String.class),
        row.get("format", String.class),
        row.get("data_key", byte[].class));
  }
}
