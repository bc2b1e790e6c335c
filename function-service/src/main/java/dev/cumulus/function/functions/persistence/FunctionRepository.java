package dev.cumulus.function.functions.persistence;

import dev.cumulus.function.common.application.EnvironmentSealer;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code functions} and {@code function_aliases} tables. */
@Repository
public class FunctionRepository {

  /** Every column but the code itself. */
  private static final String COLUMNS =
      "service_id, tenant_id, name, version, revision, runtime, effective_runtime, handler, role,"
          + " description, timeout_seconds, memory_mb, environment, network_allowed,"
          + " reserved_concurrency, code_sha256, code_size, created_at, last_modified";

  private final DatabaseClient db;
  private final EnvironmentSealer sealer;

  public FunctionRepository(DatabaseClient db, EnvironmentSealer sealer) {
    this.db = db;
    this.sealer = sealer;
  }

  /** Whose environment a sealed value is: every version of one function. */
  private static String owner(String serviceId, String name) {
    return "function/" + serviceId + "/" + name;
  }

  /** Inserts a function version; false when it exists already. */
  public Mono<Boolean> insert(Function f, byte[] code) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO functions (service_id, tenant_id, name, version, revision, runtime,"
                    + " effective_runtime, handler, role, description, timeout_seconds, memory_mb,"
                    + " environment, network_allowed, reserved_concurrency, code, code_sha256,"
                    + " code_size, created_at, last_modified) VALUES (:service, :tenant, :name,"
                    + " :version, :revision, :runtime, :effective, :handler, :role, :description,"
                    + " :timeout, :memory, :environment, :network, :reserved, :code, :sha, :size,"
                    + " :created, :modified) ON CONFLICT DO NOTHING")
            .bind("tenant", f.tenantId())
            .bind("code", code)
            .bind("created", f.createdAt());
    return bindVersion(bindSettings(spec, f), f).fetch().rowsUpdated().map(rows -> rows == 1);
  }

  /** Replaces the configuration of a version (and its code when {@code code} is not null). */
  public Mono<Void> update(Function f, byte[] code) {
    GenericExecuteSpec spec =
        db.sql(
            "UPDATE functions SET revision = :revision, runtime = :runtime,"
                + " effective_runtime = :effective, handler = :handler, role = :role,"
                + " description = :description, timeout_seconds = :timeout, memory_mb = :memory,"
                + " environment = :environment, network_allowed = :network,"
                + " reserved_concurrency = :reserved, code_sha256 = :sha, code_size = :size,"
                + " last_modified = :modified"
                + (code == null ? "" : ", code = :code")
                + " WHERE service_id = :service AND name = :name AND version = :version");
    if (code != null) {
      spec = spec.bind("code", code);
    }
    return bindVersion(bindSettings(spec, f), f).fetch().rowsUpdated().then();
  }

  private GenericExecuteSpec bindVersion(GenericExecuteSpec spec, Function f) {
    return spec.bind("service", f.serviceId())
        .bind("name", f.name())
        .bind("version", f.version())
        .bind("revision", f.revision())
        .bind("sha", f.codeSha256())
        .bind("size", f.codeSize())
        .bind("modified", f.lastModified());
  }

  private GenericExecuteSpec bindSettings(GenericExecuteSpec spec, Function f) {
    spec =
        spec.bind("runtime", f.runtime())
            .bind("effective", f.effectiveRuntime())
            .bind("handler", f.handler())
            .bind("description", f.description())
            .bind("timeout", f.timeoutSeconds())
            .bind("memory", f.memoryMb())
            .bind("environment", sealer.seal(f.environment(), owner(f.serviceId(), f.name())))
            .bind("network", f.networkAllowed());
    spec = Rows.bindNullable(spec, "role", f.role(), String.class);
    return Rows.bindNullable(spec, "reserved", f.reservedConcurrency(), Integer.class);
  }

  public Mono<Function> find(String serviceId, String name, String version) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM functions WHERE service_id = :service AND name = :name"
                + " AND version = :version")
        .bind("service", serviceId)
        .bind("name", name)
        .bind("version", version)
        .map(this::map)
        .one();
  }

  /** The $LATEST versions of an instance's functions, by name. */
  public Flux<Function> list(String serviceId, String version) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM functions WHERE service_id = :service AND version = :version"
                + " ORDER BY name")
        .bind("service", serviceId)
        .bind("version", version)
        .map(this::map)
        .all();
  }

  /** The published versions of a function, in order. */
  public Flux<Function> versions(String serviceId, String name) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM functions WHERE service_id = :service AND name = :name"
                + " ORDER BY (version = '$LATEST') DESC, length(version), version")
        .bind("service", serviceId)
        .bind("name", name)
        .map(this::map)
        .all();
  }

  /** The highest published version number (0 when none). */
  public Mono<Integer> lastVersion(String serviceId, String name) {
    return db.sql(
            "SELECT coalesce(max(version::int), 0) AS v FROM functions WHERE service_id = :service"
                + " AND name = :name AND version <> '$LATEST'")
        .bind("service", serviceId)
        .bind("name", name)
        .map(row -> row.get("v", Integer.class))
        .one();
  }

  public Mono<byte[]> code(String serviceId, String name, String version) {
    return db.sql(
            "SELECT code FROM functions WHERE service_id = :service AND name = :name"
                + " AND version = :version")
        .bind("service", serviceId)
        .bind("name", name)
        .bind("version", version)
        .map(row -> row.get("code", byte[].class))
        .one();
  }

  /** Deletes a function with all its versions and aliases; false when there was none. */
  public Mono<Boolean> delete(String serviceId, String name) {
    return db.sql(
            "DELETE FROM function_aliases WHERE service_id = :service AND function_name = :name")
        .bind("service", serviceId)
        .bind("name", name)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("DELETE FROM functions WHERE service_id = :service AND name = :name")
                .bind("service", serviceId)
                .bind("name", name)
                .fetch()
                .rowsUpdated())
        .map(rows -> rows > 0);
  }

  public Mono<Void> deleteAll(String serviceId) {
    return db.sql("DELETE FROM function_aliases WHERE service_id = :service")
        .bind("service", serviceId)
        .then()
        .then(
            db.sql("DELETE FROM functions WHERE service_id = :service")
                .bind("service", serviceId)
                .then());
  }

  /** Creates or moves an alias; its version must exist (checked by the caller). */
  public Mono<Void> putAlias(
      String serviceId, String functionName, String alias, String version, String description) {
    return db.sql(
            "INSERT INTO function_aliases (service_id, function_name, name, version, description,"
                + " revision) VALUES (:service, :function, :alias, :version, :description,"
                + " gen_random_uuid()) ON CONFLICT (service_id, function_name, name) DO UPDATE SET"
                + " version = excluded.version, description = excluded.description,"
                + " revision = excluded.revision")
        .bind("service", serviceId)
        .bind("function", functionName)
        .bind("alias", alias)
        .bind("version", version)
        .bind("description", description)
        .then();
  }

  /** The version an alias names. */
  public Mono<String> aliasVersion(String serviceId, String functionName, String alias) {
    return db.sql(
            "SELECT version FROM function_aliases WHERE service_id = :service"
                + " AND function_name = :function AND name = :alias")
        .bind("service", serviceId)
        .bind("function", functionName)
        .bind("alias", alias)
        .map(row -> row.get("version", String.class))
        .one();
  }

  /** Aliases of a function: name to version. */
  public Flux<Map.Entry<String, String>> aliases(String serviceId, String functionName) {
    return db.sql(
            "SELECT name, version FROM function_aliases WHERE service_id = :service"
                + " AND function_name = :function ORDER BY name")
        .bind("service", serviceId)
        .bind("function", functionName)
        .map(row -> Map.entry(row.get("name", String.class), row.get("version", String.class)))
        .all();
  }

  private Function map(Readable row) {
    return new Function(
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("name", String.class),
        row.get("version", String.class),
        row.get("revision", UUID.class),
        row.get("runtime", String.class),
        row.get("effective_runtime", String.class),
        row.get("handler", String.class),
        row.get("role", String.class),
        row.get("description", String.class),
        row.get("timeout_seconds", Integer.class),
        row.get("memory_mb", Integer.class),
        sealer.open(
            JsonColumns.text(row, "environment"),
            owner(row.get("service_id", String.class), row.get("name", String.class))),
        Boolean.TRUE.equals(row.get("network_allowed", Boolean.class)),
        row.get("reserved_concurrency", Integer.class),
        row.get("code_sha256", String.class),
        row.get("code_size", Long.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "last_modified"));
  }
}
