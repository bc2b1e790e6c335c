package dev.cumulus.database.nosql.domain.partiql;

import dev.cumulus.database.nosql.domain.partiql.Statement.Condition;
import dev.cumulus.database.nosql.domain.partiql.Statement.Operand;
import dev.cumulus.database.nosql.domain.partiql.Statement.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes PartiQL conditions, paths and values as DynamoDB expression text, collecting the
 * ExpressionAttributeNames ({@code #n0}) and ExpressionAttributeValues ({@code :v0}) they use, so
 * the statement runs through the same expression engine as the JSON API.
 */
final class ExpressionText {

  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, JsonNode> values = new LinkedHashMap<>();

  String path(Path path) {
    StringBuilder text = new StringBuilder();
    for (Object element : path.elements()) {
      if (element instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(name((String) element));
      }
    }
    return text.toString();
  }

  private String name(String attribute) {
    return names.computeIfAbsent(attribute, a -> "#n" + names.size());
  }

  String value(JsonNode attributeValue) {
    String placeholder = ":v" + values.size();
    values.put(placeholder, attributeValue);
    return placeholder;
  }

  String operand(Operand operand) {
    return switch (operand) {
      case Operand.Ref ref -> path(ref.path());
      case Operand.Value value -> value(value.attributeValue());
      case Operand.Call call -> call.function() + "(" + operands(call.arguments()) + ")";
      case Operand.Arithmetic sum ->
          operand(sum.left()) + " " + sum.operator() + " " + operand(sum.right());
    };
  }

  String condition(Condition condition) {
    return switch (condition) {
      case Condition.And and -> joined(and.parts(), " AND ");
      case Condition.Or or -> joined(or.parts(), " OR ");
      case Condition.Not not -> "NOT (" + condition(not.condition()) + ")";
      case Condition.Compare compare ->
          operand(compare.left()) + " " + compare.operator() + " " + operand(compare.right());
      case Condition.Between between ->
          operand(between.value())
              + " BETWEEN "
              + operand(between.low())
              + " AND "
              + operand(between.high());
      case Condition.In in -> operand(in.value()) + " IN (" + operands(in.candidates()) + ")";
      case Condition.Call call -> call.function() + "(" + operands(call.arguments()) + ")";
    };
  }

  /** Conditions joined by AND, each in parentheses; null for none. */
  String all(List<Condition> conditions) {
    return conditions.isEmpty() ? null : joined(conditions, " AND ");
  }

  private String joined(List<Condition> parts, String operator) {
    return parts.stream()
        .map(part -> "(" + condition(part) + ")")
        .collect(Collectors.joining(operator));
  }

  private String operands(List<Operand> operands) {
    return operands.stream().map(this::operand).collect(Collectors.joining(", "));
  }

  /** Adds the names and values used so far to a request. */
  void addTo(ObjectNode request) {
    if (!names.isEmpty()) {
      ObjectNode out = request.putObject("ExpressionAttributeNames");
      names.forEach((attribute, placeholder) -> out.put(placeholder, attribute));
    }
    if (!values.isEmpty()) {
      ObjectNode out = request.putObject("ExpressionAttributeValues");
      values.forEach(out::set);
    }
  }
}
