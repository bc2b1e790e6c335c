package dev.cumulus.database.nosql.domain;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a secondary index holds of an item: all of it, its keys, or its keys and INCLUDE attributes.
 */
public final class IndexProjection {

  private IndexProjection() {}

  /** The item as the index ({@code null}: the table itself) holds it. */
  public static JsonNode project(TableSchema table, TableSchema.Index index, JsonNode item) {
    if (index == null || index.projection().equals("ALL")) {
      return item;
    }
    ObjectNode out = keys(table, index, item);
    if (index.projection().equals("INCLUDE") && index.nonKeyAttributes() != null) {
      for (String attribute : index.nonKeyAttributes()) {
        if (item.get(attribute) != null) {
          out.set(attribute, item.get(attribute));
        }
      }
    }
    return out;
  }

  /** The item's table key attributes, and the index's key attributes when {@code index} is set. */
  public static ObjectNode keys(TableSchema table, TableSchema.Index index, JsonNode item) {
    ObjectNode key = ItemKey.attributes(table, item);
    if (index != null) {
      key.set(index.key().hash(), item.get(index.key().hash()));
      if (index.key().range() != null) {
        key.set(index.key().range(), item.get(index.key().range()));
      }
    }
    return key;
  }
}
