package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.expression.Ast.Arithmetic;
import dev.cumulus.database.nosql.domain.expression.Ast.IfNotExists;
import dev.cumulus.database.nosql.domain.expression.Ast.ListAppend;
import dev.cumulus.database.nosql.domain.expression.Ast.Operand;
import dev.cumulus.database.nosql.domain.expression.Ast.Path;
import dev.cumulus.database.nosql.domain.expression.Ast.PathOperand;
import dev.cumulus.database.nosql.domain.expression.Ast.SetAction;
import dev.cumulus.database.nosql.domain.expression.Ast.Update;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueAction;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueOperand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Applies an UpdateExpression to an item, as DynamoDB does: operands read the old item. */
public final class Updates {

  private Updates() {}

  /** The paths an update writes, for overlap and key checks. */
  public static List<Path> paths(Update update) {
    List<Path> paths = new ArrayList<>();
    update.set().forEach(a -> paths.add(a.path()));
    paths.addAll(update.remove());
    update.add().forEach(a -> paths.add(a.path()));
    update.delete().forEach(a -> paths.add(a.path()));
    for (int i = 0; i < paths.size(); i++) {
      for (int j = i + 1; j < paths.size(); j++) {
        if (overlap(paths.get(i), paths.get(j))) {
          throw DynamoException.validation(
              "Invalid UpdateExpression: Two document paths overlap with each other; must remove or"
                  + " rewrite one of these paths; path one: "
                  + paths.get(i).elements()
                  + ", path two: "
                  + paths.get(j).elements());
        }
      }
    }
    return paths;
  }

  private static boolean overlap(Path a, Path b) {
    int n = Math.min(a.elements().size(), b.elements().size());
    return a.elements().subList(0, n).equals(b.elements().subList(0, n));
  }

  /** The new item: the old one (null: none yet) with the update applied. */
  public static ObjectNode apply(Update update, JsonNode old) {
    JsonNode before = old == null ? AttributeValues.NODES.objectNode() : old;
    ObjectNode item = Documents.copy(before);
    for (SetAction action : update.set()) {
      Documents.set(item, action.path(), value(action.value(), before));
    }
    // REMOVE of list elements: highest index first, so earlier removals do not shift later ones.
    List<Path> removals = new ArrayList<>(update.remove());
    removals.sort(
        (x, y) -> {
          Object a = x.elements().get(x.elements().size() - 1);
          Object b = y.elements().get(y.elements().size() - 1);
          return a instanceof Integer i && b instanceof Integer j ? j - i : 0;
        });
    removals.forEach(path -> Documents.remove(item, path));
    for (ValueAction action : update.add()) {
      add(item, action, Documents.get(before, action.path()));
    }
    for (ValueAction action : update.delete()) {
      delete(item, action, Documents.get(before, action.path()));
    }
    return item;
  }

  private static JsonNode value(Operand operand, JsonNode item) {
    return switch (operand) {
      case ValueOperand value -> value.value();
      case PathOperand path -> {
        JsonNode value = Documents.get(item, path.path());
        if (value == null) {
          throw DynamoException.validation(
              "The provided expression refers to an attribute that does not exist in the item");
        }
        yield value;
      }
      case IfNotExists ifNotExists -> {
        JsonNode value = Documents.get(item, ifNotExists.path());
        yield value != null ? value : value(ifNotExists.fallback(), item);
      }
      case ListAppend append -> {
        JsonNode first = value(append.first(), item);
        JsonNode second = value(append.second(), item);
        if (first.get("L") == null || second.get("L") == null) {
          throw incorrectType("list_append", first.get("L") == null ? first : second);
        }
        ArrayNode list = AttributeValues.NODES.arrayNode();
        first.get("L").forEach(list::add);
        second.get("L").forEach(list::add);
        yield AttributeValues.of("L", list);
      }
      case Arithmetic arithmetic -> {
        JsonNode left = value(arithmetic.left(), item);
        JsonNode right = value(arithmetic.right(), item);
        if (left.get("N") == null || right.get("N") == null) {
          throw incorrectType(
              String.valueOf(arithmetic.operator()), left.get("N") == null ? left : right);
        }
        BigDecimal a = AttributeValues.numberOf(left);
        BigDecimal b = AttributeValues.numberOf(right);
        yield AttributeValues.n(arithmetic.operator() == '+' ? a.add(b) : a.subtract(b));
      }
      default -> throw DynamoException.validation("Invalid UpdateExpression: unexpected operand");
    };
  }

  private static DynamoException incorrectType(String operator, JsonNode operand) {
    return DynamoException.validation(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or"
            + " function: "
            + operator
            + ", operand type: "
            + AttributeValues.type(operand));
  }

  private static void add(ObjectNode item, ValueAction action, JsonNode old) {
    JsonNode value = action.value().value();
    String type = AttributeValues.type(value);
    if (type.equals("N")) {
      if (old != null && old.get("N") == null) {
        throw DynamoException.validation(
            "An operand in the update expression has an incorrect data type");
      }
      BigDecimal base = old == null ? BigDecimal.ZERO : AttributeValues.numberOf(old);
      Documents.set(
          item, action.path(), AttributeValues.n(base.add(AttributeValues.numberOf(value))));
    } else if (type.equals("SS") || type.equals("NS") || type.equals("BS")) {
      if (old != null && !AttributeValues.type(old).equals(type)) {
        throw DynamoException.validation(
            "An operand in the update expression has an incorrect data type");
      }
      Set<String> merged = new LinkedHashSet<>();
      if (old != null) {
        old.get(type).forEach(e -> merged.add(e.stringValue()));
      }
      value.get(type).forEach(e -> merged.add(e.stringValue()));
      Documents.set(item, action.path(), set(type, merged));
    } else {
      throw incorrectType("ADD", value);
    }
  }

  private static void delete(ObjectNode item, ValueAction action, JsonNode old) {
    JsonNode value = action.value().value();
    String type = AttributeValues.type(value);
    if (!type.equals("SS") && !type.equals("NS") && !type.equals("BS")) {
      throw incorrectType("DELETE", value);
    }
    if (old == null) {
      return;
    }
    if (!AttributeValues.type(old).equals(type)) {
      throw DynamoException.validation(
          "An operand in the update expression has an incorrect data type");
    }
    List<JsonNode> remove = AttributeValues.elements(value);
    Set<String> kept = new LinkedHashSet<>();
    for (JsonNode element : AttributeValues.elements(old)) {
      if (remove.stream().noneMatch(r -> AttributeValues.equal(r, element))) {
        kept.add(element.get(type.substring(0, 1)).stringValue());
      }
    }
    if (kept.isEmpty()) {
      Documents.remove(item, action.path());
    } else {
      Documents.set(item, action.path(), set(type, kept));
    }
  }

  private static JsonNode set(String type, Set<String> elements) {
    ArrayNode array = AttributeValues.NODES.arrayNode();
    elements.forEach(array::add);
    return AttributeValues.of(type, array);
  }
}
