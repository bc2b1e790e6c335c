package dev.cumulus.database.nosql.domain;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.List;
import java.util.Map;

/**
 * An error DynamoDB would send, by its name ({@code __type} without the namespace). The REST
 * adapter renders it in the DockSaaS envelope with the name as code; the JSON protocol as DynamoDB
 * does.
 */
public class DynamoException extends ApiException {

  private final String type;
  private final List<Map<String, Object>> cancellationReasons;

  public DynamoException(ErrorKind kind, String type, String message) {
    this(kind, type, message, List.of());
  }

  public DynamoException(
      ErrorKind kind, String type, String message, List<Map<String, Object>> reasons) {
    super(kind, message, type, null, Map.of(), null);
    this.type = type;
    this.cancellationReasons = reasons;
  }

  /** e.g. {@code ConditionalCheckFailedException}. */
  public String type() {
    return type;
  }

  /** TransactionCanceledException's per-item reasons; empty otherwise. */
  public List<Map<String, Object>> cancellationReasons() {
    return cancellationReasons;
  }

  public static DynamoException validation(String message) {
    return new DynamoException(ErrorKind.BAD_REQUEST, "ValidationException", message);
  }

  public static DynamoException invalidParameter(String message) {
    return validation("One or more parameter values were invalid: " + message);
  }

  public static DynamoException tableNotFound(String table) {
    return new DynamoException(
        ErrorKind.NOT_FOUND,
        "ResourceNotFoundException",
        "Requested resource not found: Table: " + table + " not found");
  }

  public static DynamoException indexNotFound(String table, String index) {
    return validation(
        "The table does not have the specified index: " + index + " (table " + table + ")");
  }

  public static DynamoException tableExists(String table) {
    return new DynamoException(
        ErrorKind.CONFLICT, "ResourceInUseException", "Table already exists: " + table);
  }

  public static DynamoException conditionFailed() {
    return new DynamoException(
        ErrorKind.CONFLICT, "ConditionalCheckFailedException", "The conditional request failed");
  }
}
