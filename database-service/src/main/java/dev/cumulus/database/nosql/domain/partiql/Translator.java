package dev.cumulus.database.nosql.domain.partiql;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.partiql.Statement.Action;
import dev.cumulus.database.nosql.domain.partiql.Statement.Condition;
import dev.cumulus.database.nosql.domain.partiql.Statement.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a statement into the DynamoDB JSON request that does the same (Query, Scan, GetItem,
 * PutItem, UpdateItem, DeleteItem or a TransactItems element), so PartiQL gets every rule of the
 * JSON API for free. Equalities on the key become the Key or KeyConditionExpression; every other
 * conjunct of the WHERE becomes the FilterExpression or ConditionExpression.
 */
public final class Translator {

  /** A request of the JSON API: its operation name and body. */
  public record DynamoRequest(String operation, ObjectNode body) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> RANGE_OPERATORS = Set.of("=", "<", "<=", ">", ">=");

  private Translator() {}

  /** A SELECT as a Query when the WHERE fixes the partition key, else as a Scan. */
  public static DynamoRequest select(Statement.Select select, TableSchema schema) {
    TableSchema.KeySchema key = keyOf(select, schema);
    ExpressionText text = new ExpressionText();
    ObjectNode body = NODES.objectNode().put("TableName", select.table());
    if (select.index() != null) {
      body.put("IndexName", select.index());
    }
    List<Condition> conjuncts = conjuncts(select.where());
    Condition hash = take(conjuncts, c -> equality(c, key.hash()) != null);
    if (hash != null) {
      // written key first, as a key condition must be ('a' = pk becomes pk = 'a')
      Condition keyFirst =
          new Condition.Compare(
              new Operand.Ref(topPath(key.hash())),
              "=",
              new Operand.Value(equality(hash, key.hash())));
      List<Condition> keyConditions = new ArrayList<>(List.of(keyFirst));
      Condition range =
          key.range() == null ? null : take(conjuncts, c -> rangeCondition(c, key.range()));
      if (range != null) {
        keyConditions.add(range);
      }
      body.put("KeyConditionExpression", text.all(keyConditions));
      if (select.ascending() != null) {
        body.put("ScanIndexForward", select.ascending());
      }
    } else if (select.ascending() != null) {
      throw DynamoException.validation(
          "ORDER BY needs a WHERE clause with an equality on the partition key");
    }
    String filter = text.all(conjuncts);
    if (filter != null) {
      body.put("FilterExpression", filter);
    }
    if (select.projection() != null) {
      body.put(
          "ProjectionExpression",
          select.projection().stream().map(text::path).collect(Collectors.joining(", ")));
    }
    text.addTo(body);
    return new DynamoRequest(hash != null ? "Query" : "Scan", body);
  }

  /** A SELECT of one item by its whole key, as BatchExecuteStatement and transactions read. */
  public static DynamoRequest get(Statement.Select select, TableSchema schema) {
    if (select.index() != null) {
      throw DynamoException.validation("Batch and transaction reads cannot use an index");
    }
    List<Condition> conjuncts = conjuncts(select.where());
    ObjectNode body = NODES.objectNode().put("TableName", select.table());
    body.set("Key", key(conjuncts, schema, "a read"));
    if (!conjuncts.isEmpty()) {
      throw DynamoException.validation(
          "Batch and transaction reads may only have equality conditions on the key attributes");
    }
    if (select.projection() != null) {
      ExpressionText text = new ExpressionText();
      body.put(
          "ProjectionExpression",
          select.projection().stream().map(text::path).collect(Collectors.joining(", ")));
      text.addTo(body);
    }
    return new DynamoRequest("GetItem", body);
  }

  /** INSERT, UPDATE, DELETE or EXISTS as the one-item write (or condition check) it is. */
  public static DynamoRequest write(Statement statement, TableSchema schema) {
    ExpressionText text = new ExpressionText();
    ObjectNode body = NODES.objectNode().put("TableName", statement.table());
    String operation;
    switch (statement) {
      case Statement.Insert insert -> {
        operation = "PutItem";
        body.set("Item", insert.item());
        body.put(
            "ConditionExpression",
            "attribute_not_exists(" + text.path(topPath(schema.key().hash())) + ")");
      }
      case Statement.Update update -> {
        operation = "UpdateItem";
        List<Condition> conjuncts = conjuncts(update.where());
        body.set("Key", key(conjuncts, schema, "an UPDATE"));
        body.put("UpdateExpression", updateExpression(update.actions(), text));
        // UPDATE never creates an item: it must exist (and meet the rest of the WHERE).
        conjuncts.addFirst(
            new Condition.Call(
                "attribute_exists", List.of(new Operand.Ref(topPath(schema.key().hash())))));
        body.put("ConditionExpression", text.all(conjuncts));
        body.put("ReturnValues", update.returning());
      }
      case Statement.Delete delete -> {
        operation = "DeleteItem";
        List<Condition> conjuncts = conjuncts(delete.where());
        body.set("Key", key(conjuncts, schema, "a DELETE"));
        String condition = text.all(conjuncts);
        if (condition != null) {
          body.put("ConditionExpression", condition);
        }
        if (!Set.of("NONE", "ALL_OLD").contains(delete.returning())) {
          throw DynamoException.validation("DELETE can only return ALL OLD *");
        }
        body.put("ReturnValues", delete.returning());
      }
      case Statement.Exists exists -> {
        operation = "ConditionCheck";
        List<Condition> conjuncts = conjuncts(exists.select().where());
        body.set("Key", key(conjuncts, schema, "EXISTS"));
        conjuncts.addFirst(
            new Condition.Call(
                "attribute_exists", List.of(new Operand.Ref(topPath(schema.key().hash())))));
        body.put("ConditionExpression", text.all(conjuncts));
      }
      case Statement.Select select -> throw DynamoException.validation("A SELECT is not a write");
    }
    text.addTo(body);
    return new DynamoRequest(operation, body);
  }

