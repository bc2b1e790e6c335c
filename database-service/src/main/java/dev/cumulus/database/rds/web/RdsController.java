package dev.cumulus.database.rds.web;

import dev.cumulus.database.rds.application.Backups;
import dev.cumulus.database.rds.application.RdsInstances;
import dev.cumulus.database.rds.application.RdsOverview;
import dev.cumulus.database.rds.application.RdsTables;
import dev.cumulus.database.rds.application.SqlRunner;
import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.Backup;
import dev.cumulus.database.rds.domain.ColumnDefinition;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 000's "RDS-like Database Service": info, query, tables, rows, backups and metrics of a
 * managed PostgreSQL instance, plus its credentials (for psql/JDBC) and their rotation. Errors in
 * the DockSaaS envelope; PostgreSQL's as 400 with their SQLSTATE.
 */
@RestController
@RequestMapping("/api/rdsdatabase/{tenantId}/{serviceId}")
class RdsController {

  private final InstanceAccess access;
  private final RdsInstances instances;
  private final SqlRunner runner;
  private final RdsTables tables;
  private final RdsOverview overview;
  private final Backups backups;
  private final RdsProperties properties;

  RdsController(
      InstanceAccess access,
      RdsInstances instances,
      SqlRunner runner,
      RdsTables tables,
      RdsOverview overview,
      Backups backups,
      RdsProperties properties) {
    this.access = access;
    this.instances = instances;
    this.runner = runner;
    this.tables = tables;
    this.overview = overview;
    this.backups = backups;
    this.properties = properties;
  }

