package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.ThroughputGate;
import dev.cumulus.database.nosql.application.ThroughputGate.Direction;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.platform.instance.Instance;
import java.util.LinkedHashMap;
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
 * Meters the item operations: admits them against their tables' provisioned throughput, charges
 * what they consumed, and adds {@code ConsumedCapacity} to the answer when the request asks for it
 * ({@code ReturnConsumedCapacity} TOTAL or INDEXES).
 */
@Component
class CapacityMeter {

  /** An operation's answer and the capacity units it consumed per table. */
  record Metered(ObjectNode out, Map<String, Double> unitsByTable) {
    static Metered of(ObjectNode out, String table, double units) {
      return new Metered(out, Map.of(table, units));
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
    return run(instance, request, Set.of(table), direction, work, false);
  }

  /** A batch over several tables; ConsumedCapacity is then a list, one entry per table. */
  Mono<ObjectNode> runBatch(
      Instance instance,
      JsonNode request,
      Set<String> tables,
      Direction direction,
      Mono<Metered> work) {
    return run(instance, request, tables, direction, work, true);
  }

  private Mono<ObjectNode> run(
      Instance instance,
      JsonNode request,
      Set<String> tables,
      Direction direction,
      Mono<Metered> work,
      boolean list) {
    String mode = mode(request);
    return Flux.fromIterable(tables)
        .concatMap(table -> gate.admit(instance, table, direction))
        .then(work)
        .flatMap(
            metered ->
                Flux.fromIterable(metered.unitsByTable().entrySet())
                    .concatMap(e -> gate.charge(instance, e.getKey(), direction, e.getValue()))
                    .then(Mono.fromSupplier(() -> render(metered, mode, direction, list))));
  }

  private static ObjectNode render(
      Metered metered, String mode, Direction direction, boolean list) {
    ObjectNode out = metered.out();
    if (mode.equals("NONE")) {
      return out;
    }
    Map<String, Double> units = new LinkedHashMap<>(metered.unitsByTable());
    if (list) {
      ArrayNode entries = out.putArray("ConsumedCapacity");
      units.forEach((table, u) -> entries.add(entry(table, u, mode, direction)));
    } else {
      units.forEach((table, u) -> out.set("ConsumedCapacity", entry(table, u, mode, direction)));
    }
    return out;
  }

  private static ObjectNode entry(String table, double units, String mode, Direction direction) {
    ObjectNode entry = NODES.objectNode().put("TableName", table).put("CapacityUnits", units);
    entry.put(direction == Direction.READ ? "ReadCapacityUnits" : "WriteCapacityUnits", units);
    if (mode.equals("INDEXES")) {
      ObjectNode ofTable = entry.putObject("Table").put("CapacityUnits", units);
      ofTable.put(direction == Direction.READ ? "ReadCapacityUnits" : "WriteCapacityUnits", units);
    }
    return entry;
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
