package dev.cumulus.database.nosql.application;

/**
 * DynamoDB's capacity arithmetic: a read unit is 4 KB read strongly consistently (half for an
 * eventually consistent read), a write unit is 1 KB written; at least one unit per item, twice as
 * much inside a transaction.
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
}
