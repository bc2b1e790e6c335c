package dev.cumulus.database.nosql.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.database.nosql.application.Consumption.Units;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.TableSchema.Index;
import dev.cumulus.database.nosql.domain.TableSchema.KeySchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Write units on a table's indexes, by DynamoDB's rules for index writes. */
class CapacityUnitsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  // orders: pk/sk; GSI byStatus (status) KEYS_ONLY; GSI byCustomer (customer/total) INCLUDE note;
  // LSI byTotal (pk/total) ALL
  private static final TableSchema TABLE =
      new TableSchema(
          "orders",
          new KeySchema("pk", "sk"),
          Map.of("pk", "S", "sk", "N", "status", "S", "customer", "S", "total", "N"),
          List.of(
              new Index("byStatus", new KeySchema("status", null), "KEYS_ONLY", null, 5, 5, null),
              new Index(
                  "byCustomer",
                  new KeySchema("customer", "total"),
                  "INCLUDE",
                  List.of("note"),
                  5,
                  5,
                  null)),
          List.of(new Index("byTotal", new KeySchema("pk", "total"), "ALL", null, 0, 0, null)),
          "PROVISIONED",
          10,
          10,
          null,
          Instant.EPOCH,
          null,
          null);

  private static JsonNode item(String json) {
    return JSON.readTree(json);
  }

  private static final JsonNode PLAIN = item("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}");
  private static final JsonNode OPEN =
      item(
          "{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"status\":{\"S\":\"open\"},"
              + "\"customer\":{\"S\":\"c1\"},\"total\":{\"N\":\"10\"},\"note\":{\"S\":\"x\"},"
              + "\"other\":{\"S\":\"y\"}}");

  @Test
  void anItemWithoutIndexKeysWritesOnlyTheTable() {
    Consumption used = CapacityUnits.write(TABLE, null, PLAIN);
    assertThat(used.table()).isEqualTo(new Units(0, 1));
    assertThat(used.globalIndexes()).isEmpty();
    assertThat(used.localIndexes()).isEmpty();
    assertThat(used.total().write()).isEqualTo(1);
  }

  @Test
  void enteringLeavingAndMovingInAnIndexAreOneOneAndTwoWrites() {
    Consumption put = CapacityUnits.write(TABLE, null, OPEN);
    assertThat(put.globalIndexes())
        .containsOnlyKeys("byStatus", "byCustomer")
        .allSatisfy((name, units) -> assertThat(units.write()).isEqualTo(1));
    assertThat(put.localIndexes()).containsOnlyKeys("byTotal");
    assertThat(put.total().write()).isEqualTo(4);

    Consumption removed = CapacityUnits.write(TABLE, OPEN, null);
    assertThat(removed.total().write()).isEqualTo(4);

    JsonNode closed = OPEN.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) closed).set("status", item("{\"S\":\"closed\"}"));
    Consumption moved = CapacityUnits.write(TABLE, OPEN, closed);
    assertThat(moved.globalIndexes().get("byStatus")).isEqualTo(new Units(0, 2));
    // byCustomer projects neither status nor its key: untouched; the LSI projects ALL: one write
    assertThat(moved.globalIndexes()).doesNotContainKey("byCustomer");
    assertThat(moved.localIndexes().get("byTotal")).isEqualTo(new Units(0, 1));
  }

  @Test
  void onlyAChangeOfWhatAnIndexProjectsWritesIt() {
    JsonNode otherChanged = OPEN.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) otherChanged).set("other", item("{\"S\":\"z\"}"));
    Consumption used = CapacityUnits.write(TABLE, OPEN, otherChanged);
    assertThat(used.globalIndexes()).isEmpty(); // neither KEYS_ONLY nor INCLUDE(note) sees it
    assertThat(used.localIndexes()).containsOnlyKeys("byTotal"); // ALL does

    JsonNode noteChanged = OPEN.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) noteChanged).set("note", item("{\"S\":\"new\"}"));
    assertThat(CapacityUnits.write(TABLE, OPEN, noteChanged).globalIndexes())
        .containsOnlyKeys("byCustomer");
  }

  @Test
  void transactionsCountTwiceAndTheTablePaysForItsLocalIndexes() {
    Consumption used = CapacityUnits.write(TABLE, null, OPEN).doubled();
    assertThat(used.table()).isEqualTo(new Units(0, 2));
    assertThat(used.total().write()).isEqualTo(8);
    assertThat(used.tableShare()).isEqualTo(new Units(0, 4));
    assertThat(Consumption.read(0.5, "byStatus", true).plus(Consumption.read(1)).total())
        .isEqualTo(new Units(1.5, 0));
  }
}
