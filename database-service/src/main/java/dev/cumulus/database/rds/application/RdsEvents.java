package dev.cumulus.database.rds.application;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.OutboxSignal;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Managed PostgreSQL events on topic {@code cumulus.rds}, keyed by service id: {@code
 * dev.cumulus.rds.instance.{ready,deleted}.v1}, {@code
 * dev.cumulus.rds.backup.{completed,failed}.v1} and {@code dev.cumulus.rds.statement.slow.v1}.
 * Written in the transaction of the change.
 */
@Component
public class RdsEvents {

  public static final String TOPIC = "cumulus.rds";

  private final Outbox outbox;

  public RdsEvents(DatabaseClient db, ObjectMapper json, OutboxSignal signal) {
    // Its own outbox: events are typed dev.cumulus.rds.*, not by the application name.
    this.outbox = new Outbox(db, json, "rds", signal);
  }

  public Mono<Void> publish(
      String tenant, String serviceId, String entity, String verb, Map<String, Object> data) {
    return outbox.appendForTenant(tenant, TOPIC, serviceId, entity, verb, data).then();
  }
}
