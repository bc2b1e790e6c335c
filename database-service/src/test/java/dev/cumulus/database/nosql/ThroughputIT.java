package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** ConsumedCapacity as DynamoDB counts it, and provisioned throughput enforced per table. */
class ThroughputIT extends NoSqlFixture {

  private static void createTable(DynamoDbClient dynamo, String name, long read, long write) {
    dynamo.createTable(
        r ->
            r.tableName(name)
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(read).writeCapacityUnits(write)));
  }

  /** An item of about {@code bytes} bytes. */
  private static Map<String, AttributeValue> item(String pk, int sk, int bytes) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("sk", AttributeValue.fromN(Integer.toString(sk)));
    item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[bytes - 40])));
    return item;
  }

  @Test
  void consumedCapacityIsCountedAsDynamoDbCountsIt() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createTable(dynamo, "meter", 100, 100);
      ConsumedCapacity put =
          dynamo
              .putItem(
                  r ->
                      r.tableName("meter")
                          .item(item("a", 1, 2900))
                          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
              .consumedCapacity();
      assertThat(put.tableName()).isEqualTo("meter");
      assertThat(put.capacityUnits()).isEqualTo(3.0); // 2.9 KB: three 1 KB write units

      Map<String, AttributeValue> key =
          Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1"));
      assertThat(
              dynamo
                  .getItem(
                      r ->
                          r.tableName("meter")
                              .key(key)
                              .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                  .consumedCapacity()
                  .capacityUnits())
          .isEqualTo(0.5); // one 4 KB read unit, halved: eventually consistent
      ConsumedCapacity strong =
          dynamo
              .getItem(
                  r ->
                      r.tableName("meter")
                          .key(key)
                          .consistentRead(true)
                          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
              .consumedCapacity();
      assertThat(strong.capacityUnits()).isEqualTo(1.0);
      assertThat(strong.table().capacityUnits()).isEqualTo(1.0);

      for (int i = 2; i <= 10; i++) {
        int sk = i;
        dynamo.putItem(r -> r.tableName("meter").item(item("a", sk, 1600)));
      }
      // a Query is charged for what it evaluated: about 2.9 KB + 9 x 1.6 KB = 17.3 KB, five units
      assertThat(
              dynamo
                  .query(
                      r ->
                          r.tableName("meter")
                              .keyConditionExpression("pk = :a")
                              .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a")))
                              .consistentRead(true)
                              .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                  .consumedCapacity()
                  .capacityUnits())
          .isEqualTo(5.0);
      // a batch reports one entry per table
      List<ConsumedCapacity> batch =
          dynamo
              .batchWriteItem(
                  r ->
                      r.requestItems(
                              Map.of(
                                  "meter",
                                  List.of(put(item("b", 1, 1000)), put(item("b", 2, 2000)))))
                          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
              .consumedCapacity();
      assertThat(batch).singleElement().extracting(ConsumedCapacity::capacityUnits).isEqualTo(3.0);
      // without asking, nothing is reported
      assertThat(
              dynamo.putItem(r -> r.tableName("meter").item(item("c", 1, 100))).consumedCapacity())
          .isNull();
    }
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  @Test
  void aProvisionedTableIsThrottledOnceItsCapacityIsUsedUpAndNotOnDemand() throws Exception {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamoWithoutRetries(db)) {
      // one write unit per second and five minutes of burst: 300 units to spend
      createTable(dynamo, "slow", 1, 1);
      for (int call = 0; call < 2; call++) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          writes.add(put(item("p", call * 25 + i, 10_000))); // 10 units each
        }
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("slow", writes)));
      }
      assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("slow").item(item("p", 99, 100))))
          .isInstanceOfSatisfying(
              ProvisionedThroughputExceededException.class,
              e -> assertThat(e.statusCode()).isEqualTo(400));
      // reads draw on their own capacity
      dynamo.getItem(
          r ->
              r.tableName("slow")
                  .key(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("1"))));

      // more capacity by UpdateTable lifts the limit (within the few seconds settings are kept)
      dynamo.updateTable(
          r ->
              r.tableName("slow")
                  .provisionedThroughput(
                      t -> t.readCapacityUnits(1L).writeCapacityUnits(100_000L)));
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (true) {
        try {
          dynamo.putItem(r -> r.tableName("slow").item(item("p", 99, 100)));
          break;
        } catch (ProvisionedThroughputExceededException stillThrottled) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(250);
        }
      }

      // the same writes on an on-demand table are never throttled
      dynamo.createTable(
          r ->
              r.tableName("elastic")
                  .attributeDefinitions(
                      a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                      a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                  .keySchema(
                      k -> k.attributeName("pk").keyType(KeyType.HASH),
                      k -> k.attributeName("sk").keyType(KeyType.RANGE))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      for (int call = 0; call < 3; call++) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          writes.add(put(item("p", call * 25 + i, 10_000)));
        }
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("elastic", writes)));
      }
      dynamo.putItem(r -> r.tableName("elastic").item(item("p", 99, 100)));
    }
  }

  /** A table with a global index on {@code g} (its own capacity) and a local one on {@code l}. */
  private static void createIndexedTable(DynamoDbClient dynamo, String name, long indexWrites) {
    dynamo.createTable(
        r ->
            r.tableName(name)
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                    a -> a.attributeName("g").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("l").attributeType(ScalarAttributeType.N))
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("byG")
                            .keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                            .projection(p -> p.projectionType(ProjectionType.ALL))
                            .provisionedThroughput(
                                t -> t.readCapacityUnits(100L).writeCapacityUnits(indexWrites)))
                .localSecondaryIndexes(
                    l ->
                        l.indexName("byL")
                            .keySchema(
                                k -> k.attributeName("pk").keyType(KeyType.HASH),
                                k -> k.attributeName("l").keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(100L).writeCapacityUnits(10_000L)));
  }

  private static Map<String, AttributeValue> indexed(String pk, int sk, String g, int bytes) {
    Map<String, AttributeValue> item = item(pk, sk, bytes);
    item.put("g", AttributeValue.fromS(g));
    item.put("l", AttributeValue.fromN(Integer.toString(sk)));
    return item;
  }

  @Test
  void indexesAreMeteredApartAndAGlobalIndexShortOfCapacityThrottlesItsTable() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamoWithoutRetries(db)) {
      createIndexedTable(dynamo, "indexed", 1);
      ConsumedCapacity put =
          dynamo
              .putItem(
                  r ->
                      r.tableName("indexed")
                          .item(indexed("a", 1, "x", 2900))
                          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
              .consumedCapacity();
      // 3 units on the table, 3 on the ALL-projecting GSI, 1 on the KEYS_ONLY LSI
      assertThat(put.table().capacityUnits()).isEqualTo(3.0);
      assertThat(put.globalSecondaryIndexes().get("byG").capacityUnits()).isEqualTo(3.0);
      assertThat(put.localSecondaryIndexes().get("byL").capacityUnits()).isEqualTo(1.0);
      assertThat(put.capacityUnits()).isEqualTo(7.0);
      assertThat(put.writeCapacityUnits()).isEqualTo(7.0);

      // a change the indexes do not see writes neither of them
      ConsumedCapacity touch =
          dynamo
              .updateItem(
                  r ->
                      r.tableName("indexed")
                          .key(
                              Map.of(
                                  "pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1")))
                          .updateExpression("SET #n = :n")
                          .expressionAttributeNames(Map.of("#n", "note"))
                          .expressionAttributeValues(Map.of(":n", AttributeValue.fromS("hi")))
                          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
              .consumedCapacity();
      assertThat(touch.localSecondaryIndexes()).isEmpty();
      assertThat(touch.globalSecondaryIndexes().get("byG").capacityUnits()).isEqualTo(3.0);

      // a Query of the GSI is charged to the GSI
      ConsumedCapacity query =
          dynamo
              .query(
                  r ->
                      r.tableName("indexed")
                          .indexName("byG")
                          .keyConditionExpression("g = :g")
                          .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("x")))
                          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
              .consumedCapacity();
      assertThat(query.globalSecondaryIndexes().get("byG").readCapacityUnits()).isEqualTo(0.5);
      assertThat(query.table().capacityUnits()).isEqualTo(0.0);

      // the GSI has 1 write unit a second (300 of burst): 50 writes of 10 units use it up, and
      // then the table's writes are throttled although the table has capacity left
      for (int call = 0; call < 2; call++) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          writes.add(put(indexed("p", 100 + call * 25 + i, "y", 10_000)));
        }
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("indexed", writes)));
      }
      assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("indexed").item(item("q", 1, 100))))
          .isInstanceOf(ProvisionedThroughputExceededException.class);
      // reads of the table still pass
      dynamo.getItem(
          r ->
              r.tableName("indexed")
                  .key(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1"))));
    }
  }

  @Test
  void transactionsAreMeteredTwiceAndTheSeedApiIsThrottledToo() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamoWithoutRetries(db)) {
      createTable(dynamo, "txn", 100, 100);
      dynamo.putItem(r -> r.tableName("txn").item(item("a", 1, 100)));
      List<ConsumedCapacity> written =
          dynamo
              .transactWriteItems(
                  r ->
                      r.transactItems(
                              t -> t.put(p -> p.tableName("txn").item(item("b", 1, 1500))),
                              t ->
                                  t.conditionCheck(
                                      c ->
                                          c.tableName("txn")
                                              .key(
                                                  Map.of(
                                                      "pk",
                                                      AttributeValue.fromS("a"),
                                                      "sk",
                                                      AttributeValue.fromN("1")))
                                              .conditionExpression("attribute_exists(pk)")))
                          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
              .consumedCapacity();
      // the put: 2 write units, doubled; the check: 1 strongly consistent read unit, doubled
      assertThat(written)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.tableName()).isEqualTo("txn");
                assertThat(c.writeCapacityUnits()).isEqualTo(4.0);
                assertThat(c.readCapacityUnits()).isEqualTo(2.0);
                assertThat(c.capacityUnits()).isEqualTo(6.0);
              });
      List<ConsumedCapacity> read =
          dynamo
              .transactGetItems(
                  r ->
                      r.transactItems(
                              t ->
                                  t.get(
                                      g ->
                                          g.tableName("txn")
                                              .key(
                                                  Map.of(
                                                      "pk",
                                                      AttributeValue.fromS("b"),
                                                      "sk",
                                                      AttributeValue.fromN("1")))))
                          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
              .consumedCapacity();
      assertThat(read).singleElement().extracting(ConsumedCapacity::capacityUnits).isEqualTo(2.0);

      // the seed's REST API draws on the same capacity: once it is used up, it is refused too
      createTable(dynamo, "seedslow", 1, 1);
      for (int call = 0; call < 2; call++) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          writes.add(put(item("p", call * 25 + i, 10_000)));
        }
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("seedslow", writes)));
      }
      http.post()
          .uri(db.base() + "/tables/seedslow/items")
          .header("Authorization", "Bearer " + db.token())
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"item\":{\"pk\":{\"S\":\"r\"},\"sk\":{\"N\":\"1\"}}}")
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.error.code")
          .isEqualTo("ProvisionedThroughputExceededException");
    }
  }
}
