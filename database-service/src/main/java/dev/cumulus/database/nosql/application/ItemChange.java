package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.TableSchema;
import tools.jackson.databind.JsonNode;

/**
 * One item's change, for its event and stream record.
 *
 * @param itemId the item key's canonical text
 * @param keys the item's key attributes
 * @param old the item before (null: none)
 * @param current the item after (null: deleted)
 * @param byService whether DynamoDB itself made it (a TTL deletion), not a user
 */
public record ItemChange(
    String tenant,
    String service,
    TableSchema table,
    String itemId,
    JsonNode keys,
    JsonNode old,
    JsonNode current,
    boolean byService) {

  /** INSERT, MODIFY or REMOVE. */
  public String eventName() {
    return old == null ? "INSERT" : current == null ? "REMOVE" : "MODIFY";
  }
}
