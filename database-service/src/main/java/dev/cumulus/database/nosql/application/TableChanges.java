package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.StreamSetting;
import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.database.nosql.domain.TableRules;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An UpdateTable applied to a definition, with DynamoDB's rules (pure: no I/O). */
final class TableChanges {

  private TableChanges() {}

  static TableSchema apply(TableSchema schema, TableUpdate update) {
    TableSchema updated = schema;
    if (update.billingMode() != null || update.read() != null) {
      String mode = update.billingMode() == null ? schema.billingMode() : update.billingMode();
      boolean onDemand = mode.equals("PAY_PER_REQUEST");
      if (onDemand && update.read() != null) {
        throw DynamoException.invalidParameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is"
                + " PAY_PER_REQUEST");
      }
      long read = onDemand ? 0 : update.read() == null ? schema.readCapacity() : update.read();
      long write = onDemand ? 0 : update.write() == null ? schema.writeCapacity() : update.write();
      updated = updated.withBilling(mode, read, write);
    }
    if (update.createIndex() != null || update.deleteIndex() != null) {
      updated = changeIndexes(updated, update);
    }
    if (update.stream() != null) {
      updated = changeStream(updated, update.stream());
    }
    for (Map.Entry<String, long[]> e : update.indexThroughput().entrySet()) {
      if (updated.index(e.getKey()) == null || !updated.isGlobal(updated.index(e.getKey()))) {
        throw DynamoException.indexNotFound(schema.name(), e.getKey());
      }
      List<TableSchema.Index> indexes = new ArrayList<>();
      for (TableSchema.Index index : updated.globalIndexes()) {
        indexes.add(
            index.name().equals(e.getKey())
                ? index.withThroughput(e.getValue()[0], e.getValue()[1])
                : index);
      }
      updated = updated.withGlobalIndexes(indexes, updated.attributes());
    }
    TableRules.validate(updated);
    return updated;
  }

  private static TableSchema changeIndexes(TableSchema schema, TableUpdate update) {
    if (schema.globalIndexes().stream().anyMatch(index -> !index.active())) {
      throw new DynamoException(
          ErrorKind.BAD_REQUEST,
          "LimitExceededException",
          "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously"
              + " per table");
    }
    List<TableSchema.Index> indexes = new ArrayList<>(schema.globalIndexes());
    Map<String, String> definitions = new LinkedHashMap<>(schema.attributes());
    if (update.deleteIndex() != null) {
      if (!indexes.removeIf(index -> index.name().equals(update.deleteIndex()))) {
        throw new DynamoException(
            ErrorKind.BAD_REQUEST,
            "ResourceNotFoundException",
            "Requested resource not found: Index: "
                + update.deleteIndex()
                + " not found for table: "
                + schema.name());
      }
    }
    TableSchema.Index created = update.createIndex();
    if (created != null) {
      if (schema.index(created.name()) != null) {
        throw DynamoException.validation(
            "One or more parameter values were invalid: Index with name: "
                + created.name()
                + " already exists");
      }
      update
          .definitions()
          .forEach(
              (attribute, type) -> {
                String known = definitions.putIfAbsent(attribute, type);
                if (known != null && !known.equals(type)) {
                  throw DynamoException.invalidParameter(
                      "Cannot change the type of attribute " + attribute);
                }
              });
      indexes.add(created.withStatus(TableSchema.Index.CREATING));
    }
    // Attribute definitions are exactly the key attributes of the table and its indexes.
    Set<String> used = new TreeSet<>();
    addKey(used, schema.key());
    indexes.forEach(index -> addKey(used, index.key()));
    schema.localIndexes().forEach(index -> addKey(used, index.key()));
    definitions.keySet().retainAll(used);
    return schema.withGlobalIndexes(indexes, definitions);
  }

  /** Enables a stream (a new one, with a new label) or disables the table's stream. */
  private static TableSchema changeStream(TableSchema schema, StreamSetting stream) {
    if (stream.enabled() == schema.streamEnabled()) {
      throw DynamoException.validation(
          (stream.enabled()
                  ? "Table already has an enabled stream: TableName: "
                  : "Table does not have an enabled stream: TableName: ")
              + schema.name());
    }
    return stream.enabled()
        ? schema.withStream(stream.viewType(), Streams.label(Instant.now()))
        : schema.withStream(null, schema.streamLabel());
  }

  private static void addKey(Set<String> used, TableSchema.KeySchema key) {
    used.add(key.hash());
    if (key.range() != null) {
      used.add(key.range());
    }
  }
}
