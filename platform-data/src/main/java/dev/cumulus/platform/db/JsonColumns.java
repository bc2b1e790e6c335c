package dev.cumulus.platform.db;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;

/** Reading {@code json}/{@code jsonb} columns through R2DBC. */
public final class JsonColumns {

  private JsonColumns() {}

  /**
   * The column's JSON text, or null. Works whichever format the row came in: with the driver's
   * {@code forceBinary} a {@code jsonb} value arrives with a version byte before the text, which
   * reading it as a {@code String} would keep.
   */
  public static String text(Readable row, String column) {
    Json value = row.get(column, Json.class);
    return value == null ? null : value.asString();
  }
}
