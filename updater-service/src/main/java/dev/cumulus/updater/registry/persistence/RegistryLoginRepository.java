package dev.cumulus.updater.registry.persistence;

import dev.cumulus.platform.db.Rows;
import dev.cumulus.updater.registry.domain.RegistryLogin;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code registry_logins} table: one login per tenant and registry. */
@Repository
public class RegistryLoginRepository {

  /** A stored login with its sealed password. */
  public record Stored(RegistryLogin login, byte[] sealedPassword) {}

  /** What {@link #save} did: whether the tenant had no login for the registry before. */
  public record Saved(RegistryLogin login, boolean created) {}

  private final DatabaseClient db;

  public RegistryLoginRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts or replaces the tenant's login; {@code id} is the new one's (sealed to it). */
  public Mono<Saved> save(
      String id, String tenantId, String registry, String username, byte[] sealedPassword) {
    // xmax = 0 only for a row this statement inserted: tells a create from a replace.
    return db.sql(
            """
            INSERT INTO registry_logins (id, tenant_id, registry, username, password_sealed)
            VALUES (:id, :tenant, :registry, :username, :sealed)
            ON CONFLICT (tenant_id, registry) DO UPDATE SET id = EXCLUDED.id,
              username = EXCLUDED.username, password_sealed = EXCLUDED.password_sealed,
              updated_at = clock_timestamp()
            RETURNING *, (xmax = 0) AS created
            """)
        .bind("id", id)
        .bind("tenant", tenantId)
        .bind("registry", registry)
        .bind("username", username)
        .bind("sealed", sealedPassword)
        .map(row -> new Saved(login(row), Boolean.TRUE.equals(row.get("created", Boolean.class))))
        .one();
  }

  public Mono<Stored> find(String tenantId, String registry) {
    return db.sql(
            "SELECT * FROM registry_logins WHERE tenant_id = :tenant AND registry = :registry")
        .bind("tenant", tenantId)
        .bind("registry", registry)
        .map(row -> new Stored(login(row), row.get("password_sealed", byte[].class)))
        .one();
  }

  public Flux<RegistryLogin> all(String tenantId) {
    return db.sql("SELECT * FROM registry_logins WHERE tenant_id = :tenant ORDER BY registry")
        .bind("tenant", tenantId)
        .map(this::login)
        .all();
  }

  /** Emits whether there was a login to delete. */
  public Mono<Boolean> delete(String tenantId, String registry) {
    return db.sql("DELETE FROM registry_logins WHERE tenant_id = :tenant AND registry = :registry")
        .bind("tenant", tenantId)
        .bind("registry", registry)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  private RegistryLogin login(Readable row) {
    return new RegistryLogin(
        row.get("id", String.class),
        row.get("tenant_id", String.class),
        row.get("registry", String.class),
        row.get("username", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
