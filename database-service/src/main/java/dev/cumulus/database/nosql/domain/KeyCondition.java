package dev.cumulus.database.nosql.domain;

import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.domain.expression.Ast.And;
import dev.cumulus.database.nosql.domain.expression.Ast.Between;
import dev.cumulus.database.nosql.domain.expression.Ast.Compare;
import dev.cumulus.database.nosql.domain.expression.Ast.Condition;
import dev.cumulus.database.nosql.domain.expression.Ast.Function;
import dev.cumulus.database.nosql.domain.expression.Ast.PathOperand;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueOperand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A Query's key condition, checked against the key schema of the table or index queried: the hash
 * key equal to one value, and optionally one condition on the range key.
 *
 * @param rangeOperator null, or one of {@code = < <= > >= BETWEEN BEGINS_WITH}
 */
public record KeyCondition(KeyValue hash, String rangeOperator, List<KeyValue> rangeValues) {

  private static final Map<String, String> LEGACY_OPERATORS =
      Map.of(
          "EQ",
          "=",
          "LT",
          "<",
          "LE",
          "<=",
          "GT",
          ">",
          "GE",
          ">=",
          "BETWEEN",
          "BETWEEN",
          "BEGINS_WITH",
          "BEGINS_WITH");

  /** From a parsed KeyConditionExpression. */
  public static KeyCondition of(
      Condition condition, TableSchema.KeySchema key, Map<String, String> types) {
    List<Condition> parts = new ArrayList<>();
    if (condition instanceof And and) {
      parts.add(and.left());
      parts.add(and.right());
    } else {
      parts.add(condition);
    }
    KeyValue hash = null;
    String operator = null;
    List<KeyValue> values = List.of();
    for (Condition part : parts) {
      String attribute = attribute(part);
      if (attribute.equals(key.hash())) {
        if (!(part instanceof Compare c) || !c.comparator().equals("=") || hash != null) {
          throw invalid("Query key condition not supported");
        }
        hash = value(operand(c.right()), types.get(attribute), attribute);
      } else if (attribute.equals(key.range()) && operator == null) {
        switch (part) {
          case Compare c -> {
            if (c.comparator().equals("<>")) {
              throw invalid("Unsupported operator on KeyCondition: <>");
            }
            operator = c.comparator();
            values = List.of(value(operand(c.right()), types.get(attribute), attribute));
          }
          case Between b -> {
            operator = "BETWEEN";
            values =
                List.of(
                    value(operand(b.low()), types.get(attribute), attribute),
                    value(operand(b.high()), types.get(attribute), attribute));
          }
          case Function f when f.name().equals("begins_with") -> {
            operator = "BEGINS_WITH";
            values = List.of(value(operand(f.arguments().get(1)), types.get(attribute), attribute));
          }
          default -> throw invalid("Query key condition not supported");
        }
      } else {
        throw invalid(
            attribute.equals(key.range())
                ? "Query key condition not supported"
                : "Query condition missed key schema element: " + key.hash());
      }
    }
    if (hash == null) {
      throw invalid("Query condition missed key schema element: " + key.hash());
    }
    if ("BEGINS_WITH".equals(operator) && values.get(0).type().equals("N")) {
      throw invalid(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
    }
    return new KeyCondition(hash, operator, values);
  }

  /** From the seed's (and DynamoDB's legacy) KeyConditions map. */
  public static KeyCondition ofLegacy(
      Map<String, String> operators,
      Map<String, List<JsonNode>> values,
      TableSchema.KeySchema key,
      Map<String, String> types) {
    KeyValue hash = null;
    String operator = null;
    List<KeyValue> rangeValues = List.of();
    for (Map.Entry<String, String> e : operators.entrySet()) {
      String attribute = e.getKey();
      String op = LEGACY_OPERATORS.get(String.valueOf(e.getValue()));
      if (op == null) {
        throw invalid("Unsupported operator on KeyCondition: " + e.getValue());
      }
      List<KeyValue> args = new ArrayList<>();
      for (JsonNode v : values.getOrDefault(attribute, List.of())) {
        args.add(value(v, types.get(attribute), attribute));
      }
      int expected = op.equals("BETWEEN") ? 2 : 1;
      if (args.size() != expected) {
        throw DynamoException.invalidParameter(
            "Invalid number of argument(s) for the " + e.getValue() + " ComparisonOperator");
      }
      if (attribute.equals(key.hash()) && op.equals("=")) {
        hash = args.get(0);
      } else if (attribute.equals(key.range())) {
        operator = op;
        rangeValues = List.copyOf(args);
      } else {
        throw invalid("Query condition missed key schema element: " + key.hash());
      }
    }
    if (hash == null) {
      throw invalid("Query condition missed key schema element: " + key.hash());
    }
    return new KeyCondition(hash, operator, rangeValues);
  }

  private static String attribute(Condition part) {
    Ast.Operand first =
        switch (part) {
          case Compare c -> c.left();
          case Between b -> b.value();
          case Function f -> f.arguments().get(0);
          default -> throw invalid("Query key condition not supported");
        };
    if (!(first instanceof PathOperand path) || path.path().elements().size() != 1) {
      throw invalid("Query key condition not supported");
    }
    return path.path().first();
  }

  private static JsonNode operand(Ast.Operand operand) {
    if (!(operand instanceof ValueOperand value)) {
      throw invalid("Query key condition not supported");
    }
    return value.value();
  }

  private static KeyValue value(JsonNode value, String type, String attribute) {
    String actual = AttributeValues.type(value);
    if (!actual.equals(type)) {
      throw invalid("Condition parameter type does not match schema type");
    }
    return KeyValue.of(AttributeValues.normalize(value));
  }

  private static DynamoException invalid(String message) {
    return DynamoException.validation(message);
  }
}
