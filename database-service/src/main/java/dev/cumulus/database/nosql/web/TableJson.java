package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.TableService.TableDetails;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.StreamSetting;
import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.TableSchema.Index;
import dev.cumulus.database.nosql.domain.TableSchema.KeySchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** CreateTable's input and TableDescription's output, in DynamoDB's member names. */
final class TableJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TableJson() {}

  /** A TableSchema from a CreateTable request (DynamoDB's or the seed's member names). */
  static TableSchema parse(JsonNode request) {
    String name = Fields.text(request, "TableName");
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode definitions = Fields.array(request, "AttributeDefinitions");
    if (definitions == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy"
              + " constraint: Member must not be null");
    }
    for (JsonNode definition : definitions) {
      attributes.put(
          Fields.required(definition, "AttributeName"),
          Fields.required(definition, "AttributeType"));
    }
    String billing = Fields.text(request, "BillingMode");
    billing = billing == null ? "PROVISIONED" : billing;
    if (!billing.equals("PROVISIONED") && !billing.equals("PAY_PER_REQUEST")) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + billing
              + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [PROVISIONED, PAY_PER_REQUEST]");
    }
    JsonNode throughput = Fields.object(request, "ProvisionedThroughput");
    if (billing.equals("PAY_PER_REQUEST") && throughput != null) {
      throw DynamoException.invalidParameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is"
              + " PAY_PER_REQUEST");
    }
    TableSchema schema =
        new TableSchema(
            name,
            keySchema(Fields.array(request, "KeySchema"), "keySchema"),
            attributes,
            indexes(Fields.array(request, "GlobalSecondaryIndexes"), billing),
            indexes(Fields.array(request, "LocalSecondaryIndexes"), billing),
            billing,
            Fields.longValue(throughput, "ReadCapacityUnits", 0),
            Fields.longValue(throughput, "WriteCapacityUnits", 0),
            null,
            Instant.now(),
            null,
            null);
    StreamSetting stream = stream(request);
    return stream == null || !stream.enabled()
        ? schema
        : schema.withStream(stream.viewType(), Streams.label(schema.createdAt()));
  }

  /** A StreamSpecification (null when absent): enabled with a view type, or disabled. */
  static StreamSetting stream(JsonNode request) {
    JsonNode spec = Fields.object(request, "StreamSpecification");
    if (spec == null) {
      return null;
    }
    if (Fields.get(spec, "StreamEnabled") == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed"
              + " to satisfy constraint: Member must not be null");
    }
    boolean enabled = Fields.bool(spec, "StreamEnabled", false);
    if (!enabled) {
      return new StreamSetting(false, null);
    }
    String viewType = Fields.text(spec, "StreamViewType");
    if (viewType == null) {
      throw DynamoException.validation(
          "One or more parameter values were invalid: StreamViewType must be specified when"
              + " StreamEnabled is true");
    }
    return new StreamSetting(true, Streams.viewType(viewType));
  }

  private static KeySchema keySchema(JsonNode elements, String parameter) {
    if (elements == null || elements.isEmpty() || elements.size() > 2) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '"
              + parameter
              + "' failed to satisfy constraint: Member must have length less than or equal to 2"
              + " and greater than or equal to 1");
    }
    String hash = null;
    String range = null;
    for (int i = 0; i < elements.size(); i++) {
      JsonNode element = elements.get(i);
      String type = Fields.required(element, "KeyType");
      String attribute = Fields.required(element, "AttributeName");
      if (type.equals("HASH") && i == 0) {
        hash = attribute;
      } else if (type.equals("RANGE") && i == 1) {
        range = attribute;
      } else {
        throw DynamoException.invalidParameter(
            i == 0
                ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                : "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      }
    }
    return new KeySchema(hash, range);
  }

  /** GSIs of CreateTable, or the one of an UpdateTable's Create (a one-element array). */
  static List<Index> indexes(JsonNode array, String billing) {
    List<Index> indexes = new ArrayList<>();
    if (array == null) {
      return indexes;
    }
    for (JsonNode index : array) {
      JsonNode projection = Fields.object(index, "Projection");
      String type = projection == null ? "ALL" : Fields.text(projection, "ProjectionType");
      List<String> nonKey = new ArrayList<>();
      JsonNode include = projection == null ? null : Fields.array(projection, "NonKeyAttributes");
      if (include != null) {
        include.forEach(a -> nonKey.add(a.asString()));
      }
      JsonNode throughput = Fields.object(index, "ProvisionedThroughput");
      indexes.add(
          new Index(
              Fields.required(index, "IndexName"),
              keySchema(Fields.array(index, "KeySchema"), "keySchema"),
              type == null ? "ALL" : type,
              nonKey,
              Fields.longValue(throughput, "ReadCapacityUnits", 0),
              Fields.longValue(throughput, "WriteCapacityUnits", 0),
              Index.ACTIVE));
    }
    return indexes;
  }

  /** A TableDescription as DynamoDB answers it. */
  static ObjectNode describe(TableDetails details, String region, String status) {
    TableSchema schema = details.schema();
    ObjectNode out = NODES.objectNode();
    ArrayNode definitions = out.putArray("AttributeDefinitions");
    schema
        .attributes()
        .forEach(
            (name, type) ->
                definitions.addObject().put("AttributeName", name).put("AttributeType", type));
    out.put("TableName", schema.name());
    out.set("KeySchema", keySchema(schema.key()));
    out.put("TableStatus", status);
    out.put("CreationDateTime", schema.createdAt().toEpochMilli() / 1000.0);
    out.set("ProvisionedThroughput", throughput(schema.readCapacity(), schema.writeCapacity()));
    out.put("TableSizeBytes", details.sizeBytes());
    out.put("ItemCount", details.itemCount());
    String arn = "arn:aws:dynamodb:" + region + ":000000000000:table/" + schema.name();
    out.put("TableArn", arn);
    out.putObject("BillingModeSummary").put("BillingMode", schema.billingMode());
    if (!schema.globalIndexes().isEmpty()) {
      ArrayNode gsis = out.putArray("GlobalSecondaryIndexes");
      schema.globalIndexes().forEach(i -> gsis.add(index(i, arn, true)));
    }
    if (!schema.localIndexes().isEmpty()) {
      ArrayNode lsis = out.putArray("LocalSecondaryIndexes");
      schema.localIndexes().forEach(i -> lsis.add(index(i, arn, false)));
    }
    if (schema.streamEnabled()) {
      out.putObject("StreamSpecification")
          .put("StreamEnabled", true)
          .put("StreamViewType", schema.streamViewType());
    }
    if (schema.streamLabel() != null) {
      out.put("LatestStreamLabel", schema.streamLabel());
      out.put("LatestStreamArn", Streams.arn(region, schema.name(), schema.streamLabel()));
    }
    return out;
  }

  private static ObjectNode index(Index index, String tableArn, boolean global) {
    ObjectNode out = NODES.objectNode();
    out.put("IndexName", index.name());
    out.set("KeySchema", keySchema(index.key()));
    ObjectNode projection = out.putObject("Projection").put("ProjectionType", index.projection());
    if (!index.nonKeyAttributes().isEmpty()) {
      ArrayNode attributes = projection.putArray("NonKeyAttributes");
      index.nonKeyAttributes().forEach(attributes::add);
    }
    if (global) {
      out.put("IndexStatus", index.active() ? Index.ACTIVE : index.status());
      if (!index.active()) {
        out.put("Backfilling", true);
      }
      out.set("ProvisionedThroughput", throughput(index.readCapacity(), index.writeCapacity()));
    }
    out.put("IndexArn", tableArn + "/index/" + index.name());
    return out;
  }

  private static ArrayNode keySchema(KeySchema key) {
    ArrayNode out = NODES.arrayNode();
    out.addObject().put("AttributeName", key.hash()).put("KeyType", "HASH");
    if (key.range() != null) {
      out.addObject().put("AttributeName", key.range()).put("KeyType", "RANGE");
    }
    return out;
  }

  private static ObjectNode throughput(long read, long write) {
    ObjectNode out = NODES.objectNode();
    out.put("NumberOfDecreasesToday", 0);
    out.put("ReadCapacityUnits", read);
    out.put("WriteCapacityUnits", write);
    return out;
  }

  /** DynamoDB's member names in the seed's camelCase (for the REST API's table JSON). */
  static JsonNode camelCase(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(e -> out.add(camelCase(e)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.set(Fields.camel(e.getKey()), camelCase(e.getValue()));
    }
    return out;
  }

  /**
   * A Query or Scan answer with camelCase members (items, count, scannedCount, lastEvaluatedKey),
   * its items as they are.
   */
  static JsonNode camelCaseTopLevel(JsonNode node) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.set(Fields.camel(e.getKey()), e.getValue());
    }
    return out;
  }
}
