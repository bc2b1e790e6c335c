package dev.cumulus.database.nosql.application;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capacity units a request consumed on one table: the table's own and each secondary index's,
 * as DynamoDB's {@code ConsumedCapacity} reports them. Local indexes draw on the table's
 * provisioned throughput; global ones have their own.
 */
public record Consumption(
    Units table, Map<String, Units> globalIndexes, Map<String, Units> localIndexes) {

  /** Read and write units. */
  public record Units(double read, double write) {

    public static final Units NONE = new Units(0, 0);

    public Units plus(Units other) {
      return new Units(read + other.read, write + other.write);
    }

    public double total() {
      return read + write;
    }
  }

  public static final Consumption NONE = new Consumption(Units.NONE, Map.of(), Map.of());

  /** Read units of the table itself. */
  public static Consumption read(double units) {
    return new Consumption(new Units(units, 0), Map.of(), Map.of());
  }

  /** Read units of a Query or Scan: on the table, or on the index it read ({@code global}?). */
  public static Consumption read(double units, String index, boolean global) {
    if (index == null) {
      return read(units);
    }
    Map<String, Units> ofIndex = Map.of(index, new Units(units, 0));
    return global
        ? new Consumption(Units.NONE, ofIndex, Map.of())
        : new Consumption(Units.NONE, Map.of(), ofIndex);
  }

  public Consumption plus(Consumption other) {
    return new Consumption(
        table.plus(other.table),
        merge(globalIndexes, other.globalIndexes),
        merge(localIndexes, other.localIndexes));
  }

  /** Twice as much, as inside a transaction. */
  public Consumption doubled() {
    return new Consumption(twice(table), twice(globalIndexes), twice(localIndexes));
  }

  /** Everything: the table and all its indexes. */
  public Units total() {
    Units sum = table;
    for (Units units : globalIndexes.values()) {
      sum = sum.plus(units);
    }
    for (Units units : localIndexes.values()) {
      sum = sum.plus(units);
    }
    return sum;
  }

  /** What the table's own provisioned throughput pays: the table and its local indexes. */
  public Units tableShare() {
    Units sum = table;
    for (Units units : localIndexes.values()) {
      sum = sum.plus(units);
    }
    return sum;
  }

  private static Map<String, Units> merge(Map<String, Units> a, Map<String, Units> b) {
    if (b.isEmpty()) {
      return a;
    }
    Map<String, Units> out = new LinkedHashMap<>(a);
    b.forEach((name, units) -> out.merge(name, units, Units::plus));
    return out;
  }

  private static Units twice(Units units) {
    return new Units(units.read() * 2, units.write() * 2);
  }

  private static Map<String, Units> twice(Map<String, Units> byIndex) {
    Map<String, Units> out = new LinkedHashMap<>();
    byIndex.forEach((name, units) -> out.put(name, twice(units)));
    return out;
  }
}
