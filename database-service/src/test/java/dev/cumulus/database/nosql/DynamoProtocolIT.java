package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The DynamoDB JSON protocol through the stock AWS SDK v2 client. */
class DynamoProtocolIT extends NoSqlFixture {

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  /** orders: hash customer (S), range seq (N), LSI by status, GSI by sku (S) and qty (N). */
  private static void createOrders(DynamoDbClient dynamo) {
    dynamo.createTable(
        CreateTableRequest.builder()
            .tableName("orders")
            .attributeDefinitions(
                def("customer", ScalarAttributeType.S),
                def("seq", ScalarAttributeType.N),
                def("state", ScalarAttributeType.S),
                def("sku", ScalarAttributeType.S),
                def("qty", ScalarAttributeType.N))
            .keySchema(key("customer", KeyType.HASH), key("seq", KeyType.RANGE))
            .localSecondaryIndexes(
                LocalSecondaryIndex.builder()
                    .indexName("by-state")
                    .keySchema(key("customer", KeyType.HASH), key("state", KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build())
            .globalSecondaryIndexes(
                GlobalSecondaryIndex.builder()
                    .indexName("by-sku")
                    .keySchema(key("sku", KeyType.HASH), key("qty", KeyType.RANGE))
                    .projection(
                        Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                    .build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .build());
  }

  private static AttributeDefinition def(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static void putOrder(
      DynamoDbClient dynamo, String customer, int seq, String state, String sku, int qty) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("customer", s(customer));
    item.put("seq", n(Integer.toString(seq)));
    item.put("state", s(state));
    if (sku != null) {
      item.put("sku", s(sku));
      item.put("qty", n(Integer.toString(qty)));
    }
    dynamo.putItem(r -> r.tableName("orders").item(item));
  }

  @Test
  void tables() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      var table = dynamo.describeTable(r -> r.tableName("orders")).table();
      assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
      assertThat(table.keySchema())
          .extracting(KeySchemaElement::attributeName)
          .containsExactly("customer", "seq");
      assertThat(table.globalSecondaryIndexes().get(0).indexName()).isEqualTo("by-sku");
      assertThat(table.localSecondaryIndexes().get(0).indexName()).isEqualTo("by-state");
      assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
      dynamo.waiter().waitUntilTableExists(r -> r.tableName("orders"));

      assertThatThrownBy(() -> createOrders(dynamo)).isInstanceOf(ResourceInUseException.class);
      for (String name : List.of("t-a", "t-b", "t-c")) {
        dynamo.createTable(
            r ->
                r.tableName(name)
                    .attributeDefinitions(def("id", ScalarAttributeType.S))
                    .keySchema(key("id", KeyType.HASH))
                    .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)));
      }
      var first = dynamo.listTables(r -> r.limit(2));
      assertThat(first.tableNames()).containsExactly("orders", "t-a");
      assertThat(first.lastEvaluatedTableName()).isEqualTo("t-a");
      var second = dynamo.listTables(r -> r.limit(2).exclusiveStartTableName("t-a"));
      assertThat(second.tableNames()).containsExactly("t-b", "t-c");
      assertThat(second.lastEvaluatedTableName()).isNull();
      // The paginator follows LastEvaluatedTableName.
      assertThat(dynamo.listTablesPaginator(r -> r.limit(1)).tableNames()).hasSize(4);

      assertThat(dynamo.deleteTable(r -> r.tableName("t-c")).tableDescription().tableStatus())
          .isEqualTo(TableStatus.DELETING);
      assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName("t-c")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> dynamo.deleteTable(r -> r.tableName("t-c")))
          .isInstanceOf(ResourceNotFoundException.class);
      // An LSI needs the table's hash key and a range key.
      assertValidation(
          () ->
              dynamo.createTable(
                  r ->
                      r.tableName("bad")
                          .attributeDefinitions(
                              def("id", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
                          .keySchema(key("id", KeyType.HASH))
                          .billingMode(BillingMode.PAY_PER_REQUEST)),
          "Number of attributes in KeySchema does not exactly match");
    }
  }

  @Test
  void itemsWithConditionsUpdatesAndReturnValues() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      Map<String, AttributeValue> key = Map.of("customer", s("c1"), "seq", n("1"));
      Map<String, AttributeValue> item = new HashMap<>(key);
      item.put("state", s("new"));
      item.put("parts", AttributeValue.fromL(List.of(s("a"))));
      item.put("tags", AttributeValue.fromSs(List.of("x", "y")));
      item.put("meta", AttributeValue.fromM(Map.of("city", s("Oslo"))));
      item.put("payload", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));
      dynamo.putItem(
          r ->
              r.tableName("orders")
                  .item(item)
                  .conditionExpression("attribute_not_exists(customer)"));
      assertThatThrownBy(
              () ->
                  dynamo.putItem(
                      r ->
                          r.tableName("orders")
                              .item(item)
                              .conditionExpression("attribute_not_exists(customer)")))
          .isInstanceOfSatisfying(
              ConditionalCheckFailedException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .isEqualTo("The conditional request failed"));

      assertThat(dynamo.getItem(r -> r.tableName("orders").key(key)).item()).isEqualTo(item);
      var projected =
          dynamo.getItem(
              r ->
                  r.tableName("orders")
                      .key(key)
                      .projectionExpression("#s, meta.city, parts[0]")
                      .expressionAttributeNames(Map.of("#s", "state")));
      assertThat(projected.item())
          .isEqualTo(
              Map.of(
                  "state", s("new"),
                  "meta", AttributeValue.fromM(Map.of("city", s("Oslo"))),
                  "parts", AttributeValue.fromL(List.of(s("a")))));

