package dev.cumulus.updater.container.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.container.domain.ContainerConfig;
import dev.cumulus.updater.container.domain.ContainerFilter;
import dev.cumulus.updater.container.domain.ContainerPage;
import dev.cumulus.updater.container.domain.HealthCheck;
import dev.cumulus.updater.container.domain.UpdatePolicy;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The {@code containers} table. Reads and writes of a caller are scoped to its tenant. */
@Repository
public class ContainerRepository {

  private final DatabaseClient db;
  private final ObjectMapper json;

  public ContainerRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  public Mono<Container> insert(
      String tenantId,
      String name,
      String image,
      ContainerConfig config,
      UpdatePolicy policy,
      HealthCheck health,
      Instant nextCheckAt) {
    var spec =
        db.sql(
                """
                INSERT INTO containers (tenant_id, name, image, status, config, update_policy,
                  health_check, next_check_at)
                VALUES (:tenant, :name, :image, 'starting', CAST(:config AS jsonb),
                  CAST(:policy AS jsonb), CAST(:health AS jsonb), :next)
                RETURNING *
                """)
            .bind("tenant", tenantId)
            .bind("name", name)
            .bind("image", image)
            .bind("config", json.writeValueAsString(config))
            .bind("policy", json.writeValueAsString(policy));
    spec =
        Rows.bindNullable(
            spec, "health", health == null ? null : json.writeValueAsString(health), String.class);
    spec = Rows.bindNullable(spec, "next", nextCheckAt, Instant.class);
    return spec.map(this::container).one();
  }

