package dev.cumulus.database.rds.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import io.r2dbc.spi.R2dbcException;
import java.util.Map;

/**
 * PostgreSQL's errors as the client's fault (400) with their SQLSTATE, the way psql shows them:
 * never a 500 for a bad statement. The server being unreachable or full is a 503.
 */
public final class SqlErrors {

  public static final String QUERY_TIMEOUT = "57014";
  public static final String READ_ONLY = "25006";

  private SqlErrors() {}

  /** The ApiException for a failure of a tenant's statement; other failures unchanged. */
  public static Throwable translate(Throwable error) {
    return translate(error, null);
  }

  /**
   * As above; a write refused in a read-only transaction (25006) the service made read-only for
   * being over the storage limit is {@code StorageLimitExceeded}, with {@code readOnlyReason}.
   */
  public static Throwable translate(Throwable error, String readOnlyReason) {
    if (readOnlyReason != null && READ_ONLY.equals(state(error))) {
      String message =
          error instanceof ApiException api
              ? api.getMessage()
              : find(error).getMessage() + " (SQLSTATE " + READ_ONLY + ")";
      return new ApiException(
          ErrorKind.BAD_REQUEST,
          message + ": " + readOnlyReason,
          "StorageLimitExceeded",
          READ_ONLY,
          Map.of(),
          error);
    }
    if (error instanceof ApiException) {
      return error;
    }
    R2dbcException sql = find(error);
    if (sql == null || sql.getSqlState() == null) {
      return error;
    }
    String state = sql.getSqlState();
    String message = sql.getMessage() + " (SQLSTATE " + state + ")";
    if (state.startsWith("08") || state.startsWith("53") || state.equals("57P03")) {
      return new ApiException(
          ErrorKind.SERVICE_UNAVAILABLE, message, "DatabaseUnavailable", state, Map.of(), error);
    }
    String code =
        switch (state) {
          case QUERY_TIMEOUT -> "StatementTimeout";
          case "42501" -> "PermissionDenied";
          case "42P01" -> "UndefinedTable";
          case "42703" -> "UndefinedColumn";
          case "42601" -> "SyntaxError";
          case READ_ONLY -> "ReadOnlyTransaction";
          default -> state.startsWith("23") ? "ConstraintViolation" : "QueryFailed";
        };
    return new ApiException(ErrorKind.BAD_REQUEST, message, code, state, Map.of(), error);
  }

  /** The SQLSTATE of a translated or driver error; null if none. */
  public static String state(Throwable error) {
    if (error instanceof ApiException api) {
      return api.details() != null && api.details().matches("[0-9A-Z]{5}") ? api.details() : null;
    }
    R2dbcException sql = find(error);
    return sql == null ? null : sql.getSqlState();
  }

  private static R2dbcException find(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof R2dbcException r2dbc) {
        return r2dbc;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
