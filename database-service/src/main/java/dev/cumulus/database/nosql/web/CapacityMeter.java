package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.Consumption;
import dev.cumulus.database.nosql.application.ThroughputGate;
import dev.cumulus.database.nosql.application.ThroughputGate.Admission;
import dev.cumulus.database.nosql.application.ThroughputGate.Direction;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.platform.instance.Instance;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meters the item operations: admits them against their tables' (and global indexes') provisioned
 * throughput, charges what they consumed, and adds {@code ConsumedCapacity} to the answer when the
 * request asks for it ({@code ReturnConsumedCapacity} TOTAL, or INDEXES with the table's and each
 * index's share).
 */
@Component
class CapacityMeter {

  /** An operation's answer and what it consumed per table. */
  record Metered(ObjectNode out, Map<String, Consumption> byTable) {
    static Metered of(ObjectNode out, String table, Consumption used) {
      return new Metered(out, Map.of(table, used));
    }
  }

  /** What a request draws on: its tables, read or write capacity or both, the index it reads. */
  record Demand(Set<String> tables, Set<Direction> directions, String index, boolean list) {

    static Demand of(String table, Direction direction) {
      return new Demand(Set.of(table), Set.of(direction), null, false);
    }

    /** A Query or Scan, on the table or one of its indexes (null: the table). */
    static Demand read(String table, String index) {
      return new Demand(Set.of(table), Set.of(Direction.READ), index, false);
    }

    /** A batch or transaction over several tables; ConsumedCapacity is a list then. */
    static Demand batch(Set<String> tables, Set<Direction> directions) {
      return new Demand(tables, directions, null, true);
    }
  }

  private static final Set<String> MODES = Set.of("NONE", "TOTAL", "INDEXES");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ThroughputGate gate;

  CapacityMeter(ThroughputGate gate) {
    this.gate = gate;
  }

  /** One table's read or write. */
  Mono<ObjectNode> run(
      Instance instance, JsonNode request, String table, Direction direction, Mono<Metered> work) {
    return run(instance, request, Demand.of(table, direction), work);
  }

  /** Admits the demand, runs the work, charges what it consumed and reports it when asked. */
  Mono<ObjectNode> run(Instance instance, JsonNode request, Demand demand, Mono<Metered> work) {
    String mode = mode(request);
    return Flux.fromIterable(demand.tables())
        .concatMap(
            table ->
                gate.admit(instance, table, demand.directions(), demand.index())
                    .map(admission -> Map.entry(table, admission)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(admitted -> work.flatMap(metered -> charge(admitted, metered)))
        .map(metered -> render(metered, mode, demand));
  }

  /** Each table's consumption, charged through its admission (a table it did not admit: none). */
  private static Mono<Metered> charge(Map<String, Admission> admitted, Metered metered) {
    return Flux.fromIterable(metered.byTable().entrySet())
        .filter(e -> admitted.containsKey(e.getKey()))
        .concatMap(e -> admitted.get(e.getKey()).charge(e.getValue()))
        .then(Mono.just(metered));
  }

  private static ObjectNode render(Metered metered, String mode, Demand demand) {
    ObjectNode out = metered.out();
    if (mode.equals("NONE")) {
      return out;
    }
    boolean indexes = mode.equals("INDEXES");
    if (demand.list()) {
      ArrayNode entries = out.putArray("ConsumedCapacity");
      metered.byTable().forEach((table, used) -> entries.add(entry(table, used, indexes, demand)));
    } else {
      metered
          .byTable()
          .forEach(
              (table, used) -> out.set("ConsumedCapacity", entry(table, used, indexes, demand)));
    }
    return out;
  }

  private static ObjectNode entry(String table, Consumption used, boolean indexes, Demand demand) {
    ObjectNode entry = NODES.objectNode().put("TableName", table);
    units(entry, used.total(), demand);
    if (indexes) {
      units(entry.putObject("Table"), used.table(), demand);
      byIndex(entry, "LocalSecondaryIndexes", used.localIndexes(), demand);
      byIndex(entry, "GlobalSecondaryIndexes", used.globalIndexes(), demand);
    }
    return entry;
  }

  private static void byIndex(
      ObjectNode entry, String field, Map<String, Consumption.Units> byIndex, Demand demand) {
    if (!byIndex.isEmpty()) {
      ObjectNode out = entry.putObject(field);
      byIndex.forEach((name, units) -> units(out.putObject(name), units, demand));
    }
  }

  /** CapacityUnits, and the read and write units a request of this kind reports. */
  private static void units(ObjectNode out, Consumption.Units units, Demand demand) {
    out.put("CapacityUnits", units.total());
    if (units.read() > 0 || demand.directions().contains(Direction.READ)) {
      out.put("ReadCapacityUnits", units.read());
    }
    if (units.write() > 0 || demand.directions().contains(Direction.WRITE)) {
      out.put("WriteCapacityUnits", units.write());
    }
  }

  private static String mode(JsonNode request) {
    String mode = Fields.text(request, "ReturnConsumedCapacity");
    if (mode == null) {
      return "NONE";
    }
    if (!MODES.contains(mode)) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + mode
              + "' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy"
              + " enum value set: [INDEXES, TOTAL, NONE]");
    }
    return mode;
  }
}
