package dev.cumulus.database.rds.domain;

import dev.cumulus.platform.error.ApiException;
import java.util.regex.Pattern;

/**
 * SQL identifiers from requests (schema, table and column names): validated against a strict
 * pattern, then always double-quoted, so a name is only ever a name.
 */
public final class Identifiers {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Identifiers() {}

  /** The name, double-quoted; 400 unless it is a letter or _ then up to 62 letters, digits, _. */
  public static String quote(String what, String name) {
    return "\"" + validate(what, name) + "\"";
  }

  public static String validate(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          "Invalid "
              + what
              + " name '"
              + name
              + "': use a letter or _, then up to 62 letters, digits or _");
    }
    return name;
  }

  /** {@code "schema"."table"}. */
  public static String qualified(String schema, String table) {
    return quote("schema", schema) + "." + quote("table", table);
  }
}
