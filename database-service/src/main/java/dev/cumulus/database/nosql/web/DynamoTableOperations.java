package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.TableService;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableRules;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.instance.Instance;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTimeToLive, DescribeTimeToLive. */
@Component
class DynamoTableOperations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final TableService tables;

  DynamoTableOperations(TableService tables) {
    this.tables = tables;
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "CreateTable", this::create,
        "DescribeTable", this::describe,
        "ListTables", this::list,
        "DeleteTable", this::delete,
        "UpdateTimeToLive", this::updateTtl,
        "DescribeTimeToLive", this::describeTtl);
  }

  private Mono<ObjectNode> create(Instance instance, String region, JsonNode request) {
    TableSchema schema = TableJson.parse(request);
    return tables
        .create(instance, schema, DynamoTagOperations.tags(Fields.array(request, "Tags")))
        .map(d -> wrap("TableDescription", TableJson.describe(d, region, "ACTIVE")));
  }

  private Mono<ObjectNode> describe(Instance instance, String region, JsonNode request) {
    return tables
        .describe(instance, tableName(request))
        .map(d -> wrap("Table", TableJson.describe(d, region, "ACTIVE")));
  }

  private Mono<ObjectNode> list(Instance instance, String region, JsonNode request) {
    Integer limit = Fields.integer(request, "Limit");
    String start = Fields.text(request, "ExclusiveStartTableName");
    return tables
        .list(instance, start, limit == null ? 100 : limit)
        .map(
            page -> {
              ObjectNode out = NODES.objectNode();
              var names = out.putArray("TableNames");
              page.names().forEach(names::add);
              if (page.lastEvaluated() != null) {
                out.put("LastEvaluatedTableName", page.lastEvaluated());
              }
              return out;
            });
  }

  private Mono<ObjectNode> delete(Instance instance, String region, JsonNode request) {
    return tables
        .delete(instance, tableName(request))
        .map(d -> wrap("TableDescription", TableJson.describe(d, region, "DELETING")));
  }

  private Mono<ObjectNode> updateTtl(Instance instance, String region, JsonNode request) {
    JsonNode spec = Fields.object(request, "TimeToLiveSpecification");
    if (spec == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy"
              + " constraint: Member must not be null");
    }
    boolean enabled = Fields.bool(spec, "Enabled", false);
    String attribute = Fields.required(spec, "AttributeName");
    String table = tableName(request);
    return tables
        .schema(instance, table)
        .flatMap(
            schema -> {
              if (enabled && schema.ttlAttribute() != null) {
                throw DynamoException.validation("TimeToLive is already enabled");
              }
              if (!enabled && schema.ttlAttribute() == null) {
                throw DynamoException.validation("TimeToLive is already disabled");
              }
              return tables.updateTtl(instance, table, enabled ? attribute : null);
            })
        .map(
            updated -> {
              ObjectNode out = NODES.objectNode();
              out.putObject("TimeToLiveSpecification")
                  .put("Enabled", enabled)
                  .put("AttributeName", attribute);
              return out;
            });
  }

  private Mono<ObjectNode> describeTtl(Instance instance, String region, JsonNode request) {
    return tables
        .schema(instance, tableName(request))
        .map(
            schema -> {
              ObjectNode description = NODES.objectNode();
              description.put(
                  "TimeToLiveStatus", schema.ttlAttribute() == null ? "DISABLED" : "ENABLED");
              if (schema.ttlAttribute() != null) {
                description.put("AttributeName", schema.ttlAttribute());
              }
              return wrap("TimeToLiveDescription", description);
            });
  }

  static String tableName(JsonNode request) {
    String name = Fields.text(request, "TableName");
    TableRules.validateName(name, "tableName");
    return name;
  }

  private static ObjectNode wrap(String member, JsonNode value) {
    ObjectNode out = NODES.objectNode();
    out.set(member, value);
    return out;
  }
}
