package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.expression.Ast.And;
import dev.cumulus.database.nosql.domain.expression.Ast.Between;
import dev.cumulus.database.nosql.domain.expression.Ast.Compare;
import dev.cumulus.database.nosql.domain.expression.Ast.Condition;
import dev.cumulus.database.nosql.domain.expression.Ast.Function;
import dev.cumulus.database.nosql.domain.expression.Ast.In;
import dev.cumulus.database.nosql.domain.expression.Ast.Not;
import dev.cumulus.database.nosql.domain.expression.Ast.Operand;
import dev.cumulus.database.nosql.domain.expression.Ast.Or;
import dev.cumulus.database.nosql.domain.expression.Ast.PathOperand;
import dev.cumulus.database.nosql.domain.expression.Ast.Size;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueOperand;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Evaluates conditions against an item, with DynamoDB's semantics for missing attributes. */
public final class Conditions {

  private static final Set<String> TYPE_NAMES = AttributeValues.TYPES;

  private Conditions() {}

  /** Whether the item (null: no item) satisfies the condition. */
  public static boolean test(Condition condition, JsonNode item) {
    JsonNode document = item == null ? AttributeValues.NODES.objectNode() : item;
    return switch (condition) {
      case And and -> test(and.left(), document) && test(and.right(), document);
      case Or or -> test(or.left(), document) || test(or.right(), document);
      case Not not -> !test(not.condition(), document);
      case Compare compare -> compare(compare, document);
      case Between between -> {
        JsonNode value = value(between.value(), document);
        JsonNode low = value(between.low(), document);
        JsonNode high = value(between.high(), document);
        Integer lowOrder = AttributeValues.compare(low, high);
        if (lowOrder != null && lowOrder > 0) {
          throw DynamoException.validation(
              "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be"
                  + " greater than or equal to lower bound; lower operand: "
                  + low
                  + ", upper operand: "
                  + high);
        }
        Integer a = AttributeValues.compare(value, low);
        Integer b = AttributeValues.compare(value, high);
        yield a != null && b != null && a >= 0 && b <= 0;
      }
      case In in -> {
        JsonNode value = value(in.value(), document);
        yield in.candidates().stream()
            .anyMatch(c -> AttributeValues.equal(value, value(c, document)));
      }
      case Function function -> function(function, document);
    };
  }

  private static boolean compare(Compare compare, JsonNode item) {
    JsonNode left = value(compare.left(), item);
    JsonNode right = value(compare.right(), item);
    if (left == null || right == null) {
      return compare.comparator().equals("<>") && (left != null || right != null);
    }
    return switch (compare.comparator()) {
      case "=" -> AttributeValues.equal(left, right);
      case "<>" -> !AttributeValues.equal(left, right);
      default -> {
        Integer order = AttributeValues.compare(left, right);
        if (order == null) {
          yield false;
        }
        yield switch (compare.comparator()) {
          case "<" -> order < 0;
          case "<=" -> order <= 0;
          case ">" -> order > 0;
          default -> order >= 0;
        };
      }
    };
  }

  private static boolean function(Function function, JsonNode item) {
    JsonNode first = value(function.arguments().get(0), item);
    return switch (function.name()) {
      case "attribute_exists" -> first != null;
      case "attribute_not_exists" -> first == null;
      case "attribute_type" -> {
        JsonNode type = value(function.arguments().get(1), item);
        if (type == null
            || type.get("S") == null
            || !TYPE_NAMES.contains(AttributeValues.string(type))) {
          throw DynamoException.validation(
              "Invalid ConditionExpression: Invalid attribute type name found; type: "
                  + (type == null ? "null" : type)
                  + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        yield first != null && AttributeValues.type(first).equals(AttributeValues.string(type));
      }
      case "begins_with" -> {
        JsonNode prefix = value(function.arguments().get(1), item);
        if (first == null || prefix == null) {
          yield false;
        }
        if (first.get("S") != null && prefix.get("S") != null) {
          yield AttributeValues.string(first).startsWith(AttributeValues.string(prefix));
        }
        if (first.get("B") != null && prefix.get("B") != null) {
          byte[] value = AttributeValues.bytes(first);
          byte[] start = AttributeValues.bytes(prefix);
          yield value.length >= start.length
              && Arrays.equals(value, 0, start.length, start, 0, start.length);
        }
        yield false;
      }
      default -> contains(first, value(function.arguments().get(1), item));
    };
  }

  private static boolean contains(JsonNode container, JsonNode element) {
    if (container == null || element == null) {
      return false;
    }
    String type = AttributeValues.type(container);
    return switch (type) {
      case "S" ->
          element.get("S") != null
              && AttributeValues.string(container).contains(AttributeValues.string(element));
      case "B" ->
          element.get("B") != null
              && indexOf(AttributeValues.bytes(container), AttributeValues.bytes(element)) >= 0;
      case "SS", "NS", "BS", "L" ->
          AttributeValues.elements(container).stream()
              .anyMatch(e -> AttributeValues.equal(e, element));
      default -> false;
    };
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** An operand's value in a condition, or null when its path is missing. */
  static JsonNode value(Operand operand, JsonNode item) {
    return switch (operand) {
      case PathOperand path -> Documents.get(item, path.path());
      case ValueOperand value -> value.value();
      case Size size -> {
        JsonNode value = Documents.get(item, size.path());
        if (value == null) {
          yield null;
        }
        String type = AttributeValues.type(value);
        JsonNode v = value.get(type);
        yield switch (type) {
          case "S" ->
              AttributeValues.n(
                  BigDecimal.valueOf(v.stringValue().getBytes(StandardCharsets.UTF_8).length));
          case "B" -> AttributeValues.n(BigDecimal.valueOf(AttributeValues.bytes(value).length));
          case "SS", "NS", "BS", "L", "M" -> AttributeValues.n(BigDecimal.valueOf(v.size()));
          default -> null;
        };
      }
      default ->
          throw DynamoException.validation("Invalid ConditionExpression: unexpected operand");
    };
  }
}
