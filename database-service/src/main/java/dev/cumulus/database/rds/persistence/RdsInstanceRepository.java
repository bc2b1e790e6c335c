package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.domain.RdsInstance;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
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
    return db.sql(
            """
            INSERT INTO rds_instances (service_id, tenant_id, database_name, role_name,
                                       password_sealed)
            VALUES (:service, :tenant, :database, :role, :sealed)
            ON CONFLICT (service_id) DO NOTHING
            """)
        .bind("service", instance.serviceId())
        .bind("tenant", instance.tenantId())
        .bind("database", instance.databaseName())
        .bind("role", instance.roleName())
        .bind("sealed", instance.sealed())
        .fetch()
        .rowsUpdated()
        .then(find(instance.serviceId()));
  }

  public Mono<RdsInstance> find(String serviceId) {
    return db.sql(
            "SELECT service_id, tenant_id, database_name, role_name, password_sealed"
                + " FROM rds_instances WHERE service_id = :service")
        .bind("service", serviceId)
        .map(RdsInstanceRepository::instance)
        .one();
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
        row.get("password_sealed", byte[].class));
  }
}
