package dev.cumulus.auth.apikey.persistence;

import dev.cumulus.auth.apikey.domain.ApiKey;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ApiKeyRepository {

  private static final String COLUMNS =
      "id, tenant_id, name, prefix, key_hash, scopes, service_id, created_by, created_at,"
          + " expires_at, revoked_at";

  private final DatabaseClient db;

  public ApiKeyRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<ApiKey> insert(ApiKey key) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes, service_id,"
                    + " created_by, expires_at) VALUES (:id, :tenant, :name, :prefix, :hash,"
                    + " :scopes, :service, :createdBy, :expires) RETURNING "
                    + COLUMNS)
            .bind("id", key.id())
            .bind("tenant", key.tenantId())
            .bind("name", key.name())
            .bind("prefix", key.prefix())
            .bind("hash", key.keyHash())
            .bind("scopes", key.scopes().toArray(String[]::new));
    spec = Rows.bindNullable(spec, "service", key.serviceId(), UUID.class);
    spec = Rows.bindNullable(spec, "createdBy", key.createdBy(), String.class);
    spec =
        Rows.bindNullable(
            spec,
            "expires",
            key.expiresAt() == null ? null : key.expiresAt().atOffset(ZoneOffset.UTC),
            OffsetDateTime.class);
    return spec.map(ApiKeyRepository::key).one();
  }

  public Mono<ApiKey> findByPrefix(String prefix) {
    return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE prefix = :prefix")
        .bind("prefix", prefix)
        .map(ApiKeyRepository::key)
        .one();
  }

  public Mono<ApiKey> findInTenant(String tenantId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(ApiKeyRepository::key)
        .one();
  }

  /** The tenant's keys that are not revoked, newest first. */
  public Flux<ApiKey> findActiveByTenant(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM api_keys WHERE tenant_id = :tenant AND revoked_at IS NULL"
                + " ORDER BY created_at DESC")
        .bind("tenant", tenantId)
        .map(ApiKeyRepository::key)
        .all();
  }

  public Mono<Long> revoke(UUID id) {
    return db.sql("UPDATE api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> revokeForService(UUID serviceId) {
    return db.sql(
            "UPDATE api_keys SET revoked_at = now()"
                + " WHERE service_id = :service AND revoked_at IS NULL")
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated();
  }

  private static ApiKey key(Readable row) {
    return new ApiKey(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("prefix", String.class),
        row.get("key_hash", String.class),
        Rows.strings(row, "scopes"),
        row.get("service_id", UUID.class),
        row.get("created_by", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "expires_at"),
        Rows.instant(row, "revoked_at"));
  }
}
