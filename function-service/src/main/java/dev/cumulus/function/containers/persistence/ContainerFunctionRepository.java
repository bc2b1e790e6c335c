package dev.cumulus.function.containers.persistence;

import dev.cumulus.function.common.application.EnvironmentSealer;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.CrashLoop;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code container_functions} table. Every tenant-facing query names the tenant. */
@Repository
public class ContainerFunctionRepository {

  private static final String COLUMNS =
      "id, tenant_id, user_id, name, image, replicas, command, env, resources, stopped, status,"
          + " status_message, available_replicas, restarts, crashes, last_crash_at, restart_at,"
          + " last_exit_code, created_at, updated_at, registry_credentials";
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final EnvironmentSealer sealer;

  public ContainerFunctionRepository(
      DatabaseClient db, ObjectMapper json, EnvironmentSealer sealer) {
    this.db = db;
    this.json = json;
    this.sealer = sealer;
  }

  /** Whose environment a sealed value is. */
  private static String owner(UUID id) {
    return "container/" + id;
  }

  /** Whose registry credentials a sealed value is: not its environment's owner. */
  private static String registryOwner(UUID id) {
    return "container/" + id + "/registry";
  }

  /** Inserts a function; false when the tenant has a live one of that name. */
  public Mono<Boolean> insert(ContainerFunction f) {
    var spec =
        db.sql(
                "INSERT INTO container_functions (id, tenant_id, user_id, name, image, replicas,"
                    + " command, env, resources, status, created_at, updated_at,"
                    + " registry_credentials) VALUES (:id, :tenant, :user, :name, :image,"
                    + " :replicas, :command, :env, :resources, :status, :created, :created,"
                    + " :registry) ON CONFLICT DO NOTHING")
            .bind("id", f.id())
            .bind("tenant", f.tenantId())
            .bind("user", f.userId())
            .bind("name", f.name())
            .bind("image", f.image())
            .bind("replicas", f.replicas())
            .bind("env", sealer.seal(f.env(), owner(f.id())))
            .bind("status", f.status())
            .bind("created", f.createdAt());
    spec =
        Rows.bindNullable(
            spec, "command", f.command() == null ? null : jsonb(f.command()), Json.class);
    spec =
        Rows.bindNullable(
            spec, "resources", f.resources() == null ? null : jsonb(f.resources()), Json.class);
    RegistryCredentials registry = f.registryCredentials();
    spec =
        Rows.bindNullable(
            spec,
            "registry",
            registry == null
                ? null
                : sealer.seal(
                    Map.of("username", registry.username(), "password", registry.password()),
                    registryOwner(f.id())),
            Json.class);
    return spec.fetch().rowsUpdated().map(rows -> rows == 1);
  }

