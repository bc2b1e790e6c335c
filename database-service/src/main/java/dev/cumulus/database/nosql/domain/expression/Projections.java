package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.expression.Ast.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ProjectionExpression: the parts of an item the paths name, with the item's structure (projected
 * list elements close up, as in DynamoDB).
 */
public final class Projections {

  private Projections() {}

  public static ObjectNode project(JsonNode item, List<Path> paths) {
    ObjectNode out = AttributeValues.NODES.objectNode();
    for (Path path : paths) {
      JsonNode value = Documents.get(item, path);
      if (value != null) {
        put(out, path.elements(), 0, value);
      }
    }
    return out;
  }

  /** Puts the value at elements[i..] below a map's properties (an item or an M's content). */
  private static void put(ObjectNode map, List<Object> elements, int i, JsonNode value) {
    String name = (String) elements.get(i);
    if (i == elements.size() - 1) {
      map.set(name, value);
      return;
    }
    Object child = elements.get(i + 1);
    JsonNode existing = map.get(name);
    if (child instanceof Integer) {
      ArrayNode list =
          existing != null && existing.get("L") instanceof ArrayNode l
              ? l
              : AttributeValues.NODES.arrayNode();
      map.set(name, AttributeValues.of("L", list));
      putInList(list, elements, i + 1, value);
    } else {
      ObjectNode inner =
          existing != null && existing.get("M") instanceof ObjectNode m
              ? m
              : AttributeValues.NODES.objectNode();
      map.set(name, AttributeValues.of("M", inner));
      put(inner, elements, i + 1, value);
    }
  }

  private static void putInList(ArrayNode list, List<Object> elements, int i, JsonNode value) {
    if (i == elements.size() - 1) {
      list.add(value);
      return;
    }
    Object child = elements.get(i + 1);
    if (child instanceof Integer) {
      ArrayNode inner = AttributeValues.NODES.arrayNode();
      list.add(AttributeValues.of("L", inner));
      putInList(inner, elements, i + 1, value);
    } else {
      ObjectNode inner = AttributeValues.NODES.objectNode();
      list.add(AttributeValues.of("M", inner));
      put(inner, elements, i + 1, value);
    }
  }
}
