package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.domain.DynamoException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads request members by DynamoDB's name ({@code TableName}) or the seed's camelCase ({@code
 * tableName}), so one parser serves the JSON protocol and the REST API.
 */
final class Fields {

  private Fields() {}

  /** The member, or null when absent or JSON null. */
  static JsonNode get(JsonNode node, String pascalName) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode value = node.get(pascalName);
    if (value == null) {
      value = node.get(Character.toLowerCase(pascalName.charAt(0)) + pascalName.substring(1));
    }
    return value == null || value.isNull() ? null : value;
  }

  static String text(JsonNode node, String name) {
    JsonNode value = get(node, name);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be a string");
    }
    return value.stringValue();
  }

  static String required(JsonNode node, String name) {
    String value = text(node, name);
    if (value == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at '"
              + camel(name)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  static Integer integer(JsonNode node, String name) {
    JsonNode value = get(node, name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be an integer");
    }
    return value.intValue();
  }

  static long longValue(JsonNode node, String name, long fallback) {
    JsonNode value = get(node, name);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be a number");
    }
    return value.longValue();
  }

  static boolean bool(JsonNode node, String name, boolean fallback) {
    JsonNode value = get(node, name);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be a boolean");
    }
    return value.booleanValue();
  }

  /** An object member (or null), e.g. Item, Key. */
  static JsonNode object(JsonNode node, String name) {
    JsonNode value = get(node, name);
    if (value != null && !value.isObject()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be a map");
    }
    return value;
  }

  static JsonNode array(JsonNode node, String name) {
    JsonNode value = get(node, name);
    if (value != null && !value.isArray()) {
      throw DynamoException.validation(
          "1 validation error detected: Value at '" + camel(name) + "' must be a list");
    }
    return value;
  }

  static Map<String, String> stringMap(JsonNode node, String name) {
    JsonNode value = object(node, name);
    Map<String, String> out = new LinkedHashMap<>();
    if (value != null) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        if (!e.getValue().isString()) {
          throw DynamoException.validation(
              "ExpressionAttributeNames contains invalid value for key " + e.getKey());
        }
        out.put(e.getKey(), e.getValue().stringValue());
      }
    }
    return out;
  }

  static Map<String, JsonNode> valueMap(JsonNode node, String name) {
    JsonNode value = object(node, name);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (value != null) {
      value.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  static String camel(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
