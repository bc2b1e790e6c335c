package dev.cumulus.platform.db;

import io.r2dbc.spi.R2dbcException;

/** The SQLSTATE codes services act on, and how to find one in a failed statement's error. */
public final class SqlStates {

  public static final String UNIQUE_VIOLATION = "23505";
  public static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlStates() {}

  /** The SQLSTATE PostgreSQL answered with, found among the error's causes; null if none. */
  public static String of(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
        return r2dbc.getSqlState();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  /** Whether a failure is PostgreSQL's unique violation: the row exists already. */
  public static boolean isUniqueViolation(Throwable error) {
    return UNIQUE_VIOLATION.equals(of(error));
  }

  /** Whether a failure is a foreign-key violation: the row it refers to is gone. */
  public static boolean isForeignKeyViolation(Throwable error) {
    return FOREIGN_KEY_VIOLATION.equals(of(error));
  }
}
