package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.CapacityUnits;
import dev.cumulus.database.nosql.application.Consumption;
import dev.cumulus.database.nosql.application.ItemReader;
import dev.cumulus.database.nosql.application.ItemWriter;
import dev.cumulus.database.nosql.application.ThroughputGate.Direction;
import dev.cumulus.database.nosql.application.WriteOp;
import dev.cumulus.database.nosql.application.WriteResult;
import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.domain.expression.Projections;
import dev.cumulus.database.nosql.domain.expression.Updates;
import dev.cumulus.database.nosql.web.CapacityMeter.Demand;
import dev.cumulus.database.nosql.web.CapacityMeter.Metered;
import dev.cumulus.platform.instance.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * PutItem, GetItem, UpdateItem, DeleteItem, BatchGetItem, BatchWriteItem, TransactGetItems and
 * TransactWriteItems.
 */
@Component
class DynamoItemOperations {

  static final int MAX_BATCH_GET = 100;
  static final int MAX_BATCH_WRITE = 25;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ItemReader reader;
  private final ItemWriter writer;
  private final CapacityMeter meter;

  DynamoItemOperations(ItemReader reader, ItemWriter writer, CapacityMeter meter) {
    this.reader = reader;
    this.writer = writer;
    this.meter = meter;
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "PutItem", this::put,
        "GetItem", this::get,
        "UpdateItem", this::update,
        "DeleteItem", this::delete,
        "BatchGetItem", this::batchGet,
        "BatchWriteItem", this::batchWrite,
        "TransactGetItems", this::transactGet,
        "TransactWriteItems", this::transactWrite);
  }

  private Mono<ObjectNode> put(Instance instance, String region, JsonNode request) {
    String returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    return write(instance, request, writeOp("Put", request), returnValues, null);
  }

  private Mono<ObjectNode> update(Instance instance, String region, JsonNode request) {
    String returnValues =
        returnValues(request, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
    WriteOp.Update op = (WriteOp.Update) writeOp("Update", request);
    return write(instance, request, op, returnValues, op.update());
  }

  private Mono<ObjectNode> delete(Instance instance, String region, JsonNode request) {
    String returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    return write(instance, request, writeOp("Delete", request), returnValues, null);
  }

  /** One metered write, answered with the Attributes its ReturnValues asks for. */
  private Mono<ObjectNode> write(
      Instance instance, JsonNode request, WriteOp op, String returnValues, Ast.Update update) {
    boolean oldOnFailure = returnOldOnFailure(request);
    return meter.run(
        instance,
        request,
        op.table(),
        Direction.WRITE,
        writer
            .write(instance, op)
            .onErrorMap(
                DynamoException.class, e -> oldOnFailure ? e.keepingItems(position -> true) : e)
            .map(
                result ->
                    Metered.of(
                        attributes(returnValues, result, update),
                        op.table(),
                        result.consumption())));
  }

  private static long size(JsonNode item) {
    return item == null ? 0 : AttributeValues.itemSize(item);
  }

  private Mono<ObjectNode> get(Instance instance, String region, JsonNode request) {
    String table = DynamoTableOperations.tableName(request);
    Expressions expressions = new Expressions(request);
    List<Ast.Path> projection = expressions.projection();
    expressions.done();
    boolean consistent = Fields.bool(request, "ConsistentRead", false);
    return meter.run(
        instance,
        request,
        table,
        Direction.READ,
        reader
            .get(instance, table, requiredKey(request), projection)
            .map(
                item -> {
                  ObjectNode out = NODES.objectNode();
                  out.set("Item", item);
                  return Metered.of(out, table, readOf(item, consistent));
                })
            .defaultIfEmpty(Metered.of(NODES.objectNode(), table, readOf(null, consistent))));
  }

  /** One write of a request or of a TransactItems element ({@code kind}: Put, Update, ...). */
  static WriteOp writeOp(String kind, JsonNode request) {
    String table = DynamoTableOperations.tableName(request);
    Expressions expressions = new Expressions(request);
    expressions.refuseLegacy("Expected", "AttributeUpdates", "ConditionalOperator");
    Ast.Condition condition = expressions.condition("ConditionExpression");
    WriteOp op =
        switch (kind) {
          case "Put" -> {
            JsonNode item = Fields.object(request, "Item");
            if (item == null) {
              throw DynamoException.validation(
                  "1 validation error detected: Value null at 'item' failed to satisfy constraint:"
                      + " Member must not be null");
            }
            yield new WriteOp.Put(table, item, condition);
          }
          case "Update" ->
              new WriteOp.Update(table, requiredKey(request), expressions.update(), condition);
          case "Delete" -> new WriteOp.Delete(table, requiredKey(request), condition);
          default -> {
            if (condition == null) {
              throw DynamoException.validation(
                  "1 validation error detected: Value null at 'conditionExpression' failed to"
                      + " satisfy constraint: Member must not be null");
            }
            yield new WriteOp.Check(table, requiredKey(request), condition);
          }
        };
    expressions.done();
    return op;
  }

  private Mono<ObjectNode> batchGet(Instance instance, String region, JsonNode request) {
    JsonNode requestItems = requestItems(request);
    int total = 0;
    List<Mono<TableReads>> reads = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
      String table = e.getKey();
      JsonNode keys = Fields.array(e.getValue(), "Keys");
      if (keys == null || keys.isEmpty()) {
        throw DynamoException.validation(
            "1 validation error detected: Value at 'requestItems."
                + table
                + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
      }
      total += keys.size();
      Expressions expressions = new Expressions(e.getValue());
      List<Ast.Path> projection = expressions.projection();
      expressions.done();
      distinct(keys, "Provided list of item keys contains duplicates");
      boolean consistent = Fields.bool(e.getValue(), "ConsistentRead", false);
      int asked = keys.size();
      reads.add(
          Flux.fromIterable(keys)
              .concatMap(key -> reader.get(instance, table, key, projection))
              .collectList()
              .map(items -> new TableReads(table, items, readUnits(items, asked, consistent))));
    }
    if (total > MAX_BATCH_GET) {
      throw DynamoException.validation("Too many items requested for the BatchGetItem call");
    }
    Mono<Metered> work =
        Flux.concat(reads)
            .collectList()
            .map(
                results -> {
                  ObjectNode out = NODES.objectNode();
                  ObjectNode responses = out.putObject("Responses");
                  Map<String, Consumption> units = new LinkedHashMap<>();
                  for (TableReads result : results) {
                    ArrayNode items = responses.putArray(result.table());
                    result.items().forEach(items::add);
                    units.put(result.table(), Consumption.read(result.units()));
                  }
                  out.putObject("UnprocessedKeys");
                  return new Metered(out, units);
                });
    return meter.run(
        instance, request, Demand.batch(tableNames(requestItems), Set.of(Direction.READ)), work);
  }

  private record TableReads(String table, List<JsonNode> items, double units) {}

  /** Read units of a batch's keys of one table: a minimum for each key not found. */
  private static double readUnits(List<JsonNode> found, int asked, boolean consistent) {
    double units = (asked - found.size()) * CapacityUnits.read(0, consistent);
    for (JsonNode item : found) {
      units += CapacityUnits.read(size(item), consistent);
    }
    return units;
  }

  private static Set<String> tableNames(JsonNode requestItems) {
    Set<String> names = new LinkedHashSet<>();
    requestItems.propertyNames().forEach(names::add);
    return names;
  }

  private Mono<ObjectNode> batchWrite(Instance instance, String region, JsonNode request) {
    JsonNode requestItems = requestItems(request);
    List<WriteOp> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
      if (!e.getValue().isArray()) {
        throw DynamoException.validation("RequestItems values must be lists of write requests");
      }
      for (JsonNode write : e.getValue()) {
        JsonNode put = Fields.object(write, "PutRequest");
        JsonNode delete = Fields.object(write, "DeleteRequest");
        if ((put == null) == (delete == null)) {
          throw DynamoException.validation(
              "A write request must contain exactly one of PutRequest and DeleteRequest");
        }
        if (put != null) {
          JsonNode item = Fields.object(put, "Item");
          if (item == null) {
            throw DynamoException.validation("PutRequest requires an Item");
          }
          ops.add(new WriteOp.Put(e.getKey(), item, null));
        } else {
          ops.add(new WriteOp.Delete(e.getKey(), requiredKey(delete), null));
        }
      }
    }
    if (ops.size() > MAX_BATCH_WRITE) {
      throw DynamoException.validation(
          "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map"
              + " value must satisfy constraint: [Member must have length less than or equal to"
              + " 25, Member must have length greater than or equal to 1]");
    }
    Mono<Metered> work =
        writer
            .batch(instance, ops)
            .map(
                results -> {
                  Map<String, Consumption> units = new LinkedHashMap<>();
                  for (int i = 0; i < ops.size(); i++) {
                    units.merge(
                        ops.get(i).table(), results.get(i).consumption(), Consumption::plus);
                  }
                  ObjectNode out = NODES.objectNode();
                  out.putObject("UnprocessedItems");
                  return new Metered(out, units);
                });
    return meter.run(
        instance, request, Demand.batch(tableNames(requestItems), Set.of(Direction.WRITE)), work);
  }

  private Mono<ObjectNode> transactGet(Instance instance, String region, JsonNode request) {
    JsonNode items = transactItems(request);
    List<Mono<JsonNode>> reads = new ArrayList<>();
    List<String> tables = new ArrayList<>();
    for (JsonNode element : items) {
      JsonNode get = Fields.object(element, "Get");
      if (get == null) {
        throw DynamoException.validation("TransactGetItems elements must be Get requests");
      }
      String table = DynamoTableOperations.tableName(get);
      tables.add(table);
      Expressions expressions = new Expressions(get);
      List<Ast.Path> projection = expressions.projection();
      expressions.done();
      reads.add(
          reader
              .get(instance, table, requiredKey(get), projection)
              .map(item -> (JsonNode) NODES.objectNode().set("Item", item))
              .defaultIfEmpty(NODES.objectNode()));
    }
    Mono<Metered> work =
        Flux.concat(reads)
            .collectList()
            .map(
                responses -> {
                  ObjectNode out = NODES.objectNode();
                  ArrayNode array = out.putArray("Responses");
                  responses.forEach(array::add);
                  // transactional reads cost twice a strongly consistent read
                  Map<String, Consumption> units = new LinkedHashMap<>();
                  for (int i = 0; i < responses.size(); i++) {
                    Consumption read = readOf(responses.get(i).get("Item"), true).doubled();
                    units.merge(tables.get(i), read, Consumption::plus);
                  }
                  return new Metered(out, units);
                });
    return meter.run(
        instance, request, Demand.batch(new LinkedHashSet<>(tables), Set.of(Direction.READ)), work);
  }

  /** Read units of getting one item (null: not found, still one read). */
  static Consumption readOf(JsonNode item, boolean consistent) {
    return Consumption.read(CapacityUnits.read(size(item), consistent));
  }

  private Mono<ObjectNode> transactWrite(Instance instance, String region, JsonNode request) {
    JsonNode items = transactItems(request);
    List<WriteOp> ops = new ArrayList<>();
    List<Boolean> oldOnFailure = new ArrayList<>();
    for (JsonNode element : items) {
      if (!element.isObject() || element.size() != 1) {
        throw DynamoException.validation(
            "TransactItems can only contain one of Check, Put, Update or Delete");
      }
      String kind = element.propertyNames().iterator().next();
      String op =
          switch (kind) {
            case "Put", "put" -> "Put";
            case "Update", "update" -> "Update";
            case "Delete", "delete" -> "Delete";
            case "ConditionCheck", "conditionCheck" -> "ConditionCheck";
            default ->
                throw DynamoException.validation(
                    "TransactItems can only contain one of Check, Put, Update or Delete");
          };
      ops.add(writeOp(op, element.get(kind)));
      oldOnFailure.add(returnOldOnFailure(element.get(kind)));
    }
    Set<String> tables = new LinkedHashSet<>();
    boolean checks = false;
    for (WriteOp op : ops) {
      tables.add(op.table());
      checks |= op instanceof WriteOp.Check;
    }
    Set<Direction> directions =
        checks ? Set.of(Direction.WRITE, Direction.READ) : Set.of(Direction.WRITE);
    Mono<Metered> work =
        writer
            .transact(instance, ops, clientToken(request))
            .onErrorMap(DynamoException.class, e -> e.keepingItems(oldOnFailure::get))
            .map(results -> new Metered(NODES.objectNode(), transactionUnits(ops, results)));
    return meter.run(instance, request, Demand.batch(tables, directions), work);
  }

  /**
   * A transaction's units per table: twice a write's for each write, twice a strongly consistent
   * read's for each ConditionCheck. A repeat of an idempotent transaction writes nothing (no
   * results) and is charged nothing.
   */
  private static Map<String, Consumption> transactionUnits(
      List<WriteOp> ops, List<WriteResult> results) {
    Map<String, Consumption> units = new LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      WriteResult result = results.get(i);
      Consumption used =
          ops.get(i) instanceof WriteOp.Check ? readOf(result.old(), true) : result.consumption();
      units.merge(ops.get(i).table(), used.doubled(), Consumption::plus);
    }
    return units;
  }

  /** The request's ClientRequestToken with the SHA-256 of the rest of the request; null: none. */
  private static ItemWriter.ClientToken clientToken(JsonNode request) {
    String token = Fields.text(request, "ClientRequestToken");
    if (token == null) {
      return null;
    }
    if (token.isEmpty() || token.length() > 36) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + token
              + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length"
              + " less than or equal to 36 and greater than or equal to 1");
    }
    ObjectNode rest = ((ObjectNode) request).deepCopy();
    rest.remove("ClientRequestToken");
    return new ItemWriter.ClientToken(token, sha256(rest.toString()));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode transactItems(JsonNode request) {
    JsonNode items = Fields.array(request, "TransactItems");
    if (items == null || items.isEmpty() || items.size() > ItemWriter.MAX_TRANSACTION_ITEMS) {
      throw DynamoException.validation(
          "1 validation error detected: Value at 'transactItems' failed to satisfy constraint:"
              + " Member must have length less than or equal to 100 and greater than or equal to"
              + " 1");
    }
    return items;
  }

  private static JsonNode requestItems(JsonNode request) {
    JsonNode items = Fields.object(request, "RequestItems");
    if (items == null || items.isEmpty()) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'requestItems' failed to satisfy"
              + " constraint: Member must not be null");
    }
    return items;
  }

  private static void distinct(JsonNode keys, String message) {
    Set<String> seen = new HashSet<>();
    for (JsonNode key : keys) {
      if (!seen.add(key.toString())) {
        throw DynamoException.validation(message);
      }
    }
  }

  static JsonNode requiredKey(JsonNode request) {
    JsonNode key = Fields.object(request, "Key");
    if (key == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member"
              + " must not be null");
    }
    return key;
  }

  /** Whether a failed condition returns the item it was tested against (ALL_OLD; or NONE). */
  private static boolean returnOldOnFailure(JsonNode request) {
    String value = Fields.text(request, "ReturnValuesOnConditionCheckFailure");
    if (value == null || value.equals("NONE")) {
      return false;
    }
    if (!value.equals("ALL_OLD")) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member"
              + " must satisfy enum value set: [ALL_OLD, NONE]");
    }
    return true;
  }

  private static String returnValues(JsonNode request, Set<String> allowed) {
    String value = Fields.text(request, "ReturnValues");
    if (value == null) {
      return "NONE";
    }
    if (!allowed.contains(value)) {
      throw DynamoException.validation("Return values set to invalid value");
    }
    return value;
  }

  /** The response's Attributes for ReturnValues (UPDATED_*: the attributes the update named). */
  private static ObjectNode attributes(String returnValues, WriteResult result, Ast.Update update) {
    ObjectNode out = NODES.objectNode();
    JsonNode source =
        switch (returnValues) {
          case "ALL_OLD", "UPDATED_OLD" -> result.old();
          case "ALL_NEW", "UPDATED_NEW" -> result.current();
          default -> null;
        };
    if (source == null) {
      return out;
    }
    if (returnValues.startsWith("UPDATED") && update != null) {
      // only what the update named, nested parts within their maps and lists, as DynamoDB
      source = Projections.project(source, Updates.paths(update));
    }
    if (!source.isEmpty()) {
      out.set("Attributes", source);
    }
    return out;
  }
}
