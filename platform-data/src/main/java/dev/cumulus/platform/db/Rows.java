package dev.cumulus.platform.db;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Small helpers for hand-written R2DBC SQL (jsonb: {@link JsonColumns}). */
public final class Rows {

  private Rows() {}

  /** Binds {@code value}, or a typed NULL when it is null (R2DBC needs the type of a NULL). */
  public static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  /** A {@code timestamptz} column as an {@link Instant}, or null. */
  public static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** A {@code text[]} column as a list, empty when NULL. */
  public static List<String> strings(Readable row, String column) {
    String[] value = row.get(column, String[].class);
    return value == null ? List.of() : Arrays.asList(value);
  }
}
