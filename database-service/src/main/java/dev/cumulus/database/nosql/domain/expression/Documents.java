package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.expression.Ast.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes document paths in an item (a map of AttributeValues). */
public final class Documents {

  private Documents() {}

  /** The AttributeValue at the path, or null when the path does not exist in the item. */
  public static JsonNode get(JsonNode item, Path path) {
    JsonNode current = item.get(path.first());
    for (Object element : path.elements().subList(1, path.elements().size())) {
      if (current == null) {
        return null;
      }
      if (element instanceof Integer index) {
        JsonNode list = current.get("L");
        current = list == null || index >= list.size() ? null : list.get(index);
      } else {
        JsonNode map = current.get("M");
        current = map == null ? null : map.get((String) element);
      }
    }
    return current;
  }

  /**
   * Sets the value at the path. The parent must exist (DynamoDB creates no intermediate maps); an
   * index past a list's end appends.
   */
  public static void set(ObjectNode item, Path path, JsonNode value) {
    List<Object> elements = path.elements();
    if (elements.size() == 1) {
      item.set(path.first(), value);
      return;
    }
    JsonNode parent = get(item, new Path(elements.subList(0, elements.size() - 1)));
    Object last = elements.get(elements.size() - 1);
    if (parent != null
        && last instanceof Integer index
        && parent.get("L") instanceof ArrayNode list) {
      if (index >= list.size()) {
        list.add(value);
      } else {
        list.set(index, value);
      }
      return;
    }
    if (parent != null
        && last instanceof String name
        && parent.get("M") instanceof ObjectNode map) {
      map.set(name, value);
      return;
    }
    throw DynamoException.validation(
        "The document path provided in the update expression is invalid for update");
  }

  /** Removes the value at the path, if there is one; a list closes the gap. */
  public static void remove(ObjectNode item, Path path) {
    List<Object> elements = path.elements();
    if (elements.size() == 1) {
      item.remove(path.first());
      return;
    }
    JsonNode parent = get(item, new Path(elements.subList(0, elements.size() - 1)));
    Object last = elements.get(elements.size() - 1);
    if (parent == null) {
      return;
    }
    if (last instanceof Integer index && parent.get("L") instanceof ArrayNode list) {
      if (index < list.size()) {
        list.remove((int) index);
      }
    } else if (last instanceof String name && parent.get("M") instanceof ObjectNode map) {
      map.remove(name);
    } else {
      throw DynamoException.validation(
          "The document path provided in the update expression is invalid for update");
    }
  }

  /** A deep copy of an item. */
  public static ObjectNode copy(JsonNode item) {
    return item == null ? AttributeValues.NODES.objectNode() : (ObjectNode) item.deepCopy();
  }
}
