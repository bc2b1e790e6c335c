package dev.cumulus.database.nosql.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A table's definition: key schema, attribute definitions, secondary indexes, TTL and billing.
 *
 * @param attributes attribute name -> type (S, N or B) of the key attributes of table and indexes
 * @param ttlAttribute the TTL attribute when TTL is enabled, else null
 * @param streamViewType the stream's view type (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE,
 *     NEW_AND_OLD_IMAGES) while a stream is enabled, else null
 * @param streamLabel the label of the table's latest stream (enabled or not), null if it never had
 *     one
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
    Instant createdAt,
    String streamViewType,
    String streamLabel) {

  /** A key: its hash attribute and optional range attribute. */
  public record KeySchema(String hash, String range) {}

  /**
   * A secondary index.
   *
   * @param projection ALL, KEYS_ONLY or INCLUDE
   * @param nonKeyAttributes for INCLUDE
   * @param status ACTIVE, or CREATING while a GSI added by UpdateTable is backfilled (null, in
   *     definitions from before UpdateTable: ACTIVE)
   */
  public record Index(
      String name,
      KeySchema key,
      String projection,
      List<String> nonKeyAttributes,
      long readCapacity,
      long writeCapacity,
      String status) {

    public static final String ACTIVE = "ACTIVE";
    public static final String CREATING = "CREATING";

    /** Whether reads may use it: not while it is backfilled. */
    public boolean active() {
      return status == null || status.equals(ACTIVE);
    }

    public Index withStatus(String newStatus) {
      return new Index(
          name, key, projection, nonKeyAttributes, readCapacity, writeCapacity, newStatus);
    }

    public Index withThroughput(long read, long write) {
      return new Index(name, key, projection, nonKeyAttributes, read, write, status);
    }
  }

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

  /** The table with these GSIs and attribute definitions (UpdateTable). */
  public TableSchema withGlobalIndexes(List<Index> indexes, Map<String, String> definitions) {
    return new TableSchema(
        name,
        key,
        definitions,
        indexes,
        localIndexes,
        billingMode,
        readCapacity,
        writeCapacity,
        ttlAttribute,
        createdAt,
        streamViewType,
        streamLabel);
  }

  /** The table with another billing mode and provisioned throughput (UpdateTable). */
  public TableSchema withBilling(String mode, long read, long write) {
    return new TableSchema(
        name,
        key,
        attributes,
        globalIndexes,
        localIndexes,
        mode,
        read,
        write,
        ttlAttribute,
        createdAt,
        streamViewType,
        streamLabel);
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
        createdAt,
        streamViewType,
        streamLabel);
  }

  /** Whether the table's changes go to a stream. */
  public boolean streamEnabled() {
    return streamViewType != null;
  }

  /** The table with a stream of this view type (a new label), or without one (null). */
  public TableSchema withStream(String viewType, String label) {
    return new TableSchema(
        name,
        key,
        attributes,
        globalIndexes,
        localIndexes,
        billingMode,
        readCapacity,
        writeCapacity,
        ttlAttribute,
        createdAt,
        viewType,
        label);
  }
}
