package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.TableService;
import dev.cumulus.database.nosql.application.TableUpdate;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableRules;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable, UpdateTimeToLive,
 * DescribeTimeToLive.
 */
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
        "UpdateTable", this::update,
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

  /**
   * UpdateTable: BillingMode, ProvisionedThroughput, AttributeDefinitions, one
   * GlobalSecondaryIndexUpdates Create or Delete (plus any throughput Updates) and
   * StreamSpecification.
   */
  private Mono<ObjectNode> update(Instance instance, String region, JsonNode request) {
    String table = tableName(request);
    Map<String, String> definitions = new LinkedHashMap<>();
    JsonNode attributes = Fields.array(request, "AttributeDefinitions");
    if (attributes != null) {
      for (JsonNode definition : attributes) {
        definitions.put(
            Fields.required(definition, "AttributeName"),
            Fields.required(definition, "AttributeType"));
      }
    }
    String billing = Fields.text(request, "BillingMode");
    if (billing != null && !billing.equals("PROVISIONED") && !billing.equals("PAY_PER_REQUEST")) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + billing
              + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [PROVISIONED, PAY_PER_REQUEST]");
    }
    JsonNode throughput = Fields.object(request, "ProvisionedThroughput");
    TableSchema.Index create = null;
    String delete = null;
    Map<String, long[]> indexThroughput = new LinkedHashMap<>();
    JsonNode updates = Fields.array(request, "GlobalSecondaryIndexUpdates");
    for (JsonNode change : updates == null ? NODES.arrayNode() : updates) {
      JsonNode created = Fields.object(change, "Create");
      JsonNode deleted = Fields.object(change, "Delete");
      JsonNode updated = Fields.object(change, "Update");
      if (created != null || deleted != null) {
        if (create != null || delete != null) {
          throw new DynamoException(
              ErrorKind.BAD_REQUEST,
              "LimitExceededException",
              "Subscriber limit exceeded: Only 1 online index can be created or deleted"
                  + " simultaneously per table");
        }
        if (created != null) {
          create = TableJson.indexes(NODES.arrayNode().add(created), billing).get(0);
        } else {
          delete = Fields.required(deleted, "IndexName");
        }
      } else if (updated != null) {
        JsonNode capacity = Fields.object(updated, "ProvisionedThroughput");
        indexThroughput.put(
            Fields.required(updated, "IndexName"),
            new long[] {
              Fields.longValue(capacity, "ReadCapacityUnits", 0),
              Fields.longValue(capacity, "WriteCapacityUnits", 0)
            });
      } else {
        throw DynamoException.validation(
            "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create,"
                + " Update or Delete must be specified");
      }
    }
    TableUpdate change =
        new TableUpdate(
            definitions,
            billing,
            throughput == null ? null : Fields.longValue(throughput, "ReadCapacityUnits", 0),
            throughput == null ? null : Fields.longValue(throughput, "WriteCapacityUnits", 0),
            create,
            delete,
            indexThroughput,
            TableJson.stream(request));
    String deleting = delete;
    return tables
        .update(instance, table, change)
        .map(
            d -> {
              ObjectNode description = TableJson.describe(d, region, "UPDATING");
              if (deleting != null) {
                // DynamoDB lists a deleted GSI as DELETING in this answer only.
                ArrayNode gsis =
                    description.get("GlobalSecondaryIndexes") instanceof ArrayNode existing
                        ? existing
                        : description.putArray("GlobalSecondaryIndexes");
                gsis.addObject().put("IndexName", deleting).put("IndexStatus", "DELETING");
              }
              return wrap("TableDescription", description);
            });
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
