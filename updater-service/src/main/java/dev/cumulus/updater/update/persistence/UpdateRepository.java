package dev.cumulus.updater.update.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.update.domain.ClaimedUpdate;
import dev.cumulus.updater.update.domain.Update;
import dev.cumulus.updater.update.domain.UpdateFilter;
import dev.cumulus.updater.update.domain.UpdateLog;
import dev.cumulus.updater.update.domain.UpdateOptions;
import dev.cumulus.updater.update.domain.UpdatePage;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code updates} table: history, schedule queue and run leases. */
@Repository
public class UpdateRepository {

  private static final TypeReference<List<UpdateLog>> LOGS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  public UpdateRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Update> insert(Update u) {
    var spec =
        db.sql(
                """
                INSERT INTO updates (id, tenant_id, container_id, container_name, batch_id, trigger,
                  strategy, status, from_image, from_digest, to_image, options, scheduled_at, logs)
                VALUES (:id, :tenant, :container, :name, :batch, :trigger, :strategy, :status,
                  :fromImage, :fromDigest, :toImage, CAST(:options AS jsonb), :scheduledAt,
                  CAST(:logs AS jsonb))
                RETURNING *
                """)
            .bind("id", u.id())
            .bind("tenant", u.tenantId())
            .bind("container", u.containerId())
            .bind("name", u.containerName())
            .bind("trigger", u.trigger())
            .bind("strategy", u.strategy())
            .bind("status", u.status())
            .bind("toImage", u.toImage())
            .bind("options", json.writeValueAsString(u.options()))
            .bind("scheduledAt", u.scheduledAt())
            .bind("logs", json.writeValueAsString(u.logs()));
    spec = Rows.bindNullable(spec, "batch", u.batchId(), UUID.class);
    spec = Rows.bindNullable(spec, "fromImage", u.fromImage(), String.class);
    spec = Rows.bindNullable(spec, "fromDigest", u.fromDigest(), String.class);
    return spec.map(this::update)
        .one()
        .onErrorMap(
            SqlStates::isUniqueViolation,
            open ->
                ApiException.conflict(
                    "Container " + u.containerId() + " already has an update pending or running"));
  }

