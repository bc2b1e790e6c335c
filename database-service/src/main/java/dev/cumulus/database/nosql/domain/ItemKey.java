package dev.cumulus.database.nosql.domain;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An item's primary key, checked against the table's key schema.
 *
 * @param range {@link KeyValue#NONE} for a table without range key
 */
public record ItemKey(KeyValue hash, KeyValue range) {

  public static final int MAX_HASH_BYTES = 2048;
  public static final int MAX_RANGE_BYTES = 1024;

  /** The key of a full item (PutItem): the key attributes must be present with their types. */
  public static ItemKey ofItem(TableSchema table, JsonNode item) {
    return new ItemKey(
        part(table, table.key().hash(), item, true, MAX_HASH_BYTES),
        table.key().range() == null
            ? KeyValue.NONE
            : part(table, table.key().range(), item, true, MAX_RANGE_BYTES));
  }

  /** A Key parameter (GetItem, DeleteItem, ...): exactly the key attributes. */
  public static ItemKey ofKey(TableSchema table, JsonNode key) {
    int expected = table.key().range() == null ? 1 : 2;
    if (key == null || !key.isObject() || key.size() != expected) {
      throw DynamoException.validation("The provided key element does not match the schema");
    }
    for (Map.Entry<String, JsonNode> e : key.properties()) {
      if (!e.getKey().equals(table.key().hash()) && !e.getKey().equals(table.key().range())) {
        throw DynamoException.validation("The provided key element does not match the schema");
      }
    }
    return new ItemKey(
        part(table, table.key().hash(), key, false, MAX_HASH_BYTES),
        table.key().range() == null
            ? KeyValue.NONE
            : part(table, table.key().range(), key, false, MAX_RANGE_BYTES));
  }

  /** The index key of an item, or null when the item lacks an index key attribute (sparse). */
  public static ItemKey ofIndex(TableSchema table, TableSchema.Index index, JsonNode item) {
    JsonNode hash = item.get(index.key().hash());
    JsonNode range = index.key().range() == null ? null : item.get(index.key().range());
    if (hash == null || (index.key().range() != null && range == null)) {
      return null;
    }
    if (!AttributeValues.type(hash).equals(table.type(index.key().hash()))
        || (range != null
            && !AttributeValues.type(range).equals(table.type(index.key().range())))) {
      return null;
    }
    return new ItemKey(KeyValue.of(hash), range == null ? KeyValue.NONE : KeyValue.of(range));
  }

  private static KeyValue part(
      TableSchema table, String name, JsonNode item, boolean inItem, int maxBytes) {
    JsonNode value = item.get(name);
    if (value == null) {
      throw inItem
          ? DynamoException.invalidParameter("Missing the key " + name + " in the item")
          : DynamoException.validation("The provided key element does not match the schema");
    }
    String expected = table.type(name);
    String actual = AttributeValues.type(value);
    if (!actual.equals(expected)) {
      throw DynamoException.invalidParameter(
          "Type mismatch for key " + name + " expected: " + expected + " actual: " + actual);
    }
    KeyValue key = KeyValue.of(AttributeValues.normalize(value));
    int bytes = key.type().equals("B") ? key.binary().length : AttributeValues.utf8(key.text());
    if (bytes == 0 && !key.type().equals("N")) {
      throw DynamoException.invalidParameter(
          "One or more parameter values are not valid. The AttributeValue for a key attribute"
              + " cannot contain an empty string value. Key: "
              + name);
    }
    if (bytes > maxBytes) {
      throw DynamoException.invalidParameter(
          "Size of "
              + (maxBytes == MAX_HASH_BYTES ? "hashkey" : "rangekey")
              + " has exceeded the maximum size limit of "
              + maxBytes
              + " bytes");
    }
    return key;
  }

  /** The key as a Key parameter / LastEvaluatedKey part. */
  public static ObjectNode attributes(TableSchema table, JsonNode item) {
    ObjectNode key = AttributeValues.NODES.objectNode();
    key.set(table.key().hash(), item.get(table.key().hash()));
    if (table.key().range() != null) {
      key.set(table.key().range(), item.get(table.key().range()));
    }
    return key;
  }

  /** Readable form for events and locks. */
  public String id() {
    return range.text().isEmpty() ? hash.text() : hash.text() + "/" + range.text();
  }
}
