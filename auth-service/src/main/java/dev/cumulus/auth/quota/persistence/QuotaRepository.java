package dev.cumulus.auth.quota.persistence;

import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Per-tenant quota overrides, and the counts of what a tenant holds (a read model). */
@Repository
public class QuotaRepository {

  private static final TypeReference<Map<String, Long>> LIMITS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public QuotaRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /**
   * Locks the tenant's row until the transaction ends: two concurrent creations of the same tenant
   * count one after the other, so neither can slip past a limit the other just reached.
   */
  public Mono<Void> lockTenant(String tenantId) {
    return db.sql("SELECT id FROM tenants WHERE id = :id FOR UPDATE")
        .bind("id", tenantId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Map<String, Long>> overrides(String tenantId) {
    return db.sql("SELECT quota_overrides::text AS overrides FROM tenants WHERE id = :id")
        .bind("id", tenantId)
        .map(row -> json.readValue(row.get("overrides", String.class), LIMITS))
        .one();
  }

  public Mono<Long> setOverrides(String tenantId, Map<String, Long> overrides) {
    return db.sql(
            "UPDATE tenants SET quota_overrides = CAST(:overrides AS jsonb), updated_at = now()"
                + " WHERE id = :id")
        .bind("overrides", json.writeValueAsString(overrides))
        .bind("id", tenantId)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> countInstances(String tenantId) {
    return count("SELECT count(*) FROM service_instances WHERE tenant_id = :tenant", tenantId);
  }

  /** Keys created by hand: each instance's own key comes and goes with the instance. */
  public Mono<Long> countApiKeys(String tenantId) {
    return count(
        "SELECT count(*) FROM api_keys WHERE tenant_id = :tenant AND service_id IS NULL"
            + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
        tenantId);
  }

  public Mono<Long> countAccessKeys(String tenantId) {
    return count(
        "SELECT count(*) FROM s3_credentials WHERE tenant_id = :tenant AND revoked_at IS NULL",
        tenantId);
  }

  private Mono<Long> count(String sql, String tenantId) {
    return db.sql(sql).bind("tenant", tenantId).map(row -> row.get(0, Long.class)).one();
  }
}
