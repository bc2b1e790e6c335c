package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.TableSchema;
import tools.jackson.databind.JsonNode;

/**
 * An item before and after a write (null: none), for ReturnValues, and the table definition the
 * write used, for the capacity it consumed on the table's indexes.
 */
public record WriteResult(JsonNode old, JsonNode current, TableSchema table) {

  /** What the write consumed on its table and indexes. */
  public Consumption consumption() {
    return CapacityUnits.write(table, old, current);
  }
}
