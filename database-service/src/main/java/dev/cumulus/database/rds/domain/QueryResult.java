package dev.cumulus.database.rds.domain;

import java.util.List;

/**
 * What a statement returned: its columns and rows (values as the driver decoded them: numbers,
 * strings, booleans, temporals, byte arrays, arrays, {@link JsonValue}), or the rows it changed.
 *
 * @param truncated why fewer rows came back than the statement produced ({@code rows} or {@code
 *     bytes}), or null when all of them did
 */
public record QueryResult(
    List<Column> columns,
    List<List<Object>> rows,
    long rowsAffected,
    String truncated,
    long elapsedMillis) {

  /** A result column: its name and PostgreSQL type name ({@code int4}, {@code varchar}, ...). */
  public record Column(String name, String type) {}
}
