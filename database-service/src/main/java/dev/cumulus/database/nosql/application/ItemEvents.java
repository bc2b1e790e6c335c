package dev.cumulus.database.nosql.application;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.OutboxSignal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Item change events, in the transaction of the change: {@code
 * dev.cumulus.nosql.item.{inserted,modified,removed}.v1} on topic {@code cumulus.nosql}, keyed by
 * instance, table and item key (so one item's events stay in order), with the keys and both images
 * as DynamoDB Streams' NEW_AND_OLD_IMAGES would carry them.
 */
@Component
public class ItemEvents {

  public static final String TOPIC = "cumulus.nosql";

  private final Outbox outbox;

  public ItemEvents(DatabaseClient db, ObjectMapper json, OutboxSignal signal) {
    // Its own outbox: events are typed dev.cumulus.nosql.*, not by the application name.
    this.outbox = new Outbox(db, json, "nosql", signal);
  }

  public Mono<Void> changed(
      String tenant,
      String service,
      String table,
      String itemId,
      JsonNode keys,
      JsonNode old,
      JsonNode current) {
    if (old == null && current == null) {
      return Mono.empty();
    }
    String verb = old == null ? "inserted" : current == null ? "removed" : "modified";
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", service);
    data.put("tableName", table);
    data.put("keys", keys);
    data.put("oldImage", old);
    data.put("newImage", current);
    return outbox
        .appendForTenant(tenant, TOPIC, service + "/" + table + "/" + itemId, "item", verb, data)
        .then();
  }
}