  @GetMapping("/info")
  Mono<JsonNode> info(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> overview.info(instance).map(info -> info(instance, info)));
  }

  private static JsonNode info(Instance instance, Map<String, Object> info) {
    ObjectNode out = SqlJson.NODES.objectNode();
    out.put("serviceId", instance.serviceId());
    out.put("name", instance.name());
    out.put("engine", "postgresql");
    out.set("version", SqlJson.json(info.get("version")));
    out.put("status", "available");
    out.set("sizeBytes", SqlJson.json(info.get("size_bytes")));
    ObjectNode connections = out.putObject("connections");
    connections.set("current", SqlJson.json(info.get("connections")));
    connections.set("max", SqlJson.json(info.get("maxConnections")));
    ObjectNode endpoint = out.putObject("endpoint");
    endpoint.set("host", SqlJson.json(info.get("host")));
    endpoint.set("port", SqlJson.json(info.get("port")));
    endpoint.set("database", SqlJson.json(info.get("database")));
    endpoint.set("username", SqlJson.json(info.get("username")));
    out.set("statementTimeoutMs", SqlJson.json(info.get("statementTimeoutMs")));
    // Beyond the seed: the plan the limits come from (null until auth-service has said) and them.
    out.set("plan", SqlJson.json(info.get("plan")));
    ObjectNode limits = out.putObject("limits");
    limits.set("connectionLimit", SqlJson.json(info.get("maxConnections")));
    limits.set("statementTimeoutMs", SqlJson.json(info.get("statementTimeoutMs")));
    limits.set("workMem", SqlJson.json(info.get("workMem")));
    limits.set("tempFileLimit", SqlJson.json(info.get("tempFileLimit")));
    limits.set("storageLimit", SqlJson.json(info.get("storageLimit")));
    // The size against the plan's storage limit (-1: none); over it the instance is read-only.
    ObjectNode storage = out.putObject("storage");
    storage.set("sizeBytes", SqlJson.json(info.get("size_bytes")));
    storage.set("limitBytes", SqlJson.json(info.get("storageLimitBytes")));
    storage.set("exceeded", SqlJson.json(info.get("storageExceeded")));
    out.put("createdAt", instance.createdAt() == null ? null : instance.createdAt().toString());
    return out;
  }

  @PostMapping("/query")
  Mono<JsonNode> query(
      @PathVariable String tenantId, @PathVariable String serviceId, @RequestBody JsonNode body) {
    String sql = text(body, "query", text(body, "sql", null));
    if (sql == null) {
      return Mono.error(ApiException.badRequest("\"query\" (the SQL statement) is required"));
    }
    List<Object> parameters = SqlJson.parameters(body.get("parameters"));
    boolean readOnly = body.path("readOnly").asBoolean(false);
    Integer maxRows = body.has("maxRows") ? body.path("maxRows").asInt() : null;
    return instance(tenantId, serviceId)
        .flatMap(
            instance -> runner.run(instance, sql, parameters, runner.options(readOnly, maxRows)))
        .map(SqlJson::result);
  }

  @GetMapping("/tables")
  Mono<JsonNode> listTables(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId)
        .flatMap(tables::list)
        .map(
            list -> {
              ObjectNode out = SqlJson.NODES.objectNode();
              ArrayNode array = out.putArray("tables");
              list.forEach(
                  t ->
                      array
                          .addObject()
                          .put("schemaName", t.schema())
                          .put("tableName", t.name())
                          .put("type", t.type())
                          .put("rowEstimate", t.rowEstimate())
                          .put("sizeBytes", t.sizeBytes()));
              out.put("count", list.size());
              return out;
            });
  }

  @PostMapping("/tables")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<JsonNode> createTable(
      @PathVariable String tenantId, @PathVariable String serviceId, @RequestBody JsonNode body) {
    String table = text(body, "tableName", null);
    if (table == null) {
      return Mono.error(ApiException.badRequest("\"tableName\" is required"));
    }
    String schema = text(body, "schemaName", "public");
    List<ColumnDefinition> columns = columns(body.get("schema"));
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.create(instance, schema, table, columns))
        .map(RdsController::details);
  }

  @GetMapping("/tables/{table}")
  Mono<JsonNode> describeTable(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @RequestParam(defaultValue = "public") String schema) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.describe(instance, schema, table))
        .map(RdsController::details);
  }

  @PostMapping("/tables/{table}/rows")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<JsonNode> insertRow(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @RequestParam(defaultValue = "public") String schema,
      @RequestBody JsonNode body) {
    if (!body.isObject()) {
      return Mono.error(ApiException.badRequest("The row must be a JSON object of column values"));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    body.properties().forEach(e -> values.put(e.getKey(), SqlJson.parameter(e.getValue())));
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.insert(instance, schema, table, values))
        .map(
            row -> {
              ObjectNode out = SqlJson.NODES.objectNode();
              out.put("tableName", table);
              out.put("rowsAffected", 1);
              out.set("row", SqlJson.object(row));
              return out;
            });
  }

  @GetMapping("/backups")
  Mono<JsonNode> listBackups(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId)
        .flatMapMany(backups::list)
        .collectList()
        .map(
            list -> {
              ObjectNode out = SqlJson.NODES.objectNode();
              ArrayNode array = out.putArray("backups");
              list.forEach(b -> array.add(backup(b)));
              out.put("count", list.size());
              return out;
            });
  }

  @PostMapping("/backups")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Mono<JsonNode> createBackup(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody(required = false) JsonNode body) {
    JsonNode retention = body == null ? null : body.get("retentionDays");
    if (retention != null && !retention.isIntegralNumber()) {
      return Mono.error(ApiException.badRequest("\"retentionDays\" must be a whole number"));
    }
    int days = retention == null ? 7 : retention.asInt();
    return instance(tenantId, serviceId)
        .flatMap(
            instance -> backups.create(instance, days, instances.credentials(instance.serviceId())))
        .map(RdsController::backup);
  }

  @GetMapping("/backups/{backupId}")
  Mono<JsonNode> getBackup(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String backupId) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> backups.find(instance, uuid(backupId)))
        .map(RdsController::backup);
  }

  /** Restores into this instance, or into {@code targetServiceId}, another of the tenant's. */
  @PostMapping("/backups/{backupId}/restore")
  Mono<JsonNode> restore(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String backupId,
      @RequestBody(required = false) JsonNode body) {
    String target = body == null ? null : text(body, "targetServiceId", null);
    return instance(tenantId, serviceId)
        .flatMap(instance -> backups.find(instance, uuid(backupId)))
        .flatMap(
            backup ->
                instance(tenantId, target == null ? serviceId : target)
                    .flatMap(
                        into ->
                            backups.restore(backup, into, instances.credentials(into.serviceId()))))
        .map(SqlJson::object);
  }

  @GetMapping("/metrics")
  Mono<JsonNode> metrics(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId).flatMap(overview::metrics).map(SqlJson::object);
  }

  /** The login for psql or JDBC, password included: only for callers allowed on the instance. */
  @GetMapping("/credentials")
  Mono<JsonNode> credentials(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> instances.credentials(instance.serviceId()))
        .map(this::credentials);
  }

  @PostMapping("/credentials/rotate")
  Mono<JsonNode> rotate(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId).flatMap(instances::rotatePassword).map(this::credentials);
  }

  private JsonNode credentials(RdsInstances.Credentials login) {
    String host = properties.endpointHost();
    int port = properties.endpointPort();
    ObjectNode out = SqlJson.NODES.objectNode();
    out.put("host", host);
    out.put("port", port);
    out.put("database", login.database());
    out.put("username", login.username());
    out.put("password", login.password());
    out.put(
        "uri",
        "postgresql://"
            + login.username()
            + ":"
            + login.password()
            + "@"
            + host
            + ":"
            + port
            + "/"
            + login.database());
    out.put("jdbcUrl", "jdbc:postgresql://" + host + ":" + port + "/" + login.database());
    return out;
  }

  private Mono<Instance> instance(String tenantId, String serviceId) {
    return access
        .require(tenantId, serviceId)
        .filter(instance -> RdsInstances.TYPE.equalsIgnoreCase(instance.serviceType()))
        .switchIfEmpty(
            Mono.error(() -> ApiException.notFound("RDS database " + serviceId + " not found")));
  }

  private static List<ColumnDefinition> columns(JsonNode schema) {
    if (schema == null || !schema.isObject() || schema.isEmpty()) {
      throw ApiException.badRequest(
          "\"schema\" must map column names to definitions, e.g. {\"id\": \"SERIAL PRIMARY KEY\"}");
    }
    List<ColumnDefinition> columns = new ArrayList<>();
    schema
        .properties()
        .forEach(
            e -> {
              JsonNode definition = e.getValue();
              if (definition.isString()) {
                columns.add(ColumnDefinition.parse(e.getKey(), definition.stringValue()));
              } else if (definition.isObject()) {
                JsonNode nullable = definition.get("nullable");
                JsonNode dflt = definition.get("default");
                columns.add(
                    ColumnDefinition.of(
                        e.getKey(),
                        text(definition, "type", null),
                        nullable == null ? null : nullable.asBoolean(),
                        definition.path("primaryKey").asBoolean(false),
                        definition.path("unique").asBoolean(false),
                        dflt == null || dflt.isNull()
                            ? null
                            : dflt.isString() ? dflt.stringValue() : dflt.toString()));
              } else {
                throw ApiException.badRequest(
                    "Column '" + e.getKey() + "': give a definition string or an object");
              }
            });
    return columns;
  }

  private static JsonNode details(RdsTables.TableDetails details) {
    ObjectNode out = SqlJson.NODES.objectNode();
    out.put("schemaName", details.schema());
    out.put("tableName", details.name());
    ArrayNode columns = out.putArray("columns");
    details
        .columns()
        .forEach(
            c ->
                columns
                    .addObject()
                    .put("name", c.name())
                    .put("type", c.type())
                    .put("nullable", c.nullable())
                    .put("default", c.defaultValue())
                    .put("primaryKey", c.primaryKey())
                    .put("unique", c.unique()));
    ArrayNode indexes = out.putArray("indexes");
    details
        .indexes()
        .forEach(
            i -> {
              ObjectNode index = indexes.addObject();
              index.put("name", i.name());
              ArrayNode names = index.putArray("columns");
              i.columns().forEach(names::add);
              index.put("unique", i.unique());
              index.put("primary", i.primary());
              index.put("definition", i.definition());
            });
    out.put("rowEstimate", details.rowEstimate());
    out.put("sizeBytes", details.sizeBytes());
    return out;
  }

  private static JsonNode backup(Backup b) {
    ObjectNode out = SqlJson.NODES.objectNode();
    out.put("backupId", b.id().toString());
    out.put("serviceId", b.serviceId());
    out.put("status", b.status());
    out.put("type", "logical");
    out.put("format", "sql.gz");
    out.put("store", b.store());
    out.put("encryption", b.encrypted() ? "AES-256-GCM" : "none");
    if (b.sizeBytes() != null) {
      out.put("sizeBytes", b.sizeBytes());
    }
    if (b.sha256() != null) {
      out.put("sha256", b.sha256());
    }
    out.put("retentionDays", b.retentionDays());
    if (b.error() != null) {
      out.put("error", b.error());
    }
    out.put("createdAt", b.createdAt().toString());
    if (b.completedAt() != null) {
      out.put("completedAt", b.completedAt().toString());
    }
    out.put("expiresAt", b.expiresAt().toString());
    return out;
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("Backup " + id + " not found");
    }
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode value = body == null ? null : body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isString()) {
      throw ApiException.badRequest("\"" + field + "\" must be a string");
    }
    return value.stringValue();
  }
}
