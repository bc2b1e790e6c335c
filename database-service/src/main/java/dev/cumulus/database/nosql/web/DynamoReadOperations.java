package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.CapacityUnits;
import dev.cumulus.database.nosql.application.Consumption;
import dev.cumulus.database.nosql.application.ItemReader;
import dev.cumulus.database.nosql.application.Page;
import dev.cumulus.database.nosql.application.ReadRequest;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.KeyCondition;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.web.CapacityMeter.Demand;
import dev.cumulus.database.nosql.web.CapacityMeter.Metered;
import dev.cumulus.platform.instance.Instance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Query and Scan, for the JSON protocol and the seed's REST API (camelCase members). */
@Component
class DynamoReadOperations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> SELECTS =
      Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

  private final ItemReader reader;
  private final CapacityMeter meter;

  DynamoReadOperations(ItemReader reader, CapacityMeter meter) {
    this.reader = reader;
    this.meter = meter;
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "Query",
            (instance, region, request) ->
                query(instance, DynamoTableOperations.tableName(request), request),
        "Scan",
            (instance, region, request) ->
                scan(instance, DynamoTableOperations.tableName(request), request));
  }

  Mono<ObjectNode> query(Instance instance, String table, JsonNode request) {
    return read(instance, table, request, true);
  }

  Mono<ObjectNode> scan(Instance instance, String table, JsonNode request) {
    return read(instance, table, request, false);
  }

  private Mono<ObjectNode> read(Instance instance, String table, JsonNode request, boolean query) {
    Expressions expressions = new Expressions(request);
    expressions.refuseLegacy("QueryFilter", "ScanFilter", "ConditionalOperator");
    BiFunction<TableSchema.KeySchema, Map<String, String>, KeyCondition> keyCondition = null;
    if (query) {
      Ast.Condition expression = expressions.condition("KeyConditionExpression");
      JsonNode legacy = Fields.object(request, "KeyConditions");
      if ((expression == null) == (legacy == null)) {
        throw DynamoException.validation(
            expression == null
                ? "Either the KeyConditions or KeyConditionExpression parameter must be specified in"
                    + " the request."
                : "Can not use both expression and non-expression parameters in the same request:"
                    + " Non-expression parameters: {KeyConditions} Expression parameters:"
                    + " {KeyConditionExpression}");
      }
      keyCondition =
          expression != null
              ? (key, types) -> KeyCondition.of(expression, key, types)
              : (key, types) -> legacyCondition(legacy, key, types);
    }
    Ast.Condition filter = expressions.condition("FilterExpression");
    List<Ast.Path> projection = expressions.projection();
    expressions.done();
    String select = Fields.text(request, "Select");
    if (select != null && !SELECTS.contains(select)) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + select
              + "' at 'select' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
    Integer segment = Fields.integer(request, "Segment");
    Integer totalSegments = Fields.integer(request, "TotalSegments");
    if ((segment == null) != (totalSegments == null)) {
      throw DynamoException.validation(
          "The TotalSegments parameter is required but was not present in the request when"
              + " Segment parameter is present");
    }
    if (totalSegments != null
        && (totalSegments < 1
            || totalSegments > 1000000
            || segment < 0
            || segment >= totalSegments)) {
      throw DynamoException.validation(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments:"
              + " Segment: "
              + segment
              + " is not less than TotalSegments: "
              + totalSegments);
    }
    ReadRequest read =
        new ReadRequest(
            table,
            Fields.text(request, "IndexName"),
            keyCondition,
            filter,
            projection,
            Fields.bool(request, "ScanIndexForward", true),
            Fields.integer(request, "Limit"),
            Fields.object(request, "ExclusiveStartKey"),
            "COUNT".equals(select),
            segment == null ? 0 : segment,
            totalSegments == null ? 1 : totalSegments);
    boolean consistent = Fields.bool(request, "ConsistentRead", false);
    String index = read.index();
    return meter.run(
        instance,
        request,
        Demand.read(table, index),
        reader
            .read(instance, read)
            .map(
                page ->
                    Metered.of(
                        render(page, "COUNT".equals(select)),
                        table,
                        Consumption.read(
                            CapacityUnits.read(page.scannedBytes(), consistent),
                            index,
                            page.globalIndex()))));
  }

  private static KeyCondition legacyCondition(
      JsonNode conditions, TableSchema.KeySchema key, Map<String, String> types) {
    Map<String, String> operators = new LinkedHashMap<>();
    Map<String, List<JsonNode>> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : conditions.properties()) {
      operators.put(e.getKey(), Fields.required(e.getValue(), "ComparisonOperator"));
      List<JsonNode> list = new ArrayList<>();
      JsonNode array = Fields.array(e.getValue(), "AttributeValueList");
      if (array != null) {
        array.forEach(list::add);
      }
      values.put(e.getKey(), list);
    }
    return KeyCondition.ofLegacy(operators, values, key, types);
  }

  private static ObjectNode render(Page page, boolean countOnly) {
    ObjectNode out = NODES.objectNode();
    if (!countOnly) {
      ArrayNode items = out.putArray("Items");
      page.items().forEach(items::add);
    }
    out.put("Count", page.count());
    out.put("ScannedCount", page.scannedCount());
    if (page.lastEvaluatedKey() != null) {
      out.set("LastEvaluatedKey", page.lastEvaluatedKey());
    }
    return out;
  }
}
