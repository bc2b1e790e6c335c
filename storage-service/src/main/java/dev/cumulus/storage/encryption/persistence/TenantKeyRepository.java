package dev.cumulus.storage.encryption.persistence;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Tenants' data keys, as stored: wrapped by the master key. */
@Repository
public class TenantKeyRepository {

  private final DatabaseClient db;

  public TenantKeyRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<byte[]> find(String tenantId) {
    return db.sql("SELECT wrapped_key FROM storage_tenant_keys WHERE tenant_id = :t")
        .bind("t", tenantId)
        .map(row -> row.get("wrapped_key", byte[].class))
        .one();
  }

  /** Stores the key unless the tenant has one already (another writer was first). */
  public Mono<Long> insertIfAbsent(String tenantId, byte[] wrappedKey) {
    return db.sql(
            "INSERT INTO storage_tenant_keys (tenant_id, wrapped_key) VALUES (:t, :k)"
                + " ON CONFLICT (tenant_id) DO NOTHING")
        .bind("t", tenantId)
        .bind("k", wrappedKey)
        .fetch()
        .rowsUpdated();
  }
}
