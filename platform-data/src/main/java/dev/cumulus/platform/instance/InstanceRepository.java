package dev.cumulus.platform.instance;

import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The {@code cumulus_instances} table (platform migration V2). */
public class InstanceRepository {

  private final DatabaseClient db;

  public InstanceRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Records a new instance; a repeated announcement changes nothing. */
  public Mono<Long> insert(String serviceId, String serviceType, String tenantId, String name) {
    return db.sql(
            "INSERT INTO cumulus_instances (service_id, service_type, tenant_id, name)"
                + " VALUES (:id, :type, :tenant, :name) ON CONFLICT (service_id) DO NOTHING")
        .bind("id", serviceId)
        .bind("type", serviceType)
        .bind("tenant", tenantId)
        .bind("name", name)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Instance> find(String serviceId) {
    return db.sql("SELECT * FROM cumulus_instances WHERE service_id = :id")
        .bind("id", serviceId)
        .map(InstanceRepository::map)
        .one();
  }

  /** Moves a live instance to {@code state}, with the reason of a failure (or null). */
  public Mono<Long> setState(String serviceId, String state, String failure) {
    var spec =
        db.sql(
                "UPDATE cumulus_instances SET state = :state, failure = :failure"
                    + " WHERE service_id = :id AND NOT deleted")
            .bind("id", serviceId)
            .bind("state", state);
    return Rows.bindNullable(spec, "failure", failure, String.class).fetch().rowsUpdated();
  }

  public Mono<Long> markDeleted(String serviceId) {
    return db.sql("UPDATE cumulus_instances SET deleted = true WHERE service_id = :id")
        .bind("id", serviceId)
        .fetch()
        .rowsUpdated();
  }

  private static Instance map(Readable row) {
    return new Instance(
        row.get("service_id", String.class),
        row.get("service_type", String.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("state", String.class),
        row.get("created_at", Instant.class),
        Boolean.TRUE.equals(row.get("deleted", Boolean.class)));
  }
}
