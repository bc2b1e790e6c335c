package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by its expressions,
 * remembering which were used: DynamoDB refuses unused ones.
 */
public final class ExpressionAttributes {

  private final Map<String, String> names;
  private final Map<String, JsonNode> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  public ExpressionAttributes(Map<String, String> names, Map<String, JsonNode> values) {
    this.names = names == null ? Map.of() : names;
    this.values = values == null ? Map.of() : values;
    for (Map.Entry<String, JsonNode> e : this.values.entrySet()) {
      AttributeValues.normalize(e.getValue());
    }
  }

  public static ExpressionAttributes none() {
    return new ExpressionAttributes(Map.of(), Map.of());
  }

  String name(String reference) {
    String name = names.get(reference);
    if (name == null) {
      throw DynamoException.validation(
          "An expression attribute name used in the document path is not defined;"
              + " attribute name: "
              + reference);
    }
    usedNames.add(reference);
    return name;
  }

  JsonNode value(String reference) {
    JsonNode value = values.get(reference);
    if (value == null) {
      throw DynamoException.validation(
          "An expression attribute value used in expression is not defined; attribute value: "
              + reference);
    }
    usedValues.add(reference);
    return AttributeValues.normalize(value);
  }

  /** After parsing every expression of a request: refuses names and values none of them used. */
  public void requireAllUsed() {
    Set<String> unusedNames = new TreeSet<>(names.keySet());
    unusedNames.removeAll(usedNames);
    if (!unusedNames.isEmpty()) {
      throw DynamoException.validation(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
              + String.join(", ", unusedNames)
              + "}");
    }
    Set<String> unusedValues = new TreeSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw DynamoException.validation(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
              + String.join(", ", unusedValues)
              + "}");
    }
  }
}