      var updated =
          dynamo.updateItem(
              r ->
                  r.tableName("orders")
                      .key(key)
                      .updateExpression(
                          "SET #s = :s, parts = list_append(parts, :more), visits ="
                              + " if_not_exists(visits, :zero) + :one, meta.zip = :zip REMOVE payload"
                              + " ADD hits :one, tags :t")
                      .conditionExpression("#s = :new AND size(parts) = :one")
                      .expressionAttributeNames(Map.of("#s", "state"))
                      .expressionAttributeValues(
                          Map.of(
                              ":s", s("paid"),
                              ":new", s("new"),
                              ":more", AttributeValue.fromL(List.of(s("b"))),
                              ":zero", n("0"),
                              ":one", n("1"),
                              ":zip", n("0150"),
                              ":t", AttributeValue.fromSs(List.of("z"))))
                      .returnValues(ReturnValue.ALL_NEW));
      Map<String, AttributeValue> now = updated.attributes();
      assertThat(now.get("state")).isEqualTo(s("paid"));
      assertThat(now.get("parts").l()).containsExactly(s("a"), s("b"));
      assertThat(now.get("visits")).isEqualTo(n("1"));
      assertThat(now.get("hits")).isEqualTo(n("1"));
      assertThat(now.get("meta").m().get("zip")).isEqualTo(n("150"));
      assertThat(now).doesNotContainKey("payload");
      assertThat(Set.copyOf(now.get("tags").ss())).containsExactlyInAnyOrder("x", "y", "z");
      var dropped =
          dynamo.updateItem(
              r ->
                  r.tableName("orders")
                      .key(key)
                      .updateExpression("DELETE tags :gone")
                      .expressionAttributeValues(
                          Map.of(":gone", AttributeValue.fromSs(List.of("x", "absent"))))
                      .returnValues(ReturnValue.UPDATED_NEW));
      assertThat(Set.copyOf(dropped.attributes().get("tags").ss()))
          .containsExactlyInAnyOrder("y", "z");

      var old =
          dynamo.updateItem(
              r ->
                  r.tableName("orders")
                      .key(key)
                      .updateExpression("ADD visits :one")
                      .expressionAttributeValues(Map.of(":one", n("1")))
                      .returnValues(ReturnValue.UPDATED_OLD));
      assertThat(old.attributes()).isEqualTo(Map.of("visits", n("1")));
      // a nested SET returns only the nested part it set, within its map (city stays out)
      var nested =
          dynamo.updateItem(
              r ->
                  r.tableName("orders")
                      .key(key)
                      .updateExpression("SET meta.zip = :zip")
                      .expressionAttributeValues(Map.of(":zip", n("151")))
                      .returnValues(ReturnValue.UPDATED_NEW));
      assertThat(nested.attributes())
          .isEqualTo(Map.of("meta", AttributeValue.fromM(Map.of("zip", n("151")))));

