package dev.cumulus.database.rds.domain;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one rdsdatabase instance may use, decided by its tenant's plan when it is provisioned (and
 * again when the plan changes): the role's CONNECTION LIMIT and its session defaults. PostgreSQL
 * lets a role change its own {@code statement_timeout} and {@code work_mem}, so the API also sets
 * them per transaction; {@code temp_file_limit} only a superuser may change.
 *
 * @param connectionLimit sessions the role may hold at once (the service's pool included)
 * @param statementTimeout the longest statement
 * @param workMem memory per sort or hash before it spills to disk, e.g. {@code 4MB}
 * @param tempFileLimit temporary file space per session, e.g. {@code 1GB}; {@code -1}: none
 * @param storageLimit the database's size cap, e.g. {@code 1GB}; {@code -1}: none. Over it, the
 *     instance is made read-only until it is under again (RdsStorageCap)
 */
public record PlanLimits(
    int connectionLimit,
    Duration statementTimeout,
    String workMem,
    String tempFileLimit,
    String storageLimit) {

  /** A PostgreSQL memory or size setting: a number with an optional unit, or -1 (no limit). */
  private static final Pattern SIZE = Pattern.compile("-1|[0-9]{1,12}(kB|MB|GB|TB)?");

  public PlanLimits {
    if (connectionLimit < 1) {
      throw new IllegalArgumentException("connection-limit must be at least 1: " + connectionLimit);
    }
    if (statementTimeout == null
        || statementTimeout.isNegative()
        || statementTimeout.toMillis() < 1
        || statementTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "statement-timeout must be 1ms to 24 days: " + statementTimeout);
    }
    if (workMem == null || workMem.equals("-1") || !SIZE.matcher(workMem).matches()) {
      throw new IllegalArgumentException("work-mem must look like 16MB: " + workMem);
    }
    if (tempFileLimit == null || !SIZE.matcher(tempFileLimit).matches()) {
      throw new IllegalArgumentException(
          "temp-file-limit must look like 1GB or -1: " + tempFileLimit);
    }
    if (storageLimit == null || !SIZE.matcher(storageLimit).matches()) {
      throw new IllegalArgumentException("storage-limit must look like 1GB or -1: " + storageLimit);
    }
  }

  /** The storage cap in bytes (PostgreSQL's units: 1kB = 1024 bytes); -1 when there is none. */
  public long storageLimitBytes() {
    return bytes(storageLimit);
  }

  /** A size as PostgreSQL writes it ({@code 512}, {@code 4MB}, {@code -1}) in bytes. */
  static long bytes(String size) {
    if (size.equals("-1")) {
      return -1;
    }
    int unitAt = size.length();
    while (unitAt > 0 && !Character.isDigit(size.charAt(unitAt - 1))) {
      unitAt--;
    }
    long number = Long.parseLong(size.substring(0, unitAt));
    long unit =
        switch (size.substring(unitAt)) {
          case "kB" -> 1L << 10;
          case "MB" -> 1L << 20;
          case "GB" -> 1L << 30;
          case "TB" -> 1L << 40;
          default -> 1L;
        };
    return Math.multiplyExact(number, unit);
  }

  /**
   * The role's session defaults ({@code ALTER ROLE ... SET name = 'value'}), by setting name. The
   * values are validated above, so they can be written into the statement as literals.
   */
  public Map<String, String> roleSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("statement_timeout", statementTimeout.toMillis() + "ms");
    settings.put("work_mem", workMem);
    settings.put("temp_file_limit", tempFileLimit);
    return settings;
  }
}