  public Mono<Update> find(String tenantId, UUID id) {
    return db.sql("SELECT * FROM updates WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(this::update)
        .one();
  }

  public Mono<Update> findAnyTenant(UUID id) {
    return db.sql("SELECT * FROM updates WHERE id = :id").bind("id", id).map(this::update).one();
  }

  public Mono<UpdatePage> page(String tenantId, UpdateFilter filter) {
    StringBuilder where = new StringBuilder(" WHERE tenant_id = :tenant");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("tenant", tenantId);
    if (filter.status() != null) {
      where.append(" AND status = :status");
      binds.put("status", filter.status());
    }
    if (filter.containerId() != null) {
      where.append(" AND container_id = :container");
      binds.put("container", filter.containerId());
    }
    if (filter.from() != null) {
      where.append(" AND created_at >= :from");
      binds.put("from", filter.from());
    }
    if (filter.to() != null) {
      where.append(" AND created_at <= :to");
      binds.put("to", filter.to());
    }
    var count =
        bindAll(db.sql("SELECT count(*) AS n FROM updates" + where), binds)
            .map(row -> row.get("n", Long.class))
            .one();
    var items =
        bindAll(
                db.sql(
                    "SELECT * FROM updates"
                        + where
                        + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"),
                binds)
            .bind("limit", filter.limit())
            .bind("offset", (long) (filter.page() - 1) * filter.limit())
            .map(this::update)
            .all()
            .collectList();
    return Mono.zip(items, count, UpdatePage::new);
  }

  public Flux<Update> recent(String tenantId, long containerId, int limit) {
    return db.sql(
            "SELECT * FROM updates WHERE tenant_id = :tenant AND container_id = :container"
                + " ORDER BY created_at DESC LIMIT :limit")
        .bind("tenant", tenantId)
        .bind("container", containerId)
        .bind("limit", limit)
        .map(this::update)
        .all();
  }

  /**
   * Claims due updates for this instance: pending ones whose time has come, and running ones whose
   * instance's lease ran out (it died). {@code SKIP LOCKED} lets several instances claim at once
   * without taking the same row; a container with an update running is left alone. The lease lasts
   * the update's health-check timeout (its options', else its container's policy's, else 300 s)
   * plus {@code margin}.
   */
  public Flux<ClaimedUpdate> claimDue(String owner, Instant now, Duration margin, int limit) {
    return db.sql(
            """
            UPDATE updates u SET status = 'in_progress', lease_owner = :owner,
              lease_until = CAST(:now AS timestamptz) + make_interval(secs =>
                COALESCE((u.options->>'health_check_timeout')::int,
                  (SELECT (c.update_policy->>'health_check_timeout')::int FROM containers c
                    WHERE c.id = u.container_id), 300) + :margin),
              started_at = COALESCE(u.started_at, clock_timestamp())
            WHERE u.id IN (
              SELECT d.id FROM updates d
              WHERE ((d.status = 'pending' AND d.scheduled_at <= :now)
                  OR (d.status = 'in_progress' AND d.lease_until < :now))
                AND NOT EXISTS (SELECT 1 FROM updates r WHERE r.container_id = d.container_id
                  AND r.id <> d.id AND r.status = 'in_progress' AND r.lease_until >= :now)
              ORDER BY d.scheduled_at
              LIMIT :limit
              FOR UPDATE SKIP LOCKED)
            RETURNING *
            """)
        .bind("owner", owner)
        .bind("now", now)
        .bind("margin", (double) margin.toSeconds())
        .bind("limit", limit)
        .map(row -> new ClaimedUpdate(update(row), Rows.instant(row, "lease_until")))
        .all();
  }

  public Mono<Void> log(UUID id, UpdateLog entry) {
    return db.sql("UPDATE updates SET logs = logs || CAST(:entry AS jsonb) WHERE id = :id")
        .bind("id", id)
        .bind("entry", json.writeValueAsString(List.of(entry)))
        .then();
  }

  public Mono<Void> digests(UUID id, String fromDigest, String toDigest) {
    var spec =
        db.sql("UPDATE updates SET from_digest = :from, to_digest = :to WHERE id = :id")
            .bind("id", id);
    spec = Rows.bindNullable(spec, "from", fromDigest, String.class);
    spec = Rows.bindNullable(spec, "to", toDigest, String.class);
    return spec.then();
  }

  public Mono<Update> finish(UUID id, String status, boolean success, boolean rolledBack) {
    return db.sql(
            """
            UPDATE updates SET status = :status, success = :success, rolled_back = :rolledBack,
              completed_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL
            WHERE id = :id RETURNING *
            """)
        .bind("id", id)
        .bind("status", status)
        .bind("success", success)
        .bind("rolledBack", rolledBack)
        .map(this::update)
        .one();
  }

  /** Moves an update from one status to another if it still is in the first. */
  public Mono<Update> transition(String tenantId, UUID id, String from, String to) {
    return db.sql(
            "UPDATE updates SET status = :to WHERE id = :id AND tenant_id = :tenant"
                + " AND status = :from RETURNING *")
        .bind("id", id)
        .bind("tenant", tenantId)
        .bind("from", from)
        .bind("to", to)
        .map(this::update)
        .one();
  }

  /** Whether the container has an update waiting or running (no second one is queued then). */
  public Mono<Boolean> hasOpen(long containerId) {
    return db.sql(
            "SELECT EXISTS (SELECT 1 FROM updates WHERE container_id = :container AND status IN"
                + " ('pending', 'awaiting_approval', 'in_progress')) AS open")
        .bind("container", containerId)
        .map(row -> Boolean.TRUE.equals(row.get("open", Boolean.class)))
        .one();
  }

  /** Whether an update of the container to this digest failed before (it is not retried). */
  public Mono<Boolean> failedBefore(long containerId, String digest) {
    return db.sql(
            "SELECT EXISTS (SELECT 1 FROM updates WHERE container_id = :container"
                + " AND to_digest = :digest AND status IN ('failed', 'rolled_back')) AS failed")
        .bind("container", containerId)
        .bind("digest", digest)
        .map(row -> Boolean.TRUE.equals(row.get("failed", Boolean.class)))
        .one();
  }

  private DatabaseClient.GenericExecuteSpec bindAll(
      DatabaseClient.GenericExecuteSpec spec, Map<String, Object> binds) {
    for (var bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec;
  }

  private Update update(Readable row) {
    return new Update(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("container_id", Long.class),
        row.get("container_name", String.class),
        row.get("batch_id", UUID.class),
        row.get("trigger", String.class),
        row.get("strategy", String.class),
        row.get("status", String.class),
        row.get("from_image", String.class),
        row.get("from_digest", String.class),
        row.get("to_image", String.class),
        row.get("to_digest", String.class),
        json.readValue(JsonColumns.text(row, "options"), UpdateOptions.class),
        Rows.instant(row, "scheduled_at"),
        Rows.instant(row, "started_at"),
        Rows.instant(row, "completed_at"),
        row.get("success", Boolean.class),
        Boolean.TRUE.equals(row.get("rolled_back", Boolean.class)),
        json.readValue(JsonColumns.text(row, "logs"), LOGS),
        Rows.instant(row, "created_at"));
  }
}
