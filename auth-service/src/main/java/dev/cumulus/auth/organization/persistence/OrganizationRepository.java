package dev.cumulus.auth.organization.persistence;

import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.organization.domain.Organization;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class OrganizationRepository {

  private static final String COLUMNS =
      "id, tenant_id, name, description, created_by_id, created_by_username, created_at,"
          + " updated_at";

  private final DatabaseClient db;

  public OrganizationRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Organization> insert(
      UUID id, String tenantId, String name, String description, Actor createdBy) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO organizations (id, tenant_id, name, description, created_by_id,"
                    + " created_by_username) VALUES (:id, :tenant, :name, :description, :userId,"
                    + " :username) RETURNING "
                    + COLUMNS)
            .bind("id", id)
            .bind("tenant", tenantId)
            .bind("name", name)
            .bind("description", description);
    spec = Rows.bindNullable(spec, "userId", createdBy.userId(), Long.class);
    spec = Rows.bindNullable(spec, "username", createdBy.username(), String.class);
    return spec.map(OrganizationRepository::organization).one();
  }

  public Mono<Organization> update(Organization organization) {
    return db.sql(
            "UPDATE organizations SET name = :name, description = :description,"
                + " updated_at = now() WHERE id = :id AND tenant_id = :tenant RETURNING "
                + COLUMNS)
        .bind("id", organization.id())
        .bind("tenant", organization.tenantId())
        .bind("name", organization.name())
        .bind("description", organization.description())
        .map(OrganizationRepository::organization)
        .one();
  }

  public Mono<Long> delete(String tenantId, UUID id) {
    return db.sql("DELETE FROM organizations WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Organization> findInTenant(String tenantId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM organizations WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(OrganizationRepository::organization)
        .one();
  }

  public Flux<Organization> findByTenant(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM organizations WHERE tenant_id = :tenant ORDER BY created_at")
        .bind("tenant", tenantId)
        .map(OrganizationRepository::organization)
        .all();
  }

  private static Organization organization(Readable row) {
    return new Organization(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("description", String.class),
        new Actor(
            row.get("created_by_id", Long.class), row.get("created_by_username", String.class)),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
