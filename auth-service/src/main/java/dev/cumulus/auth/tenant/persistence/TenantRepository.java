package dev.cumulus.auth.tenant.persistence;

import dev.cumulus.auth.tenant.domain.Plan;
import dev.cumulus.auth.tenant.domain.Tenant;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class TenantRepository {

  private static final String COLUMNS = "id, domain, name, plan, created_at, updated_at";

  private final DatabaseClient db;

  public TenantRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Tenant> findById(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id")
        .bind("id", id)
        .map(TenantRepository::tenant)
        .one();
  }

  public Mono<Tenant> findByDomain(String domain) {
    return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE domain = :domain")
        .bind("domain", domain)
        .map(TenantRepository::tenant)
        .one();
  }

  public Flux<Tenant> findAll() {
    return db.sql("SELECT " + COLUMNS + " FROM tenants ORDER BY created_at, id")
        .map(TenantRepository::tenant)
        .all();
  }

  /** Inserts the tenant; empty when one with the same id or domain exists already. */
  public Mono<Tenant> insertIfAbsent(String id, String domain, String name, Plan plan) {
    return db.sql(
            "INSERT INTO tenants (id, domain, name, plan) VALUES (:id, :domain, :name, :plan)"
                + " ON CONFLICT DO NOTHING RETURNING "
                + COLUMNS)
        .bind("id", id)
        .bind("domain", domain)
        .bind("name", name)
        .bind("plan", plan.id())
        .map(TenantRepository::tenant)
        .one();
  }

  public Mono<Tenant> update(Tenant tenant) {
    return db.sql(
            "UPDATE tenants SET domain = :domain, name = :name, plan = :plan, updated_at = now()"
                + " WHERE id = :id RETURNING "
                + COLUMNS)
        .bind("id", tenant.id())
        .bind("domain", tenant.domain())
        .bind("name", tenant.name())
        .bind("plan", tenant.plan().id())
        .map(TenantRepository::tenant)
        .one();
  }

  private static Tenant tenant(Readable row) {
    return new Tenant(
        row.get("id", String.class),
        row.get("domain", String.class),
        row.get("name", String.class),
        Plan.parse(row.get("plan", String.class)).orElseThrow(),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
