package dev.cumulus.database.nosql.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A table's definition: key schema, attribute definitions, secondary indexes, TTL and billing.
 *
 * @param attributes attribute name -> type (S, N or B) of the key attributes of table and indexes
 * @param ttlAttribute the TTL attribute when TTL is enabled, else null
 */
public record TableSchema(
    String name,
    KeySchema key,
    Map<String, String> attributes,
    List<Index> globalIndexes,
    List<Index> localIndexes,
    String billingMode,
    long readCapacity,
    long writeCapacity,
    String ttlAttribute,
    Instant createdAt) {

  /** A key: its hash attribute and optional range attribute. */
  public record KeySchema(String hash, String range) {}

  /**
   * A secondary index.
   *
   * @param projection ALL, KEYS_ONLY or INCLUDE
   * @param nonKeyAttributes for INCLUDE
   */
  public record Index(
      String name,
      KeySchema key,
      String projection,
      List<String> nonKeyAttributes,
      long readCapacity,
      long writeCapacity) {}

  public String type(String attribute) {
    return attributes.get(attribute);
  }

  /** The index called {@code name}, or null. */
  public Index index(String name) {
    for (Index index : globalIndexes) {
      if (index.name().equals(name)) {
        return index;
      }
    }
    for (Index index : localIndexes) {
      if (index.name().equals(name)) {
        return index;
      }
    }
    return null;
  }

  public boolean isGlobal(Index index) {
    return globalIndexes.contains(index);
  }

  public List<Index> indexes() {
    return java.util.stream.Stream.concat(globalIndexes.stream(), localIndexes.stream()).toList();
  }

  public TableSchema withTtl(String attribute) {
    return new TableSchema(
        name,
        key,
        attributes,
        globalIndexes,
        localIndexes,
        billingMode,
        readCapacity,
        writeCapacity,
        attribute,
        createdAt);
  }
}
