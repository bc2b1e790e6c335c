package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.domain.PlanLimits;
import dev.cumulus.database.rds.domain.RdsInstance;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** rds_instances: which database and role serve an instance. */
@Repository
public class RdsInstanceRepository {

  private final DatabaseClient db;

  public RdsInstanceRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts the instance's row unless it exists (a redelivered event); the row now stored. */
  public Mono<RdsInstance> insertIfAbsent(RdsInstance instance) {
    GenericExecuteSpec insert =
        db.sql(
                """
            INSERT INTO rds_instances (service_id, tenant_id, database_name, role_name,
                                       password_sealed, plan, connection_limit,
                                       statement_timeout_ms, work_mem, temp_file_limit,
                                       storage_limit)
            VALUES (:service, :tenant, :database, :role, :sealed, :plan, :connections,
                    :timeout, :workMem, :tempFiles, :storage)
            ON CONFLICT (service_id) DO NOTHING
            """)
            .bind("service", instance.serviceId())
            .bind("tenant", instance.tenantId())
            .bind("database", instance.databaseName())
            .bind("role", instance.roleName())
            .bind("sealed", instance.sealed())
            .bind("connections", instance.limits().connectionLimit())
            .bind("timeout", instance.limits().statementTimeout().toMillis())
            .bind("workMem", instance.limits().workMem())
            .bind("tempFiles", instance.limits().tempFileLimit())
            .bind("storage", instance.limits().storageLimit());
    return Rows.bindNullable(insert, "plan", instance.plan(), String.class)
        .fetch()
        .rowsUpdated()
        .then(find(instance.serviceId()));
  }

  private static final String COLUMNS =
      "service_id, tenant_id, database_name, role_name, password_sealed, plan,"
          + " connection_limit, statement_timeout_ms, work_mem, temp_file_limit, storage_limit,"
          + " storage_exceeded_at";

  public Mono<RdsInstance> find(String serviceId) {
    return db.sql("SELECT " + COLUMNS + " FROM rds_instances WHERE service_id = :service")
        .bind("service", serviceId)
        .map(RdsInstanceRepository::instance)
        .one();
  }

  /** The tenant's instances. */
  public Flux<RdsInstance> ofTenant(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM rds_instances WHERE tenant_id = :tenant ORDER BY service_id")
        .bind("tenant", tenantId)
        .map(RdsInstanceRepository::instance)
        .all();
  }

  /**
   * Claims up to {@code limit} instances whose size was not checked within {@code interval}: marks
   * them checked now and returns them. Replicas claiming at once skip each other's rows ({@code
   * SKIP LOCKED}), so each instance is measured by one node per interval.
   */
  public Flux<RdsInstance> claimStorageChecks(Duration interval, int limit) {
    return db.sql(
            """
            UPDATE rds_instances SET storage_checked_at = now()
            WHERE service_id IN (
              SELECT service_id FROM rds_instances
              WHERE storage_checked_at IS NULL
                 OR storage_checked_at <= now() - make_interval(secs => :seconds)
              ORDER BY storage_checked_at NULLS FIRST
              LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING
            """
                + " "
                + COLUMNS)
        .bind("seconds", interval.toMillis() / 1000.0)
        .bind("limit", limit)
        .map(RdsInstanceRepository::instance)
        .all();
  }

  /** The size just measured and whether the instance is over its storage limit now. */
  public Mono<Void> recordSize(String serviceId, long sizeBytes, boolean exceeded) {
    return db.sql(
            """
            UPDATE rds_instances SET size_bytes = :size,
                   storage_exceeded_at = CASE WHEN :exceeded
                       THEN coalesce(storage_exceeded_at, now()) END
            WHERE service_id = :service
            """)
        .bind("size", sizeBytes)
        .bind("exceeded", exceeded)
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> updatePassword(String serviceId, byte[] sealed) {
    return db.sql(
            "UPDATE rds_instances SET password_sealed = :sealed, password_rotated_at = now()"
                + " WHERE service_id = :service")
        .bind("sealed", sealed)
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The plan and limits now set on the instance's role. */
  public Mono<Void> updateLimits(String serviceId, String plan, PlanLimits limits) {
    return db.sql(
            """
            UPDATE rds_instances SET plan = :plan, connection_limit = :connections,
                   statement_timeout_ms = :timeout, work_mem = :workMem,
                   temp_file_limit = :tempFiles, storage_limit = :storage,
                   limits_applied_at = now()
            WHERE service_id = :service
            """)
        .bind("plan", plan)
        .bind("connections", limits.connectionLimit())
        .bind("timeout", limits.statementTimeout().toMillis())
        .bind("workMem", limits.workMem())
        .bind("tempFiles", limits.tempFileLimit())
        .bind("storage", limits.storageLimit())
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> delete(String serviceId) {
    return db.sql("DELETE FROM rds_instances WHERE service_id = :service")
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static RdsInstance instance(Readable row) {
    return new RdsInstance(
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("database_name", String.class),
        row.get("role_name", String.class),
        row.get("password_sealed", byte[].class),
        row.get("plan", String.class),
        new PlanLimits(
            row.get("connection_limit", Integer.class),
            Duration.ofMillis(row.get("statement_timeout_ms", Long.class)),
            row.get("work_mem", String.class),
            row.get("temp_file_limit", String.class),
            row.get("storage_limit", String.class)),
        row.get("storage_exceeded_at", java.time.OffsetDateTime.class) != null);
  }
}
