package dev.cumulus.auth.common.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Small helpers for hand-written R2DBC SQL. */
public final class Rows {

  private Rows() {}

  public static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  public static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  public static List<String> strings(Readable row, String column) {
    String[] value = row.get(column, String[].class);
    return value == null ? List.of() : Arrays.asList(value);
  }
}
