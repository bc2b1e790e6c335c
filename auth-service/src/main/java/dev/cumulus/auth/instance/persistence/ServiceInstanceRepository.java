package dev.cumulus.auth.instance.persistence;

import dev.cumulus.auth.instance.domain.ServiceInstance;
import dev.cumulus.auth.instance.domain.ServiceType;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class ServiceInstanceRepository {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, tenant_id, service_name, service_type, configuration::text AS configuration, status,"
          + " created_by, created_at";

  private final DatabaseClient db;
  private final ObjectMapper json;

  public ServiceInstanceRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<ServiceInstance> insert(ServiceInstance instance) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO service_instances (id, tenant_id, service_name, service_type,"
                    + " configuration, status, created_by) VALUES (:id, :tenant, :name, :type,"
                    + " CAST(:configuration AS jsonb), :status, :createdBy) RETURNING "
                    + COLUMNS)
            .bind("id", instance.id())
            .bind("tenant", instance.tenantId())
            .bind("name", instance.serviceName())
            .bind("type", instance.serviceType().pathSegment())
            .bind("configuration", json.writeValueAsString(instance.configuration()))
            .bind("status", instance.status());
    spec = Rows.bindNullable(spec, "createdBy", instance.createdBy(), String.class);
    return spec.map(this::instance).one();
  }

  public Mono<ServiceInstance> findInTenant(String tenantId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM service_instances WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(this::instance)
        .one();
  }

  public Flux<ServiceInstance> findByTenant(String tenantId, ServiceType type) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM service_instances WHERE tenant_id = :tenant"
            + (type == null ? "" : " AND service_type = :type")
            + " ORDER BY created_at, id";
    GenericExecuteSpec spec = db.sql(sql).bind("tenant", tenantId);
    if (type != null) {
      spec = spec.bind("type", type.pathSegment());
    }
    return spec.map(this::instance).all();
  }

  /** Moves the instance from {@code from} to {@code to}; no change in any other status. */
  public Mono<Long> updateStatus(UUID id, String from, String to) {
    return db.sql("UPDATE service_instances SET status = :to WHERE id = :id AND status = :from")
        .bind("id", id)
        .bind("from", from)
        .bind("to", to)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> delete(String tenantId, UUID id) {
    return db.sql("DELETE FROM service_instances WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .fetch()
        .rowsUpdated();
  }

  private ServiceInstance instance(Readable row) {
    return new ServiceInstance(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("service_name", String.class),
        ServiceType.parse(row.get("service_type", String.class)).orElseThrow(),
        json.readValue(row.get("configuration", String.class), MAP),
        row.get("status", String.class),
        row.get("created_by", String.class),
        Rows.instant(row, "created_at"));
  }
}
