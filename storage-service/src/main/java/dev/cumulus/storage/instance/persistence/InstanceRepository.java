package dev.cumulus.storage.instance.persistence;

import dev.cumulus.storage.instance.domain.StorageInstance;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class InstanceRepository {

  private final DatabaseClient db;

  public InstanceRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Registers the instance; a repeated announcement changes nothing. */
  public Mono<Long> insert(String serviceId, String tenantId, String name) {
    return db.sql(
            "INSERT INTO storage_instances (service_id, tenant_id, name) VALUES (:id, :tenant,"
                + " :name) ON CONFLICT (service_id) DO NOTHING")
        .bind("id", serviceId)
        .bind("tenant", tenantId)
        .bind("name", name)
        .fetch()
        .rowsUpdated();
  }

  public Mono<StorageInstance> find(String serviceId) {
    return db.sql("SELECT * FROM storage_instances WHERE service_id = :id")
        .bind("id", serviceId)
        .map(InstanceRepository::map)
        .one();
  }

  /** Marks the instance deleted and drops its buckets and objects (cascade). */
  public Mono<Long> markDeleted(String serviceId) {
    return db.sql("DELETE FROM storage_buckets WHERE service_id = :id")
        .bind("id", serviceId)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("UPDATE storage_instances SET deleted = true WHERE service_id = :id")
                .bind("id", serviceId)
                .fetch()
                .rowsUpdated());
  }

  private static StorageInstance map(Readable row) {
    return new StorageInstance(
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("created_at", Instant.class),
        Boolean.TRUE.equals(row.get("deleted", Boolean.class)));
  }
}
