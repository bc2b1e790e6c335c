package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.OutboxSignal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Item change events, in the transaction of the change: {@code
 * dev.cumulus.nosql.item.{inserted,modified,removed}.v1} on topic {@code cumulus.nosql}, keyed by
 * instance, table and item key (so one item's events stay in order), with the keys and the images
 * the table's stream view type names (both when the table has no stream), TTL deletions marked with
 * DynamoDB's service identity.
 */
@Component
public class ItemEvents {

  public static final String TOPIC = "cumulus.nosql";

  /** Who made a TTL deletion, as DynamoDB Streams' userIdentity names it. */
  public static final String SERVICE_PRINCIPAL = "dynamodb.amazonaws.com";

  private final Outbox outbox;

  public ItemEvents(DatabaseClient db, ObjectMapper json, OutboxSignal signal) {
    // Its own outbox: events are typed dev.cumulus.nosql.*, not by the application name.
    this.outbox = new Outbox(db, json, "nosql", signal);
  }

  public Mono<Void> changed(ItemChange change) {
    return row(change).flatMap(outbox::append).then();
  }

  /**
   * The outbox row of a change (none when nothing changed), for a writer that inserts it with the
   * item in one statement and then calls {@link #signalRelayOnCommit}.
   */
  public Mono<Outbox.Row> row(ItemChange change) {
    if (change.old() == null && change.current() == null) {
      return Mono.empty();
    }
    String verb =
        switch (change.eventName()) {
          case "INSERT" -> "inserted";
          case "MODIFY" -> "modified";
          default -> "removed";
        };
    // A table with a stream: the images its view type names; without one: both.
    String viewType = change.table().streamEnabled() ? change.table().streamViewType() : null;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", change.service());
    data.put("tableName", change.table().name());
    data.put("keys", change.keys());
    data.put(
        "oldImage", viewType == null ? change.old() : Streams.oldImage(viewType, change.old()));
    data.put(
        "newImage",
        viewType == null ? change.current() : Streams.newImage(viewType, change.current()));
    if (viewType != null) {
      data.put("streamViewType", viewType);
    }
    if (change.byService()) {
      data.put("userIdentity", Map.of("type", "Service", "principalId", SERVICE_PRINCIPAL));
    }
    String key = change.service() + "/" + change.table().name() + "/" + change.itemId();
    return outbox.rowForTenant(change.tenant(), TOPIC, key, "item", verb, data);
  }

  /** Wakes the relay once the transaction that wrote rows of {@link #row} commits. */
  public Mono<Void> signalRelayOnCommit() {
    return outbox.signalRelayOnCommit();
  }
}