  public Mono<Container> find(String tenantId, long id) {
    return db.sql("SELECT * FROM containers WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(this::container)
        .one();
  }

  /** For work not bound to a request (schedules): the row whatever its tenant. */
  public Mono<Container> findAnyTenant(long id) {
    return db.sql("SELECT * FROM containers WHERE id = :id")
        .bind("id", id)
        .map(this::container)
        .one();
  }

  public Flux<Container> findAll(String tenantId, List<Long> ids) {
    return db.sql("SELECT * FROM containers WHERE tenant_id = :tenant AND id = ANY(:ids)")
        .bind("tenant", tenantId)
        .bind("ids", ids.toArray(Long[]::new))
        .map(this::container)
        .all();
  }

  public Flux<Container> usingImages(String tenantId, List<String> images) {
    return db.sql("SELECT * FROM containers WHERE tenant_id = :tenant AND image = ANY(:images)")
        .bind("tenant", tenantId)
        .bind("images", images.toArray(String[]::new))
        .map(this::container)
        .all();
  }

  public Flux<Container> allOf(String tenantId) {
    return db.sql("SELECT * FROM containers WHERE tenant_id = :tenant ORDER BY id")
        .bind("tenant", tenantId)
        .map(this::container)
        .all();
  }

  public Mono<ContainerPage> page(String tenantId, ContainerFilter filter) {
    StringBuilder where = new StringBuilder(" WHERE tenant_id = :tenant");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("tenant", tenantId);
    if (filter.status() != null) {
      where.append(" AND status = :status");
      binds.put("status", filter.status());
    }
    if (filter.name() != null) {
      where.append(" AND name ILIKE :name");
      binds.put("name", "%" + like(filter.name()) + "%");
    }
    if (filter.image() != null) {
      where.append(" AND image ILIKE :image");
      binds.put("image", "%" + like(filter.image()) + "%");
    }
    if (filter.search() != null) {
      where.append(" AND (name ILIKE :search OR image ILIKE :search)");
      binds.put("search", "%" + like(filter.search()) + "%");
    }
    if (filter.updatePolicy() != null) {
      where.append(" AND update_policy->>'policy' = :policy");
      binds.put("policy", filter.updatePolicy());
    }
    if (filter.hasUpdate() != null) {
      where.append(" AND update_available = :hasUpdate");
      binds.put("hasUpdate", filter.hasUpdate());
    }
    String column =
        ContainerFilter.SORTABLE.contains(filter.sortBy()) ? filter.sortBy() : "updated_at";
    String order = filter.ascending() ? " ASC" : " DESC";
    var items =
        bindAll(
                db.sql(
                    "SELECT * FROM containers"
                        + where
                        + " ORDER BY "
                        + column
                        + order
                        + ", id"
                        + order
                        + " LIMIT :limit OFFSET :offset"),
                binds)
            .bind("limit", filter.limit())
            .bind("offset", (long) (filter.page() - 1) * filter.limit())
            .map(this::container)
            .all()
            .collectList();
    var total =
        bindAll(db.sql("SELECT count(*) AS n FROM containers" + where), binds)
            .map(row -> row.get("n", Long.class))
            .one();
    return Mono.zip(items, total, ContainerPage::new);
  }

  public Mono<Container> started(long id, String dockerId, String digest, String status) {
    var spec =
        db.sql(
                """
                UPDATE containers SET docker_id = :docker, image_digest = :digest,
                  status = :status, updated_at = clock_timestamp()
                WHERE id = :id RETURNING *
                """)
            .bind("id", id)
            .bind("docker", dockerId)
            .bind("status", status);
    spec = Rows.bindNullable(spec, "digest", digest, String.class);
    return spec.map(this::container).one();
  }

  /** After an update: the new engine container, the image asked for and the digest it runs. */
  public Mono<Container> replaced(long id, String dockerId, String image, String digest) {
    return db.sql(
            """
            UPDATE containers SET docker_id = :docker, image = :image, image_digest = :digest,
              status = 'running', update_available = false, updated_at = clock_timestamp()
            WHERE id = :id RETURNING *
            """)
        .bind("id", id)
        .bind("docker", dockerId)
        .bind("image", image)
        .bind("digest", digest)
        .map(this::container)
        .one();
  }

  public Mono<Container> status(long id, String status) {
    return db.sql(
            "UPDATE containers SET status = :status, updated_at = clock_timestamp()"
                + " WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("status", status)
        .map(this::container)
        .one();
  }

  public Mono<Container> health(long id, String healthStatus) {
    return db.sql(
            "UPDATE containers SET health_status = :health, health_checked_at = clock_timestamp()"
                + " WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("health", healthStatus)
        .map(this::container)
        .one();
  }

  public Mono<Container> settings(
      long id, ContainerConfig config, UpdatePolicy policy, HealthCheck health, Instant next) {
    var spec =
        db.sql(
                """
                UPDATE containers SET config = CAST(:config AS jsonb),
                  update_policy = CAST(:policy AS jsonb), health_check = CAST(:health AS jsonb),
                  next_check_at = :next, updated_at = clock_timestamp()
                WHERE id = :id RETURNING *
                """)
            .bind("id", id)
            .bind("config", json.writeValueAsString(config))
            .bind("policy", json.writeValueAsString(policy));
    spec =
        Rows.bindNullable(
            spec, "health", health == null ? null : json.writeValueAsString(health), String.class);
    spec = Rows.bindNullable(spec, "next", next, Instant.class);
    return spec.map(this::container).one();
  }

  /** Records the registry's newest digest for the container's image. */
  public Mono<Container> latest(long id, String latestDigest, boolean updateAvailable) {
    return db.sql(
            """
            UPDATE containers SET latest_digest = :latest, update_available = :available
            WHERE id = :id RETURNING *
            """)
        .bind("id", id)
        .bind("latest", latestDigest)
        .bind("available", updateAvailable)
        .map(this::container)
        .one();
  }

  public Mono<Long> delete(String tenantId, long id) {
    return db.sql("DELETE FROM containers WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .fetch()
        .rowsUpdated();
  }

  /** Containers whose scheduled registry check is due, oldest first. */
  public Flux<Container> dueChecks(Instant now, int limit) {
    return db.sql(
            "SELECT * FROM containers WHERE next_check_at <= :now ORDER BY next_check_at"
                + " LIMIT :limit")
        .bind("now", now)
        .bind("limit", limit)
        .map(this::container)
        .all();
  }

  /**
   * Moves a due check to its next time if no other instance did first: a compare-and-set on the
   * row, so exactly one updater instance runs each scheduled check.
   */
  public Mono<Boolean> claimCheck(long id, Instant due, Instant next) {
    var spec =
        db.sql(
                "UPDATE containers SET next_check_at = :next"
                    + " WHERE id = :id AND next_check_at = :due")
            .bind("id", id)
            .bind("due", due);
    spec = Rows.bindNullable(spec, "next", next, Instant.class);
    return spec.fetch().rowsUpdated().map(n -> n == 1);
  }

  public Mono<Instant> nextCheck(long id) {
    return db.sql("SELECT next_check_at FROM containers WHERE id = :id")
        .bind("id", id)
        .map(row -> Rows.instant(row, "next_check_at"))
        .one();
  }

  private DatabaseClient.GenericExecuteSpec bindAll(
      DatabaseClient.GenericExecuteSpec spec, Map<String, Object> binds) {
    for (var bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec;
  }

  private static String like(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private Container container(Readable row) {
    String health = JsonColumns.text(row, "health_check");
    return new Container(
        row.get("id", Long.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("image", String.class),
        row.get("image_digest", String.class),
        row.get("docker_id", String.class),
        row.get("status", String.class),
        json.readValue(JsonColumns.text(row, "config"), ContainerConfig.class),
        json.readValue(JsonColumns.text(row, "update_policy"), UpdatePolicy.class),
        health == null ? null : json.readValue(health, HealthCheck.class),
        row.get("health_status", String.class),
        Rows.instant(row, "health_checked_at"),
        Boolean.TRUE.equals(row.get("update_available", Boolean.class)),
        row.get("latest_digest", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