  public Mono<ContainerFunction> find(String tenantId, String name) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM container_functions WHERE tenant_id = :tenant AND name = :name"
                + " AND deleted_at IS NULL")
        .bind("tenant", tenantId)
        .bind("name", name)
        .map(this::read)
        .one();
  }

  /** A function by id, deleted or not (a job may end after its function was deleted). */
  public Mono<ContainerFunction> findById(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM container_functions WHERE id = :id")
        .bind("id", id)
        .map(this::read)
        .one();
  }

  public Flux<ContainerFunction> list(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM container_functions WHERE tenant_id = :tenant AND deleted_at IS NULL"
                + " ORDER BY created_at, name")
        .bind("tenant", tenantId)
        .map(this::read)
        .all();
  }

  /** Soft-deletes the tenant's function; false when there is none of that name. */
  public Mono<Boolean> delete(String tenantId, String name) {
    return db.sql(
            "UPDATE container_functions SET deleted_at = now(), updated_at = now()"
                + " WHERE tenant_id = :tenant AND name = :name AND deleted_at IS NULL")
        .bind("tenant", tenantId)
        .bind("name", name)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  /** Stops or starts the function; the reconciler then removes or starts its replicas. */
  public Mono<ContainerFunction> setStopped(String tenantId, String name, boolean stopped) {
    return db.sql(
            "UPDATE container_functions SET stopped = :stopped, updated_at = now(),"
                + " lease_until = NULL WHERE tenant_id = :tenant AND name = :name"
                + " AND deleted_at IS NULL RETURNING "
                + COLUMNS)
        .bind("stopped", stopped)
        .bind("tenant", tenantId)
        .bind("name", name)
        .map(this::read)
        .one();
  }

  /** Ids of every live function, of every tenant: engine containers of others are orphans. */
  public Flux<UUID> liveIds() {
    return db.sql("SELECT id FROM container_functions WHERE deleted_at IS NULL")
        .map(row -> row.get("id", UUID.class))
        .all();
  }

  /**
   * Claims the live functions no other service replica reconciles now, for {@code lease}: of
   * several replicas exactly one acts on a function's containers.
   */
  public Flux<ContainerFunction> claim(String owner, Duration lease) {
    return db.sql(
            "UPDATE container_functions SET lease_owner = :owner, lease_until = now() + :lease"
                + " WHERE id IN (SELECT id FROM container_functions WHERE deleted_at IS NULL AND"
                + " (lease_until IS NULL OR lease_until < now() OR lease_owner = :owner)"
                + " FOR UPDATE SKIP LOCKED) RETURNING "
                + COLUMNS)
        .bind("owner", owner)
        .bind("lease", io.r2dbc.postgresql.codec.Interval.of(lease))
        .map(this::read)
        .all();
  }

  /** Records what the engine showed of a live function, and its replicas' crash back-off. */
  public Mono<Void> observed(
      UUID id,
      String status,
      String message,
      int available,
      int restartsAdded,
      CrashLoop crashLoop) {
    var spec =
        db.sql(
                "UPDATE container_functions SET updated_at = CASE WHEN status <> :status"
                    + " OR available_replicas <> :available THEN now() ELSE updated_at END,"
                    + " status = :status, status_message = :message,"
                    + " available_replicas = :available, restarts = restarts + :restarts,"
                    + " crashes = :crashes, last_crash_at = :lastCrash, restart_at = :restartAt,"
                    + " last_exit_code = :exitCode WHERE id = :id AND deleted_at IS NULL")
            .bind("id", id)
            .bind("status", status)
            .bind("available", available)
            .bind("restarts", restartsAdded)
            .bind("message", message == null ? "" : message)
            .bind("crashes", crashLoop.crashes());
    spec = Rows.bindNullable(spec, "lastCrash", crashLoop.lastCrashAt(), Instant.class);
    spec = Rows.bindNullable(spec, "restartAt", crashLoop.restartAt(), Instant.class);
    spec = Rows.bindNullable(spec, "exitCode", crashLoop.lastExitCode(), Integer.class);
    return spec.then();
  }

  /** Counts of live functions per tenant and status, for {@code /metrics}. */
  public Flux<Map.Entry<String, Map.Entry<String, Long>>> countsByTenantAndStatus() {
    return db.sql(
            "SELECT tenant_id, status, count(*) AS n FROM container_functions"
                + " WHERE deleted_at IS NULL GROUP BY tenant_id, status")
        .map(
            row ->
                Map.entry(
                    row.get("tenant_id", String.class),
                    Map.entry(row.get("status", String.class), row.get("n", Long.class))))
        .all();
  }

  private Json jsonb(Object value) {
    return Json.of(json.writeValueAsString(value));
  }

  private ContainerFunction read(Readable row) {
    String command = JsonColumns.text(row, "command");
    String resources = JsonColumns.text(row, "resources");
    String message = row.get("status_message", String.class);
    return new ContainerFunction(
        row.get("id", UUID.class),
        row.get("tenant_id", String.class),
        row.get("user_id", String.class),
        row.get("name", String.class),
        row.get("image", String.class),
        row.get("replicas", Integer.class),
        command == null ? null : json.readValue(command, LIST),
        sealer.open(JsonColumns.text(row, "env"), owner(row.get("id", UUID.class))),
        resources == null ? null : json.readValue(resources, Resources.class),
        Boolean.TRUE.equals(row.get("stopped", Boolean.class)),
        row.get("status", String.class),
        message == null || message.isEmpty() ? null : message,
        row.get("available_replicas", Integer.class),
        row.get("restarts", Integer.class),
        new CrashLoop(
            row.get("crashes", Integer.class),
            Rows.instant(row, "last_crash_at"),
            Rows.instant(row, "restart_at"),
            row.get("last_exit_code", Integer.class)),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"),
        registry(row));
  }

  private RegistryCredentials registry(Readable row) {
    String sealed = JsonColumns.text(row, "registry_credentials");
    if (sealed == null) {
      return null;
    }
    Map<String, String> opened = sealer.open(sealed, registryOwner(row.get("id", UUID.class)));
    return new RegistryCredentials(opened.get("username"), opened.get("password"));
  }
}
