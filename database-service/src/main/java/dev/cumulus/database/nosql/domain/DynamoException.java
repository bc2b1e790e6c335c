package dev.cumulus.database.nosql.domain;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import tools.jackson.databind.JsonNode;

/**
 * An error DynamoDB would send, by its name ({@code __type} without the namespace). The REST
 * adapter renders it in the DockSaaS envelope with the name as code; the JSON protocol as DynamoDB
 * does.
 */
public class DynamoException extends ApiException {

  private final String type;
  private final List<Map<String, Object>> cancellationReasons;
  private final JsonNode item;
  private final boolean itemsReturned;

  public DynamoException(ErrorKind kind, String type, String message) {
    this(kind, type, message, List.of());
  }

  public DynamoException(
      ErrorKind kind, String type, String message, List<Map<String, Object>> reasons) {
    this(kind, type, message, reasons, null, false);
  }

  private DynamoException(
      ErrorKind kind,
      String type,
      String message,
      List<Map<String, Object>> reasons,
      JsonNode item,
      boolean itemsReturned) {
    super(kind, message, type, null, Map.of(), null);
    this.type = type;
    this.cancellationReasons = reasons;
    this.item = item;
    this.itemsReturned = itemsReturned;
  }

  /** e.g. {@code ConditionalCheckFailedException}. */
  public String type() {
    return type;
  }

  /** TransactionCanceledException's per-item reasons; empty otherwise. */
  public List<Map<String, Object>> cancellationReasons() {
    return cancellationReasons;
  }

  /** The item a failed condition was tested against, or null. */
  public JsonNode item() {
    return item;
  }

  /**
   * Whether the answer carries the items of failed conditions ({@link #item()}, the reasons' {@link
   * #ITEM}): only after {@link #keepingItems}, so no path returns them unasked.
   */
  public boolean itemsReturned() {
    return itemsReturned;
  }

  /**
   * This error with the items of failed conditions kept only where the request asked for them
   * ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}): {@code asked} tests the write's
   * position in its request (0 for a single write).
   */
  public DynamoException keepingItems(IntPredicate asked) {
    List<Map<String, Object>> reasons = new ArrayList<>();
    for (int i = 0; i < cancellationReasons.size(); i++) {
      Map<String, Object> reason = new LinkedHashMap<>(cancellationReasons.get(i));
      if (!asked.test(i)) {
        reason.remove(ITEM);
      }
      reasons.add(reason);
    }
    DynamoException kept =
        new DynamoException(kind(), type, getMessage(), reasons, asked.test(0) ? item : null, true);
    kept.setStackTrace(getStackTrace());
    return kept;
  }

  /** The cancellation reason's key for the item its condition was tested against. */
  public static final String ITEM = "Item";

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
    return conditionFailed(null);
  }

  /** A failed condition, with the item it was tested against (null: there was none). */
  public static DynamoException conditionFailed(JsonNode item) {
    return new DynamoException(
        ErrorKind.CONFLICT,
        "ConditionalCheckFailedException",
        "The conditional request failed",
        List.of(),
        item,
        false);
  }
}