      assertThatThrownBy(
              () ->
                  dynamo.updateItem(
                      r ->
                          r.tableName("orders")
                              .key(key)
                              .updateExpression("SET seq = :one")
                              .expressionAttributeValues(Map.of(":one", n("1")))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .contains("This attribute is part of the key"));
      // UpdateItem of a missing item creates it.
      dynamo.updateItem(
          r ->
              r.tableName("orders")
                  .key(Map.of("customer", s("c1"), "seq", n("2")))
                  .updateExpression("SET #s = :s")
                  .expressionAttributeNames(Map.of("#s", "state"))
                  .expressionAttributeValues(Map.of(":s", s("draft"))));
      assertThat(
              dynamo
                  .getItem(
                      r -> r.tableName("orders").key(Map.of("customer", s("c1"), "seq", n("2"))))
                  .item())
          .containsEntry("state", s("draft"));

      var deleted =
          dynamo.deleteItem(r -> r.tableName("orders").key(key).returnValues(ReturnValue.ALL_OLD));
      assertThat(deleted.attributes().get("state")).isEqualTo(s("paid"));
      assertThat(dynamo.getItem(r -> r.tableName("orders").key(key)).hasItem()).isFalse();
      assertThatThrownBy(
              () ->
                  dynamo.deleteItem(
                      r ->
                          r.tableName("orders")
                              .key(key)
                              .conditionExpression("attribute_exists(seq)")))
          .isInstanceOf(ConditionalCheckFailedException.class);
    }
  }

  @Test
  void validationErrorsAsDynamoDbSendsThem() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      assertValidation(
          () ->
              dynamo.putItem(
                  r -> r.tableName("orders").item(Map.of("customer", s("c"), "seq", s("1")))),
          "One or more parameter values were invalid: Type mismatch for key seq expected: N actual: S");
      assertValidation(
          () -> dynamo.putItem(r -> r.tableName("orders").item(Map.of("customer", s("c")))),
          "One or more parameter values were invalid: Missing the key seq in the item");
      assertValidation(
          () -> dynamo.getItem(r -> r.tableName("orders").key(Map.of("customer", s("c")))),
          "The provided key element does not match the schema");
      assertValidation(
          () ->
              dynamo.putItem(
                  r ->
                      r.tableName("orders")
                          .item(
                              Map.of(
                                  "customer",
                                  s("c"),
                                  "seq",
                                  n("1"),
                                  "big",
                                  s("x".repeat(400 * 1024))))),
          "Item size has exceeded the maximum allowed size");
      assertValidation(
          () ->
              dynamo.putItem(
                  r ->
                      r.tableName("orders")
                          .item(Map.of("customer", s("c".repeat(2049)), "seq", n("1")))),
          "Size of hashkey has exceeded the maximum size limit of 2048 bytes");
      assertValidation(
          () ->
              dynamo.updateItem(
                  r ->
                      r.tableName("orders")
                          .key(Map.of("customer", s("c"), "seq", n("1")))
                          .updateExpression("SET state = :s")
                          .expressionAttributeValues(Map.of(":s", s("x")))),
          "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: state");
      assertValidation(
          () ->
              dynamo.query(
                  r ->
                      r.tableName("orders")
                          .keyConditionExpression("customer = :c")
                          .expressionAttributeValues(Map.of(":c", s("c"), ":unused", s("u")))),
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
      assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("nope").key(Map.of("id", s("1")))))
          .isInstanceOfSatisfying(
              ResourceNotFoundException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .startsWith("Requested resource not found"));
    }
  }

  @Test
  void queriesOnTableAndIndexes() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      for (int seq = 1; seq <= 12; seq++) {
        putOrder(
            dynamo, "c1", seq, seq % 2 == 0 ? "paid" : "new", seq <= 3 ? "sku-1" : null, 10 - seq);
      }
      putOrder(dynamo, "c2", 5, "new", "sku-1", 100);

      assertThat(seqs(query(dynamo, "customer = :c AND seq = :a", ":a", "3"))).containsExactly(3);
      assertThat(seqs(query(dynamo, "customer = :c AND seq < :a", ":a", "3")))
          .containsExactly(1, 2);
      assertThat(seqs(query(dynamo, "customer = :c AND seq <= :a", ":a", "3")))
          .containsExactly(1, 2, 3);
      // Numbers order numerically (10 after 9), not as text.
      assertThat(seqs(query(dynamo, "customer = :c AND seq > :a", ":a", "9")))
          .containsExactly(10, 11, 12);
      assertThat(seqs(query(dynamo, "customer = :c AND seq >= :a", ":a", "11")))
          .containsExactly(11, 12);
      assertThat(
              seqs(
                  dynamo.query(
                      r ->
                          r.tableName("orders")
                              .keyConditionExpression("customer = :c AND seq BETWEEN :lo AND :hi")
                              .expressionAttributeValues(
                                  Map.of(":c", s("c1"), ":lo", n("4"), ":hi", n("6")))
                              .scanIndexForward(false))))
          .containsExactly(6, 5, 4);

      // Paging with Limit and ExclusiveStartKey, and a filter applied after the limit.
      List<Integer> all = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      int pages = 0;
      do {
        Map<String, AttributeValue> from = start;
        QueryResponse page =
            dynamo.query(
                r ->
                    r.tableName("orders")
                        .keyConditionExpression("customer = :c")
                        .filterExpression("#s = :paid")
                        .expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":c", s("c1"), ":paid", s("paid")))
                        .limit(5)
                        .exclusiveStartKey(from));
        assertThat(page.scannedCount()).isLessThanOrEqualTo(5);
        all.addAll(seqs(page));
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
        pages++;
      } while (start != null);
      assertThat(all).containsExactly(2, 4, 6, 8, 10, 12);
      assertThat(pages).isEqualTo(3);

      var count =
          dynamo.query(
              r ->
                  r.tableName("orders")
                      .keyConditionExpression("customer = :c")
                      .expressionAttributeValues(Map.of(":c", s("c1")))
                      .select(Select.COUNT));
      assertThat(count.count()).isEqualTo(12);
      assertThat(count.items()).isEmpty();

      // LSI: by state within the customer.
      var paid =
          dynamo.query(
              r ->
                  r.tableName("orders")
                      .indexName("by-state")
                      .keyConditionExpression("customer = :c AND begins_with(#s, :p)")
                      .expressionAttributeNames(Map.of("#s", "state"))
                      .expressionAttributeValues(Map.of(":c", s("c1"), ":p", s("pa"))));
      assertThat(paid.count()).isEqualTo(6);
      // GSI (sparse, KEYS_ONLY): only items with a sku, ordered by qty, projected to keys.
      var bySku =
          dynamo.query(
              r ->
                  r.tableName("orders")
                      .indexName("by-sku")
                      .keyConditionExpression("sku = :k AND qty > :q")
                      .expressionAttributeValues(Map.of(":k", s("sku-1"), ":q", n("7"))));
      assertThat(bySku.items()).extracting(i -> i.get("qty").n()).containsExactly("8", "9", "100");
      assertThat(bySku.items().get(0).keySet())
          .containsExactlyInAnyOrder("customer", "seq", "sku", "qty");
      var gsiPage =
          dynamo.query(
              r ->
                  r.tableName("orders")
                      .indexName("by-sku")
                      .keyConditionExpression("sku = :k")
                      .expressionAttributeValues(Map.of(":k", s("sku-1")))
                      .limit(2));
      assertThat(gsiPage.lastEvaluatedKey()).containsKeys("customer", "seq", "sku", "qty");
      var gsiRest =
          dynamo.query(
              r ->
                  r.tableName("orders")
                      .indexName("by-sku")
                      .keyConditionExpression("sku = :k")
                      .expressionAttributeValues(Map.of(":k", s("sku-1")))
                      .exclusiveStartKey(gsiPage.lastEvaluatedKey()));
      assertThat(gsiRest.count()).isEqualTo(2);

      assertValidation(
          () -> query(dynamo, "seq = :a", ":a", "1"),
          "Query condition missed key schema element: customer");
    }
  }

  @Test
  void scansWithSegmentsPagingAndFilters() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      for (int c = 0; c < 10; c++) {
        for (int seq = 0; seq < 3; seq++) {
          putOrder(dynamo, "c" + c, seq, seq == 0 ? "new" : "paid", null, 0);
        }
      }
      assertThat(dynamo.scanPaginator(r -> r.tableName("orders").limit(7)).items()).hasSize(30);
      List<String> segments = new ArrayList<>();
      for (int segment = 0; segment < 3; segment++) {
        int s = segment;
        ScanResponse part = dynamo.scan(r -> r.tableName("orders").segment(s).totalSegments(3));
        part.items().forEach(i -> segments.add(i.get("customer").s() + "/" + i.get("seq").n()));
      }
      assertThat(segments).hasSize(30).doesNotHaveDuplicates();
      ScanResponse filtered =
          dynamo.scan(
              r ->
                  r.tableName("orders")
                      .filterExpression("#s IN (:a, :b) AND NOT seq = :zero")
                      .expressionAttributeNames(Map.of("#s", "state"))
                      .expressionAttributeValues(
                          Map.of(":a", s("paid"), ":b", s("x"), ":zero", n("0"))));
      assertThat(filtered.count()).isEqualTo(20);
      assertThat(filtered.scannedCount()).isEqualTo(30);
    }
  }

  @Test
  void onePageHoldsAtMostOneMegabyte() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      String blob = "x".repeat(300 * 1024);
      for (int seq = 0; seq < 5; seq++) {
        int n = seq;
        dynamo.putItem(
            r ->
                r.tableName("orders")
                    .item(
                        Map.of(
                            "customer", s("c"), "seq", n(Integer.toString(n)), "data", s(blob))));
      }
      ScanResponse first = dynamo.scan(r -> r.tableName("orders"));
      assertThat(first.count()).isEqualTo(4);
      assertThat(first.lastEvaluatedKey()).isNotEmpty();
      ScanResponse rest =
          dynamo.scan(r -> r.tableName("orders").exclusiveStartKey(first.lastEvaluatedKey()));
      assertThat(rest.count()).isEqualTo(1);
    }
  }

  @Test
  void batches() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      List<WriteRequest> writes = new ArrayList<>();
      for (int seq = 0; seq < 25; seq++) {
        writes.add(
            WriteRequest.builder()
                .putRequest(
                    PutRequest.builder()
                        .item(Map.of("customer", s("b"), "seq", n(Integer.toString(seq))))
                        .build())
                .build());
      }
      assertThat(
              dynamo
                  .batchWriteItem(r -> r.requestItems(Map.of("orders", writes)))
                  .unprocessedItems())
          .isEmpty();
      var got =
          dynamo.batchGetItem(
              r ->
                  r.requestItems(
                      Map.of(
                          "orders",
                          KeysAndAttributes.builder()
                              .keys(
                                  Map.of("customer", s("b"), "seq", n("3")),
                                  Map.of("customer", s("b"), "seq", n("30")))
                              .build())));
      assertThat(got.responses().get("orders")).hasSize(1);
      dynamo.batchWriteItem(
          r ->
              r.requestItems(
                  Map.of(
                      "orders",
                      List.of(
                          WriteRequest.builder()
                              .deleteRequest(d -> d.key(Map.of("customer", s("b"), "seq", n("3"))))
                              .build()))));
      assertThat(
              dynamo
                  .query(
                      r ->
                          r.tableName("orders")
                              .keyConditionExpression("customer = :c")
                              .expressionAttributeValues(Map.of(":c", s("b"))))
                  .count())
          .isEqualTo(24);
      writes.add(writes.get(0));
      assertThatThrownBy(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of("orders", writes))))
          .isInstanceOf(DynamoDbException.class);
    }
  }

  @Test
  void aBatchIsOneWriteOfPutsAndDeletesOnBinaryKeysAndRefusesDuplicateKeys() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      dynamo.createTable(
          r ->
              r.tableName("blobs")
                  .attributeDefinitions(
                      def("owner", ScalarAttributeType.S), def("digest", ScalarAttributeType.B))
                  .keySchema(key("owner", KeyType.HASH), key("digest", KeyType.RANGE))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      List<WriteRequest> puts = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int i = n;
        puts.add(
            WriteRequest.builder()
                .putRequest(
                    p ->
                        p.item(
                            Map.of(
                                "owner", s("o"),
                                "digest",
                                    AttributeValue.fromB(
                                        SdkBytes.fromByteArray(
                                            new byte[] {(byte) (250 + i), 0, 1})),
                                "n", n(Integer.toString(i)))))
                .build());
      }
      dynamo.batchWriteItem(r -> r.requestItems(Map.of("blobs", puts)));
      AttributeValue second =
          AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {(byte) 251, 0, 1}));
      dynamo.batchWriteItem(
          r ->
              r.requestItems(
                  Map.of(
                      "blobs",
                      List.of(
                          WriteRequest.builder()
                              .deleteRequest(d -> d.key(Map.of("owner", s("o"), "digest", second)))
                              .build(),
                          WriteRequest.builder()
                              .putRequest(
                                  p ->
                                      p.item(
                                          Map.of(
                                              "owner",
                                              s("o"),
                                              "digest",
                                              AttributeValue.fromB(
                                                  SdkBytes.fromByteArray(new byte[] {9})),
                                              "n",
                                              n("9"))))
                              .build()))));
      var page =
          dynamo.query(
              r ->
                  r.tableName("blobs")
                      .keyConditionExpression("#o = :o")
                      .expressionAttributeNames(Map.of("#o", "owner"))
                      .expressionAttributeValues(Map.of(":o", s("o"))));
      // Binary range keys sort bytewise: 0x09 first, then 0xFA and 0xFC; 0xFB is gone.
      assertThat(page.items()).extracting(item -> item.get("n").n()).containsExactly("9", "0", "2");
      // Keys whose "hash/range" spellings meet are still two items.
      dynamo.createTable(
          r ->
              r.tableName("paths")
                  .attributeDefinitions(
                      def("dir", ScalarAttributeType.S), def("name", ScalarAttributeType.S))
                  .keySchema(key("dir", KeyType.HASH), key("name", KeyType.RANGE))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      dynamo.batchWriteItem(
          r ->
              r.requestItems(
                  Map.of(
                      "paths",
                      List.of(
                          WriteRequest.builder()
                              .putRequest(p -> p.item(Map.of("dir", s("a/b"), "name", s("c"))))
                              .build(),
                          WriteRequest.builder()
                              .putRequest(p -> p.item(Map.of("dir", s("a"), "name", s("b/c"))))
                              .build()))));
      assertThat(dynamo.scan(r -> r.tableName("paths")).count()).isEqualTo(2);
      List<WriteRequest> twice = List.of(puts.get(0), puts.get(0));
      assertValidation(
          () -> dynamo.batchWriteItem(r -> r.requestItems(Map.of("blobs", twice))),
          "Provided list of item keys contains duplicates");
    }
  }

  @Test
  void aWriteThatPlannedWithAnOutdatedDefinitionPlansAgain() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      dynamo.createTable(
          r ->
              r.tableName("sessions")
                  .attributeDefinitions(def("id", ScalarAttributeType.S))
                  .keySchema(key("id", KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      // This replica now holds the definition (the fixture keeps it for an hour).
      dynamo.putItem(r -> r.tableName("sessions").item(Map.of("id", s("a"))));
      // Another replica enables TTL: the definition changes under this replica's copy.
      database
          .sql(
              "UPDATE nosql_tables SET definition = jsonb_set(definition, '{ttlAttribute}',"
                  + " '\"expires\"'), ttl_attribute = 'expires' WHERE service_id = :s")
          .bind("s", db.service())
          .fetch()
          .rowsUpdated()
          .block();
      long past = Instant.now().getEpochSecond() - 60;
      dynamo.putItem(
          r ->
              r.tableName("sessions")
                  .item(Map.of("id", s("b"), "expires", n(Long.toString(past)))));
      // Written with the current definition: the item expired at once and is hidden.
      assertThat(dynamo.getItem(r -> r.tableName("sessions").key(Map.of("id", s("b")))).hasItem())
          .isFalse();
      assertThat(dynamo.getItem(r -> r.tableName("sessions").key(Map.of("id", s("a")))).hasItem())
          .isTrue();
    }
  }

  @Test
  void aFailedConditionReturnsTheItemOnlyWhenAskedFor() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      putOrder(dynamo, "r", 1, "new", null, 0);
      Map<String, AttributeValue> one = Map.of("customer", s("r"), "seq", n("1"));
      Map<String, AttributeValue> stored =
          Map.of("customer", s("r"), "seq", n("1"), "state", s("new"));
      // asked: the item the condition was tested against comes with the error
      assertThatThrownBy(
              () ->
                  dynamo.putItem(
                      r ->
                          r.tableName("orders")
                              .item(Map.of("customer", s("r"), "seq", n("1"), "state", s("x")))
                              .conditionExpression("attribute_not_exists(customer)")
                              .returnValuesOnConditionCheckFailure(
                                  ReturnValuesOnConditionCheckFailure.ALL_OLD)))
          .isInstanceOfSatisfying(
              ConditionalCheckFailedException.class, e -> assertThat(e.item()).isEqualTo(stored));
      assertThatThrownBy(
              () ->
                  dynamo.updateItem(
                      r ->
                          r.tableName("orders")
                              .key(one)
                              .updateExpression("SET #s = :s")
                              .conditionExpression("#s = :paid")
                              .expressionAttributeNames(Map.of("#s", "state"))
                              .expressionAttributeValues(Map.of(":s", s("y"), ":paid", s("paid")))
                              .returnValuesOnConditionCheckFailure(
                                  ReturnValuesOnConditionCheckFailure.ALL_OLD)))
          .isInstanceOfSatisfying(
              ConditionalCheckFailedException.class, e -> assertThat(e.item()).isEqualTo(stored));
      // not asked (or NONE): no item
      assertThatThrownBy(
              () ->
                  dynamo.deleteItem(
                      r ->
                          r.tableName("orders")
                              .key(one)
                              .conditionExpression("attribute_not_exists(customer)")
                              .returnValuesOnConditionCheckFailure(
                                  ReturnValuesOnConditionCheckFailure.NONE)))
          .isInstanceOfSatisfying(
              ConditionalCheckFailedException.class, e -> assertThat(e.hasItem()).isFalse());
      // in a transaction, per element: the element that asked gets its item
      Map<String, AttributeValue> two = Map.of("customer", s("r"), "seq", n("2"));
      putOrder(dynamo, "r", 2, "old", null, 0);
      assertThatThrownBy(
              () ->
                  dynamo.transactWriteItems(
                      r ->
                          r.transactItems(
                              TransactWriteItem.builder()
                                  .conditionCheck(
                                      c ->
                                          c.tableName("orders")
                                              .key(one)
                                              .conditionExpression("attribute_not_exists(customer)")
                                              .returnValuesOnConditionCheckFailure(
                                                  ReturnValuesOnConditionCheckFailure.ALL_OLD))
                                  .build(),
                              TransactWriteItem.builder()
                                  .delete(
                                      d ->
                                          d.tableName("orders")
                                              .key(two)
                                              .conditionExpression(
                                                  "attribute_not_exists(customer)"))
                                  .build())))
          .isInstanceOfSatisfying(
              TransactionCanceledException.class,
              e -> {
                assertThat(e.cancellationReasons().get(0).code())
                    .isEqualTo("ConditionalCheckFailed");
                assertThat(e.cancellationReasons().get(0).item()).isEqualTo(stored);
                assertThat(e.cancellationReasons().get(1).code())
                    .isEqualTo("ConditionalCheckFailed");
                assertThat(e.cancellationReasons().get(1).hasItem()).isFalse();
              });
      // a bad value is DynamoDB's ValidationException
      assertThatThrownBy(
              () ->
                  dynamo.deleteItem(
                      r ->
                          r.tableName("orders")
                              .key(one)
                              .returnValuesOnConditionCheckFailure("SOME")))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .contains("returnValuesOnConditionCheckFailure"));
    }
  }

  @Test
  void transactionsAreAllOrNothing() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      putOrder(dynamo, "t", 1, "new", null, 0);
      Map<String, AttributeValue> one = Map.of("customer", s("t"), "seq", n("1"));
      Map<String, AttributeValue> two = Map.of("customer", s("t"), "seq", n("2"));
      assertThatThrownBy(
              () ->
                  dynamo.transactWriteItems(
                      r ->
                          r.transactItems(
                              TransactWriteItem.builder()
                                  .put(
                                      p ->
                                          p.tableName("orders")
                                              .item(Map.of("customer", s("t"), "seq", n("2"))))
                                  .build(),
                              TransactWriteItem.builder()
                                  .conditionCheck(
                                      c ->
                                          c.tableName("orders")
                                              .key(one)
                                              .conditionExpression("#s = :paid")
                                              .expressionAttributeNames(Map.of("#s", "state"))
                                              .expressionAttributeValues(
                                                  Map.of(":paid", s("paid"))))
                                  .build())))
          .isInstanceOfSatisfying(
              TransactionCanceledException.class,
              e -> {
                assertThat(e.cancellationReasons())
                    .extracting(reason -> reason.code())
                    .containsExactly("None", "ConditionalCheckFailed");
                assertThat(e.awsErrorDetails().errorMessage())
                    .startsWith("Transaction cancelled, please refer cancellation reasons");
              });
      assertThat(dynamo.getItem(r -> r.tableName("orders").key(two)).hasItem()).isFalse();

      dynamo.transactWriteItems(
          r ->
              r.transactItems(
                  TransactWriteItem.builder()
                      .update(
                          u ->
                              u.tableName("orders")
                                  .key(one)
                                  .updateExpression("SET #s = :paid")
                                  .expressionAttributeNames(Map.of("#s", "state"))
                                  .expressionAttributeValues(Map.of(":paid", s("paid"))))
                      .build(),
                  TransactWriteItem.builder().put(p -> p.tableName("orders").item(two)).build()));
      var both =
          dynamo.transactGetItems(
              r ->
                  r.transactItems(
                      t -> t.get(g -> g.tableName("orders").key(one)),
                      t -> t.get(g -> g.tableName("orders").key(two))));
      assertThat(both.responses().get(0).item().get("state")).isEqualTo(s("paid"));
      assertThat(both.responses().get(1).item()).isEqualTo(two);
      assertValidation(
          () ->
              dynamo.transactWriteItems(
                  r ->
                      r.transactItems(
                          TransactWriteItem.builder()
                              .delete(d -> d.tableName("orders").key(one))
                              .build(),
                          TransactWriteItem.builder()
                              .delete(d -> d.tableName("orders").key(one))
                              .build())),
          "Transaction request cannot include multiple operations on one item");
    }
  }

  @Test
  void updateTableAddsABackfilledGsiRemovesItAndChangesBilling() throws Exception {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      dynamo.createTable(
          r ->
              r.tableName("events")
                  .attributeDefinitions(def("id", ScalarAttributeType.S))
                  .keySchema(key("id", KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      // 250 items (more than a backfill page), a fifth without the index's key: sparse.
      for (int batch = 0; batch < 10; batch++) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = batch * 25; i < batch * 25 + 25; i++) {
          Map<String, AttributeValue> item = new HashMap<>();
          item.put("id", s("e" + i));
          item.put("at", n(Integer.toString(i)));
          if (i % 5 != 0) {
            item.put("kind", s("k" + i % 2));
          }
          writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("events", writes)));
      }

      var updated =
          dynamo
              .updateTable(
                  r ->
                      r.tableName("events")
                          .attributeDefinitions(
                              def("kind", ScalarAttributeType.S), def("at", ScalarAttributeType.N))
                          .globalSecondaryIndexUpdates(
                              GlobalSecondaryIndexUpdate.builder()
                                  .create(
                                      c ->
                                          c.indexName("by-kind")
                                              .keySchema(
                                                  key("kind", KeyType.HASH),
                                                  key("at", KeyType.RANGE))
                                              .projection(
                                                  p -> p.projectionType(ProjectionType.ALL)))
                                  .build()))
              .tableDescription();
      assertThat(updated.tableStatus()).isEqualTo(TableStatus.UPDATING);
      assertThat(updated.globalSecondaryIndexes().get(0).indexStatus())
          .isEqualTo(IndexStatus.CREATING);
      assertThat(updated.attributeDefinitions())
          .extracting(AttributeDefinition::attributeName)
          .containsExactlyInAnyOrder("id", "kind", "at");
      QueryRequest kindOne =
          QueryRequest.builder()
              .tableName("events")
              .indexName("by-kind")
              .keyConditionExpression("kind = :k")
              .expressionAttributeValues(Map.of(":k", s("k1")))
              .build();
      assertValidation(
          () -> dynamo.query(kindOne), "Cannot read from backfilling global secondary index");
      // Another index change while one is backfilled is refused.
      assertThatThrownBy(
              () ->
                  dynamo.updateTable(
                      r ->
                          r.tableName("events")
                              .globalSecondaryIndexUpdates(
                                  GlobalSecondaryIndexUpdate.builder()
                                      .delete(d -> d.indexName("by-kind"))
                                      .build())))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException"));
      // Written while the index is CREATING: indexed by the write itself.
      dynamo.putItem(
          r ->
              r.tableName("events").item(Map.of("id", s("late"), "at", n("999"), "kind", s("k1"))));

      Instant deadline = Instant.now().plusSeconds(30);
      while (dynamo
              .describeTable(r -> r.tableName("events"))
              .table()
              .globalSecondaryIndexes()
              .get(0)
              .indexStatus()
          != IndexStatus.ACTIVE) {
        assertThat(Instant.now()).as("backfilled within 30 s").isBefore(deadline);
        Thread.sleep(200);
      }
      var page = dynamo.query(kindOne);
      // i odd and not a multiple of 5 below 250: 100, plus "late".
      assertThat(page.count()).isEqualTo(101);
      assertThat(page.items().get(0).get("at")).isEqualTo(n("1"));
      assertThat(page.items().get(100).get("id")).isEqualTo(s("late"));
      assertThat(
              dynamo
                  .query(
                      r ->
                          r.tableName("events")
                              .indexName("by-kind")
                              .keyConditionExpression("kind = :k AND #at BETWEEN :a AND :b")
                              .expressionAttributeNames(Map.of("#at", "at")) // reserved word
                              .expressionAttributeValues(
                                  Map.of(":k", s("k0"), ":a", n("2"), ":b", n("12"))))
                  .items())
          .extracting(item -> item.get("id").s())
          .containsExactly("e2", "e4", "e6", "e8", "e12");

      // Billing and throughput changes are accepted and described.
      var provisioned =
          dynamo
              .updateTable(
                  r ->
                      r.tableName("events")
                          .billingMode(BillingMode.PROVISIONED)
                          .provisionedThroughput(
                              t -> t.readCapacityUnits(7L).writeCapacityUnits(3L))
                          .globalSecondaryIndexUpdates(
                              GlobalSecondaryIndexUpdate.builder()
                                  .update(
                                      u ->
                                          u.indexName("by-kind")
                                              .provisionedThroughput(
                                                  t ->
                                                      t.readCapacityUnits(2L)
                                                          .writeCapacityUnits(2L)))
                                  .build()))
              .tableDescription();
      assertThat(provisioned.billingModeSummary().billingMode()).isEqualTo(BillingMode.PROVISIONED);
      assertThat(provisioned.provisionedThroughput().readCapacityUnits()).isEqualTo(7L);
      assertThat(
              dynamo
                  .describeTable(r -> r.tableName("events"))
                  .table()
                  .globalSecondaryIndexes()
                  .get(0)
                  .provisionedThroughput()
                  .writeCapacityUnits())
          .isEqualTo(2L);

      // Removing the index removes its entries and its attributes' definitions.
      dynamo.updateTable(
          r ->
              r.tableName("events")
                  .globalSecondaryIndexUpdates(
                      GlobalSecondaryIndexUpdate.builder()
                          .delete(d -> d.indexName("by-kind"))
                          .build()));
      var after = dynamo.describeTable(r -> r.tableName("events")).table();
      assertThat(after.hasGlobalSecondaryIndexes()).isFalse();
      assertThat(after.attributeDefinitions())
          .extracting(AttributeDefinition::attributeName)
          .containsExactly("id");
      assertValidation(() -> dynamo.query(kindOne), "does not have the specified index");
      assertThat(
              database
                  .sql("SELECT count(*) AS n FROM nosql_index_entries WHERE service_id = :service")
                  .bind("service", db.service())
                  .map(row -> row.get("n", Long.class))
                  .one()
                  .block())
          .isZero();
      assertThatThrownBy(
              () ->
                  dynamo.updateTable(
                      r ->
                          r.tableName("events")
                              .globalSecondaryIndexUpdates(
                                  GlobalSecondaryIndexUpdate.builder()
                                      .delete(d -> d.indexName("by-kind"))
                                      .build())))
          .isInstanceOf(ResourceNotFoundException.class);
    }
  }

  @Test
  void tagsOnCreateTableAndThroughTagResource() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      String arn =
          dynamo
              .createTable(
                  r ->
                      r.tableName("tagged")
                          .attributeDefinitions(def("id", ScalarAttributeType.S))
                          .keySchema(key("id", KeyType.HASH))
                          .billingMode(BillingMode.PAY_PER_REQUEST)
                          .tags(
                              Tag.builder().key("team").value("billing").build(),
                              Tag.builder().key("env").value("").build()))
              .tableDescription()
              .tableArn();
      assertThat(dynamo.listTagsOfResource(r -> r.resourceArn(arn)).tags())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("env", ""), tuple("team", "billing"));

      dynamo.tagResource(
          r ->
              r.resourceArn(arn)
                  .tags(
                      Tag.builder().key("team").value("payments").build(),
                      Tag.builder().key("owner").value("alice").build()));
      dynamo.untagResource(r -> r.resourceArn(arn).tagKeys("env", "not-there"));
      assertThat(dynamo.listTagsOfResource(r -> r.resourceArn(arn)).tags())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("owner", "alice"), tuple("team", "payments"));

      assertValidation(
          () ->
              dynamo.tagResource(
                  r -> r.resourceArn(arn).tags(Tag.builder().key("aws:x").value("y").build())),
          "reserved for AWS use");
      assertValidation(
          () -> dynamo.listTagsOfResource(r -> r.resourceArn("not-an-arn")), "Invalid TableArn");
      List<Tag> many = new ArrayList<>();
      for (int i = 0; i < 49; i++) {
        many.add(Tag.builder().key("k" + i).value("v").build());
      }
      assertThatThrownBy(() -> dynamo.tagResource(r -> r.resourceArn(arn).tags(many)))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException"));
      assertThat(dynamo.listTagsOfResource(r -> r.resourceArn(arn)).tags()).hasSize(2);

      // Another instance's key does not see the table by its ARN; a deleted table has no tags.
      try (DynamoDbClient other = dynamo(newInstance())) {
        assertThatThrownBy(() -> other.listTagsOfResource(r -> r.resourceArn(arn)))
            .isInstanceOf(ResourceNotFoundException.class);
      }
      dynamo.deleteTable(r -> r.tableName("tagged"));
      assertThatThrownBy(() -> dynamo.listTagsOfResource(r -> r.resourceArn(arn)))
          .isInstanceOf(ResourceNotFoundException.class);
    }
  }

  /** DynamoDB's ClientRequestToken: one effect per token for 10 minutes, refused if reused. */
  @Test
  void clientRequestTokenMakesTransactWriteItemsIdempotent() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      putOrder(dynamo, "i", 1, "new", null, 0);
      Map<String, AttributeValue> one = Map.of("customer", s("i"), "seq", n("1"));
      java.util.function.BiFunction<String, String, TransactWriteItemsRequest> add =
          (token, amount) ->
              TransactWriteItemsRequest.builder()
                  .clientRequestToken(token)
                  .transactItems(
                      TransactWriteItem.builder()
                          .update(
                              u ->
                                  u.tableName("orders")
                                      .key(one)
                                      .updateExpression("ADD visits :n")
                                      .expressionAttributeValues(Map.of(":n", n(amount))))
                          .build())
                  .build();
      java.util.function.Supplier<String> visits =
          () -> dynamo.getItem(r -> r.tableName("orders").key(one)).item().get("visits").n();

      dynamo.transactWriteItems(add.apply("token-1", "1"));
      dynamo.transactWriteItems(add.apply("token-1", "1")); // a retry: succeeds, changes nothing
      assertThat(visits.get()).isEqualTo("1");
      assertThatThrownBy(() -> dynamo.transactWriteItems(add.apply("token-1", "5")))
          .isInstanceOfSatisfying(
              IdempotentParameterMismatchException.class,
              e -> assertThat(e.statusCode()).isEqualTo(400));
      assertThat(visits.get()).isEqualTo("1");
      dynamo.transactWriteItems(add.apply("token-2", "1"));
      assertThat(visits.get()).isEqualTo("2");

      // A cancelled transaction records no token: its retry runs, even with other parameters.
      TransactWriteItemsRequest cancelled =
          TransactWriteItemsRequest.builder()
              .clientRequestToken("token-3")
              .transactItems(
                  TransactWriteItem.builder()
                      .put(
                          p ->
                              p.tableName("orders")
                                  .item(one)
                                  .conditionExpression("attribute_not_exists(customer)"))
                      .build())
              .build();
      assertThatThrownBy(() -> dynamo.transactWriteItems(cancelled))
          .isInstanceOf(TransactionCanceledException.class);
      dynamo.transactWriteItems(add.apply("token-3", "10"));
      assertThat(visits.get()).isEqualTo("12");

      // Past its 10 minutes a token is new again.
      database
          .sql(
              "UPDATE nosql_transaction_tokens SET created_at = now() - interval '11 minutes'"
                  + " WHERE service_id = :service AND token = 'token-1'")
          .bind("service", db.service())
          .fetch()
          .rowsUpdated()
          .block();
      dynamo.transactWriteItems(add.apply("token-1", "5"));
      assertThat(visits.get()).isEqualTo("17");

      assertValidation(
          () -> dynamo.transactWriteItems(add.apply("x".repeat(37), "1")),
          "at 'clientRequestToken' failed to satisfy constraint");
    }
  }

  @Test
  void concurrentConditionalWritersOneWins() throws Exception {
    TestInstance db = newInstance();
    try (DynamoDbClient setup = dynamo(db)) {
      createOrders(setup);
    }
    int writers = 2;
    for (int round = 0; round < 5; round++) {
      int seq = round;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Callable<Boolean> attempt =
            () -> {
              try (DynamoDbClient dynamo = dynamo(db)) {
                go.await();
                dynamo.transactWriteItems(
                    r ->
                        r.transactItems(
                            TransactWriteItem.builder()
                                .put(
                                    p ->
                                        p.tableName("orders")
                                            .item(
                                                Map.of(
                                                    "customer", s("race"),
                                                    "seq", n(Integer.toString(seq)),
                                                    "writer", n(Integer.toString(writer))))
                                            .conditionExpression("attribute_not_exists(seq)"))
                                .build()));
                return true;
              } catch (TransactionCanceledException e) {
                return false;
              }
            };
        results.add(pool.submit(attempt));
      }
      go.countDown();
      int wins = 0;
      for (Future<Boolean> result : results) {
        wins += result.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(wins).as("round %d", round).isEqualTo(1);
    }
  }

  @Test
  void accessKeysReachOnlyTheirInstance() {
    TestInstance mine = newInstance();
    TestInstance theirs = newInstance();
    try (DynamoDbClient dynamo = dynamo(mine);
        DynamoDbClient other = dynamo(theirs)) {
      createOrders(dynamo);
      putOrder(dynamo, "secret", 1, "new", null, 0);
      assertThatThrownBy(
              () ->
                  other.getItem(
                      r ->
                          r.tableName("orders")
                              .key(Map.of("customer", s("secret"), "seq", n("1")))))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(other.listTables().tableNames()).isEmpty();
    }
    try (DynamoDbClient forged = dynamo(mine.accessKey(), theirs.secret())) {
      assertThatThrownBy(forged::listTables)
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
    try (DynamoDbClient unknown = dynamo("CKUNKNOWN0000000000", "secret")) {
      assertThatThrownBy(unknown::listTables)
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void everyResponseCarriesItsCrc32() {
    TestInstance db = newInstance();
    // Unsigned: the error body's CRC32 as well; the SDK checks it on every successful call above.
    var result =
        http.post()
            .uri("/dynamodb")
            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
            .header("Content-Type", "application/x-amz-json-1.0")
            .bodyValue("{}")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(byte[].class)
            .returnResult();
    byte[] body = result.getResponseBody();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body);
    assertThat(result.getResponseHeaders().getFirst("x-amz-crc32"))
        .isEqualTo(Long.toString(crc.getValue()));
    JsonNode error = JsonMapper.builder().build().readTree(body);
    assertThat(error.path("__type").stringValue()).endsWith("#MissingAuthenticationTokenException");
    assertThat(db.service()).isNotBlank();
  }

  @Test
  void ttlHidesThenDeletesExpiredItemsAndEventsTellEveryChange() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createOrders(dynamo);
      dynamo.updateTimeToLive(
          r ->
              r.tableName("orders")
                  .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
      assertThat(
              dynamo
                  .describeTimeToLive(r -> r.tableName("orders"))
                  .timeToLiveDescription()
                  .attributeName())
          .isEqualTo("expires");
      Map<String, AttributeValue> key = Map.of("customer", s("ttl"), "seq", n("1"));
      dynamo.putItem(r -> r.tableName("orders").item(key));
      dynamo.updateItem(
          r ->
              r.tableName("orders")
                  .key(key)
                  .updateExpression("SET expires = :past")
                  .expressionAttributeValues(
                      Map.of(":past", n(Long.toString(Instant.now().getEpochSecond() - 5)))));
      assertThat(dynamo.getItem(r -> r.tableName("orders").key(key)).hasItem()).isFalse();
      Awaitility.await("expired item deleted")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  database
                          .sql("SELECT count(*) AS n FROM nosql_items WHERE service_id = :s")
                          .bind("s", db.service())
                          .map(row -> row.get("n", Long.class))
                          .one()
                          .block()
                      == 0);
    }
    var events = itemEvents(db.service(), 3);
    assertThat(events)
        .extracting(e -> e.type())
        .containsExactly(
            "dev.cumulus.nosql.item.inserted.v1",
            "dev.cumulus.nosql.item.modified.v1",
            "dev.cumulus.nosql.item.removed.v1");
    JsonNode modified = JsonMapper.builder().build().readTree(events.get(1).data());
    assertThat(modified.at("/keys/customer/S").stringValue()).isEqualTo("ttl");
    assertThat(modified.at("/oldImage/expires").isMissingNode()).isTrue();
    assertThat(modified.at("/newImage/expires/N").isMissingNode()).isFalse();
  }

  /** A row of the Enhanced Client test. */
  @DynamoDbBean
  public static class Reading {
    private String sensor;
    private Long at;
    private Double value;

    @DynamoDbPartitionKey
    public String getSensor() {
      return sensor;
    }

    public void setSensor(String sensor) {
      this.sensor = sensor;
    }

    @DynamoDbSortKey
    public Long getAt() {
      return at;
    }

    public void setAt(Long at) {
      this.at = at;
    }

    public Double getValue() {
      return value;
    }

    public void setValue(Double value) {
      this.value = value;
    }
  }

  @Test
  void enhancedClientPutGetQuery() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      DynamoDbEnhancedClient enhanced =
          DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
      DynamoDbTable<Reading> readings =
          enhanced.table("readings", TableSchema.fromBean(Reading.class));
      readings.createTable();
      for (long at = 1; at <= 5; at++) {
        Reading reading = new Reading();
        reading.setSensor("s1");
        reading.setAt(at);
        reading.setValue(at * 1.5);
        readings.putItem(reading);
      }
      Reading got = readings.getItem(Key.builder().partitionValue("s1").sortValue(3).build());
      assertThat(got.getValue()).isEqualTo(4.5);
      List<Long> recent =
          readings
              .query(
                  QueryEnhancedRequest.builder()
                      .queryConditional(
                          QueryConditional.sortGreaterThan(
                              Key.builder().partitionValue("s1").sortValue(2).build()))
                      .scanIndexForward(false)
                      .build())
              .items()
              .stream()
              .map(Reading::getAt)
              .toList();
      assertThat(recent).containsExactly(5L, 4L, 3L);
    }
  }

  private static QueryResponse query(
      DynamoDbClient dynamo, String condition, String name, String value) {
    return dynamo.query(
        r ->
            r.tableName("orders")
                .keyConditionExpression(condition)
                .expressionAttributeValues(
                    condition.contains(":c")
                        ? Map.of(":c", s("c1"), name, n(value))
                        : Map.of(name, n(value))));
  }

  private static List<Integer> seqs(QueryResponse response) {
    return response.items().stream().map(i -> Integer.parseInt(i.get("seq").n())).toList();
  }

  private static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DynamoDbException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains(message);
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }
}
