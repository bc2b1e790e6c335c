package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
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
}