  private static String updateExpression(List<Action> actions, ExpressionText text) {
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    List<String> adds = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    for (Action action : actions) {
      switch (action) {
        case Action.Set set ->
            sets.add(text.path(set.target()) + " = " + text.operand(set.value()));
        case Action.Remove remove -> removes.add(text.path(remove.target()));
        case Action.AddToSet add ->
            adds.add(text.path(add.target()) + " " + text.operand(add.elements()));
        case Action.DeleteFromSet delete ->
            deletes.add(text.path(delete.target()) + " " + text.operand(delete.elements()));
      }
    }
    StringBuilder expression = new StringBuilder();
    clause(expression, "SET", sets);
    clause(expression, "REMOVE", removes);
    clause(expression, "ADD", adds);
    clause(expression, "DELETE", deletes);
    return expression.toString();
  }

  private static void clause(StringBuilder expression, String keyword, List<String> parts) {
    if (!parts.isEmpty()) {
      expression.append(expression.isEmpty() ? "" : " ").append(keyword).append(' ');
      expression.append(String.join(", ", parts));
    }
  }

  /** Takes the equalities on the whole primary key out of {@code conjuncts}, as a Key. */
  private static ObjectNode key(List<Condition> conjuncts, TableSchema schema, String what) {
    ObjectNode key = NODES.objectNode();
    for (String attribute : keyAttributes(schema.key())) {
      Condition equality = take(conjuncts, c -> equality(c, attribute) != null);
      if (equality == null) {
        throw DynamoException.validation(
            "Where clause does not contain a mandatory equality on all key attributes ("
                + what
                + " needs "
                + String.join(" and ", keyAttributes(schema.key()))
                + ")");
      }
      key.set(attribute, equality(equality, attribute));
    }
    return key;
  }

  private static List<String> keyAttributes(TableSchema.KeySchema key) {
    return key.range() == null ? List.of(key.hash()) : List.of(key.hash(), key.range());
  }

  private static TableSchema.KeySchema keyOf(Statement.Select select, TableSchema schema) {
    if (select.index() == null) {
      return schema.key();
    }
    return schema.indexes().stream()
        .filter(index -> index.name().equals(select.index()))
        .findFirst()
        .map(TableSchema.Index::key)
        .orElseThrow(() -> DynamoException.indexNotFound(select.table(), select.index()));
  }

  /** The top-level conjuncts of a WHERE, as a list the key conditions are taken out of. */
  private static List<Condition> conjuncts(Condition where) {
    List<Condition> out = new ArrayList<>();
    if (where instanceof Condition.And and) {
      and.parts().forEach(part -> out.addAll(conjuncts(part)));
    } else if (where != null) {
      out.add(where);
    }
    return out;
  }

  private static Condition take(
      List<Condition> conjuncts, java.util.function.Predicate<Condition> test) {
    for (int i = 0; i < conjuncts.size(); i++) {
      if (test.test(conjuncts.get(i))) {
        return conjuncts.remove(i);
      }
    }
    return null;
  }

  /** The value of {@code attribute = value} (either way round), else null. */
  private static JsonNode equality(Condition condition, String attribute) {
    if (condition instanceof Condition.Compare compare && compare.operator().equals("=")) {
      if (isAttribute(compare.left(), attribute) && compare.right() instanceof Operand.Value v) {
        return v.attributeValue();
      }
      if (isAttribute(compare.right(), attribute) && compare.left() instanceof Operand.Value v) {
        return v.attributeValue();
      }
    }
    return null;
  }

  /** Whether a condition can be a Query's sort-key condition. */
  private static boolean rangeCondition(Condition condition, String attribute) {
    return switch (condition) {
      case Condition.Compare compare ->
          RANGE_OPERATORS.contains(compare.operator())
              && isAttribute(compare.left(), attribute)
              && compare.right() instanceof Operand.Value;
      case Condition.Between between ->
          isAttribute(between.value(), attribute)
              && between.low() instanceof Operand.Value
              && between.high() instanceof Operand.Value;
      case Condition.Call call ->
          call.function().equals("begins_with")
              && call.arguments().size() == 2
              && isAttribute(call.arguments().get(0), attribute)
              && call.arguments().get(1) instanceof Operand.Value;
      default -> false;
    };
  }

  private static boolean isAttribute(Operand operand, String attribute) {
    return operand instanceof Operand.Ref ref && ref.path().isTop(attribute);
  }

  private static Statement.Path topPath(String attribute) {
    return new Statement.Path(List.of(attribute));
  }
}
