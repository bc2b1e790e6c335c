package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.IndexProjection;
import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.KeyValue;
import dev.cumulus.database.nosql.domain.TableSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * DynamoDB's capacity arithmetic: a read unit is 4 KB read strongly consistently (half for an
 * eventually consistent read), a write unit is 1 KB written; at least one unit per item, twice as
 * much inside a transaction. A write also writes each secondary index whose entry it adds, changes
 * or removes, by the size of the entry (what the index projects).
 */
public final class CapacityUnits {

  private static final int READ_UNIT_BYTES = 4096;
  private static final int WRITE_UNIT_BYTES = 1024;

  private CapacityUnits() {}

  /** Read units of an item, or of a Query/Scan page, of this many bytes. */
  public static double read(long bytes, boolean consistent) {
    double units = Math.max(1, Math.ceil(bytes / (double) READ_UNIT_BYTES));
    return consistent ? units : units / 2;
  }

  /** Write units of writing an item: the larger of its size before and after. */
  public static double write(long bytesBefore, long bytesAfter) {
    return Math.max(1, Math.ceil(Math.max(bytesBefore, bytesAfter) / (double) WRITE_UNIT_BYTES));
  }

  /**
   * What writing an item ({@code before}/{@code after} null: absent) consumed on its table and each
   * index. An index is written once when the item enters or leaves it or changes what it projects
   * there, twice (a delete and a put) when its index key changes, and not at all otherwise.
   */
  public static Consumption write(TableSchema table, JsonNode before, JsonNode after) {
    Map<String, Consumption.Units> global = new LinkedHashMap<>();
    Map<String, Consumption.Units> local = new LinkedHashMap<>();
    for (TableSchema.Index index : table.indexes()) {
      double units = indexWrite(table, index, before, after);
      if (units > 0) {
        (table.isGlobal(index) ? global : local).put(index.name(), new Consumption.Units(0, units));
      }
    }
    double own = write(size(before), size(after));
    return new Consumption(new Consumption.Units(0, own), global, local);
  }

  private static double indexWrite(
      TableSchema table, TableSchema.Index index, JsonNode before, JsonNode after) {
    ItemKey keyBefore = before == null ? null : ItemKey.ofIndex(table, index, before);
    ItemKey keyAfter = after == null ? null : ItemKey.ofIndex(table, index, after);
    JsonNode entryBefore = keyBefore == null ? null : IndexProjection.project(table, index, before);
    JsonNode entryAfter = keyAfter == null ? null : IndexProjection.project(table, index, after);
    if (entryBefore == null && entryAfter == null) {
      return 0;
    }
    if (entryBefore == null || entryAfter == null) {
      return write(size(entryBefore), size(entryAfter));
    }
    if (!sameKey(keyBefore, keyAfter)) {
      return write(size(entryBefore), 0) + write(0, size(entryAfter));
    }
    return entryBefore.equals(entryAfter) ? 0 : write(size(entryBefore), size(entryAfter));
  }

  /** Key values compare by type and canonical text (their records hold arrays). */
  private static boolean sameKey(ItemKey a, ItemKey b) {
    return same(a.hash(), b.hash()) && same(a.range(), b.range());
  }

  private static boolean same(KeyValue a, KeyValue b) {
    return a.type().equals(b.type()) && a.text().equals(b.text());
  }

  private static long size(JsonNode item) {
    return item == null ? 0 : AttributeValues.itemSize(item);
  }
}
