package dev.cumulus.auth.audit.persistence;

import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.AuditEntry;
import dev.cumulus.auth.audit.domain.AuditQuery;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class AuditRepository {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public AuditRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Void> insert(
      String tenantId,
      Actor actor,
      AuditAction action,
      String resourceType,
      String resourceId,
      Map<String, Object> changes,
      String ip,
      String requestId) {
    var spec =
        db.sql(
                """
                INSERT INTO audit_logs (id, tenant_id, user_id, username, action, resource_type,
                                        resource_id, changes, ip_address, request_id)
                VALUES (:id, :tenant, :userId, :username, :action, :type, :resourceId,
                        CAST(:changes AS jsonb), :ip, :requestId)
                """)
            .bind("id", UUID.randomUUID())
            .bind("tenant", tenantId)
            .bind("action", action.name())
            .bind("type", resourceType)
            .bind("changes", json.writeValueAsString(changes == null ? Map.of() : changes));
    spec = Rows.bindNullable(spec, "userId", actor.userId(), Long.class);
    spec = Rows.bindNullable(spec, "username", actor.username(), String.class);
    spec = Rows.bindNullable(spec, "resourceId", resourceId, String.class);
    spec = Rows.bindNullable(spec, "ip", ip, String.class);
    spec = Rows.bindNullable(spec, "requestId", requestId, String.class);
    return spec.fetch().rowsUpdated().then();
  }

  /**
   * One page, newest first by (timestamp, id) so that entries written in the same microsecond keep
   * one order; the (tenant_id, timestamp DESC, id DESC) index (V5) serves the keyset condition and
   * the order without a sort.
   */
  public Flux<AuditEntry> find(AuditQuery query, int rows) {
    StringBuilder sql =
        new StringBuilder(
            """
            SELECT id, tenant_id, user_id, username, action, resource_type, resource_id,
                   changes::text AS changes, ip_address, "timestamp"
            FROM audit_logs WHERE tenant_id = :tenant
            """);
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("tenant", query.tenantId());
    if (query.action() != null) {
      sql.append(" AND action = :action");
      binds.put("action", query.action().name());
    }
    if (query.resourceType() != null) {
      sql.append(" AND resource_type = :type");
      binds.put("type", query.resourceType());
    }
    if (query.user() != null) {
      sql.append(" AND username ILIKE :user");
      binds.put("user", containing(query.user()));
    }
    if (query.text() != null) {
      sql.append(
          " AND (resource_id ILIKE :text OR ip_address ILIKE :text OR changes::text ILIKE :text)");
      binds.put("text", containing(query.text()));
    }
    if (query.from() != null) {
      sql.append(" AND \"timestamp\" >= :from");
      binds.put("from", query.from());
    }
    if (query.until() != null) {
      sql.append(" AND \"timestamp\" < :until");
      binds.put("until", query.until());
    }
    if (query.after() != null) {
      sql.append(" AND (\"timestamp\", id) < (:afterTime, :afterId)");
      binds.put("afterTime", query.after().timestamp());
      binds.put("afterId", query.after().id());
    }
    sql.append(" ORDER BY \"timestamp\" DESC, id DESC LIMIT :rows");
    binds.put("rows", rows);
    var spec = db.sql(sql.toString());
    for (var bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec.map(this::entry).all();
  }

  /** An ILIKE pattern matching the text anywhere, its own % and _ taken literally. */
  private static String containing(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private AuditEntry entry(Readable row) {
    return new AuditEntry(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        new Actor(row.get("user_id", Long.class), row.get("username", String.class)),
        AuditAction.valueOf(row.get("action", String.class)),
        row.get("resource_type", String.class),
        row.get("resource_id", String.class),
        json.readValue(row.get("changes", String.class), MAP),
        row.get("ip_address", String.class),
        Rows.instant(row, "timestamp"));
  }
}
