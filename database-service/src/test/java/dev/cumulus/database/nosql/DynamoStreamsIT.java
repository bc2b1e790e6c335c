package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.database.nosql.persistence.StreamRepository;
import dev.cumulus.platform.events.ReceivedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** DynamoDB Streams through the stock AWS SDK v2 DynamoDbStreamsClient, and the Kafka events. */
class DynamoStreamsIT extends NoSqlFixture {

  @Autowired private StreamRepository streamRepository;

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private DynamoDbStreamsClient streams(TestInstance instance) {
    return DynamoDbStreamsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(instance.accessKey(), instance.secret())))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A table keyed by id (S), with a stream of this view type (null: none). */
  private static void createTable(DynamoDbClient dynamo, String name, StreamViewType viewType) {
    dynamo.createTable(
        r -> {
          r.tableName(name)
              .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
              .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
              .billingMode(BillingMode.PAY_PER_REQUEST);
          if (viewType != null) {
            r.streamSpecification(sp -> sp.streamEnabled(true).streamViewType(viewType));
          }
        });
  }

  private static Map<String, AttributeValue> item(String id, String state) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", s(id));
    item.put("state", s(state));
    return item;
  }

  private static String streamArn(DynamoDbClient dynamo, String table) {
    return dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
  }

  private static String iterator(
      DynamoDbStreamsClient streams, String arn, ShardIteratorType type, String sequenceNumber) {
    String shard =
        streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
    return streams
        .getShardIterator(
            r ->
                r.streamArn(arn)
                    .shardId(shard)
                    .shardIteratorType(type)
                    .sequenceNumber(sequenceNumber))
        .shardIterator();
  }

  /** Every record from TRIM_HORIZON, page by page of {@code limit}, until a page is empty. */
  private static List<Record> readAll(DynamoDbStreamsClient streams, String arn, int limit) {
    List<Record> records = new ArrayList<>();
    String iterator = iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
    while (iterator != null) {
      String current = iterator;
      GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current).limit(limit));
      records.addAll(page.records());
      iterator = page.records().isEmpty() ? null : page.nextShardIterator();
    }
    return records;
  }

  @Test
  void recordsCarryTheImagesTheirViewTypeNames() throws Exception {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db);
        DynamoDbStreamsClient streams = streams(db)) {
      for (StreamViewType viewType :
          List.of(
              StreamViewType.KEYS_ONLY,
              StreamViewType.NEW_IMAGE,
              StreamViewType.OLD_IMAGE,
              StreamViewType.NEW_AND_OLD_IMAGES)) {
        String table = "t-" + viewType.toString().toLowerCase().replace('_', '-');
        createTable(dynamo, table, viewType);
        var description = dynamo.describeTable(r -> r.tableName(table)).table();
        assertThat(description.streamSpecification().streamEnabled()).isTrue();
        assertThat(description.streamSpecification().streamViewType()).isEqualTo(viewType);
        assertThat(description.latestStreamArn())
            .isEqualTo(
                "arn:aws:dynamodb:us-east-1:000000000000:table/"
                    + table
                    + "/stream/"
                    + description.latestStreamLabel());

        dynamo.putItem(r -> r.tableName(table).item(item("a", "new")));
        dynamo.updateItem(
            r ->
                r.tableName(table)
                    .key(Map.of("id", s("a")))
                    .updateExpression("SET #s = :s")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":s", s("paid"))));
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("id", s("a"))));

        String arn = description.latestStreamArn();
        var stream = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertThat(stream.streamStatus()).isEqualTo(StreamStatus.ENABLED);
        assertThat(stream.streamViewType()).isEqualTo(viewType);
        assertThat(stream.tableName()).isEqualTo(table);
        assertThat(stream.keySchema().get(0).attributeName()).isEqualTo("id");
        assertThat(stream.shards()).hasSize(1);

        List<Record> records = readAll(streams, arn, 1000);
        assertThat(records)
            .extracting(Record::eventName)
            .containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
        for (Record record : records) {
          assertThat(record.eventSource()).isEqualTo("aws:dynamodb");
          assertThat(record.eventVersion()).isEqualTo("1.1");
          assertThat(record.awsRegion()).isEqualTo("us-east-1");
          assertThat(record.eventID()).isNotBlank();
          assertThat(record.userIdentity()).isNull();
          assertThat(record.dynamodb().keys()).isEqualTo(Map.of("id", s("a")));
          assertThat(record.dynamodb().streamViewType()).isEqualTo(viewType);
          assertThat(record.dynamodb().sizeBytes()).isPositive();
          assertThat(record.dynamodb().approximateCreationDateTime())
              .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        }
        assertThat(records)
            .extracting(r -> r.dynamodb().sequenceNumber())
            .isSortedAccordingTo(
                (x, y) -> new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)))
            .doesNotHaveDuplicates();
        boolean newImages =
            viewType == StreamViewType.NEW_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        boolean oldImages =
            viewType == StreamViewType.OLD_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        Record insert = records.get(0);
        Record modify = records.get(1);
        Record remove = records.get(2);
        assertThat(insert.dynamodb().hasNewImage()).isEqualTo(newImages);
        assertThat(insert.dynamodb().hasOldImage()).isFalse();
        assertThat(modify.dynamodb().hasNewImage()).isEqualTo(newImages);
        assertThat(modify.dynamodb().hasOldImage()).isEqualTo(oldImages);
        assertThat(remove.dynamodb().hasNewImage()).isFalse();
        assertThat(remove.dynamodb().hasOldImage()).isEqualTo(oldImages);
        if (newImages) {
          assertThat(modify.dynamodb().newImage()).isEqualTo(item("a", "paid"));
        }
        if (oldImages) {
          assertThat(modify.dynamodb().oldImage()).isEqualTo(item("a", "new"));
          assertThat(remove.dynamodb().oldImage()).isEqualTo(item("a", "paid"));
        }
      }
      assertThat(streams.listStreams(r -> r.tableName("t-keys-only")).streams()).hasSize(1);
      var all = streams.listStreams(r -> r.limit(3));
      assertThat(all.streams()).hasSize(3);
      assertThat(all.lastEvaluatedStreamArn()).isNotNull();
      assertThat(
              streams
                  .listStreams(r -> r.exclusiveStartStreamArn(all.lastEvaluatedStreamArn()))
                  .streams())
          .hasSize(1);
    }

    // The Kafka events carry the same images as the view type says.
    List<ReceivedEvent> events = itemEvents(db.service(), 12);
    JsonMapper mapper = JsonMapper.builder().build();
    Map<String, List<JsonNode>> byTable = new HashMap<>();
    for (ReceivedEvent event : events) {
      JsonNode data = mapper.readTree(event.data());
      byTable
          .computeIfAbsent(data.get("tableName").stringValue(), k -> new ArrayList<>())
          .add(data);
    }
    assertThat(byTable.get("t-keys-only"))
        .allSatisfy(
            e -> {
              assertThat(e.get("oldImage").isNull()).isTrue();
              assertThat(e.get("newImage").isNull()).isTrue();
              assertThat(e.at("/keys/id/S").stringValue()).isEqualTo("a");
              assertThat(e.get("streamViewType").stringValue()).isEqualTo("KEYS_ONLY");
            });
    assertThat(byTable.get("t-new-image").get(1).at("/newImage/state/S").stringValue())
        .isEqualTo("paid");
    assertThat(byTable.get("t-new-image").get(1).get("oldImage").isNull()).isTrue();
    assertThat(byTable.get("t-old-image").get(1).at("/oldImage/state/S").stringValue())
        .isEqualTo("new");
    assertThat(byTable.get("t-old-image").get(1).get("newImage").isNull()).isTrue();
    assertThat(byTable.get("t-new-and-old-images").get(1).at("/oldImage/state/S").stringValue())
        .isEqualTo("new");
    assertThat(byTable.get("t-new-and-old-images").get(1).at("/newImage/state/S").stringValue())
        .isEqualTo("paid");
  }

  @Test
  void exactlyOneRecordPerChangeAndIteratorsPage() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db);
        DynamoDbStreamsClient streams = streams(db)) {
      createTable(dynamo, "orders", StreamViewType.NEW_AND_OLD_IMAGES);
      createTable(dynamo, "plain", null);
      String arn = streamArn(dynamo, "orders");
      String latest = iterator(streams, arn, ShardIteratorType.LATEST, null);

      List<WriteRequest> batch = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        batch.add(
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item("b" + i, "new")).build())
                .build());
      }
      dynamo.batchWriteItem(r -> r.requestItems(Map.of("orders", batch)));
      // A table without a stream writes no records.
      dynamo.putItem(r -> r.tableName("plain").item(item("p", "new")));
      // A failed condition: no record.
      assertThatThrownBy(
              () ->
                  dynamo.putItem(
                      r ->
                          r.tableName("orders")
                              .item(item("b1", "again"))
                              .conditionExpression("attribute_not_exists(id)")))
          .isInstanceOf(ConditionalCheckFailedException.class);
      // A cancelled transaction: no record.
      assertThatThrownBy(
              () ->
                  dynamo.transactWriteItems(
                      r ->
                          r.transactItems(
                              TransactWriteItem.builder()
                                  .put(p -> p.tableName("orders").item(item("t1", "new")))
                                  .build(),
                              TransactWriteItem.builder()
                                  .conditionCheck(
                                      c ->
                                          c.tableName("orders")
                                              .key(Map.of("id", s("missing")))
                                              .conditionExpression("attribute_exists(id)"))
                                  .build())))
          .isInstanceOf(TransactionCanceledException.class);
      // A transaction across both tables: one record per change of the streamed table, none for
      // its ConditionCheck; its repeat with the same token changes nothing and records nothing.
      for (int attempt = 0; attempt < 2; attempt++) {
        dynamo.transactWriteItems(
            r ->
                r.clientRequestToken("token-1")
                    .transactItems(
                        TransactWriteItem.builder()
                            .put(p -> p.tableName("orders").item(item("t1", "new")))
                            .build(),
                        TransactWriteItem.builder()
                            .update(
                                u ->
                                    u.tableName("orders")
                                        .key(Map.of("id", s("b2")))
                                        .updateExpression("SET #s = :s")
                                        .expressionAttributeNames(Map.of("#s", "state"))
                                        .expressionAttributeValues(Map.of(":s", s("paid"))))
                            .build(),
                        TransactWriteItem.builder()
                            .delete(d -> d.tableName("orders").key(Map.of("id", s("b3"))))
                            .build(),
                        TransactWriteItem.builder()
                            .conditionCheck(
                                c ->
                                    c.tableName("orders")
                                        .key(Map.of("id", s("b4")))
                                        .conditionExpression("attribute_exists(id)"))
                            .build(),
                        TransactWriteItem.builder()
                            .put(p -> p.tableName("plain").item(item("q", "new")))
                            .build()));
      }
      // Deleting an item that is not there changes nothing: no record.
      dynamo.deleteItem(r -> r.tableName("orders").key(Map.of("id", s("nothing"))));

      List<Record> records = readAll(streams, arn, 7);
      assertThat(records).hasSize(28);
      assertThat(records.subList(0, 25))
          .extracting(Record::eventName)
          .containsOnly(OperationType.INSERT);
      assertThat(records.subList(25, 28))
          .extracting(r -> r.eventName() + " " + r.dynamodb().keys().get("id").s())
          .containsExactlyInAnyOrder("INSERT t1", "MODIFY b2", "REMOVE b3");
      assertThat(records).extracting(r -> r.eventID()).doesNotHaveDuplicates();

      // LATEST taken before the writes reads them all; AT and AFTER a sequence number.
      assertThat(streams.getRecords(r -> r.shardIterator(latest)).records()).hasSize(28);
      String fifth = records.get(4).dynamodb().sequenceNumber();
      var at =
          streams.getRecords(
              r ->
                  r.shardIterator(
                      iterator(streams, arn, ShardIteratorType.AT_SEQUENCE_NUMBER, fifth)));
      assertThat(at.records().get(0).eventID()).isEqualTo(records.get(4).eventID());
      assertThat(at.records()).hasSize(24);
      var after =
          streams.getRecords(
              r ->
                  r.shardIterator(
                      iterator(streams, arn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, fifth)));
      assertThat(after.records().get(0).eventID()).isEqualTo(records.get(5).eventID());
      // At the end: no records, and an iterator to wait with for more.
      var end =
          streams.getRecords(
              r -> r.shardIterator(iterator(streams, arn, ShardIteratorType.LATEST, null)));
      assertThat(end.records()).isEmpty();
      dynamo.putItem(r -> r.tableName("orders").item(item("later", "new")));
      var more = streams.getRecords(r -> r.shardIterator(end.nextShardIterator()));
      assertThat(more.records())
          .extracting(r -> r.dynamodb().keys().get("id").s())
          .containsExactly("later");
    }
  }

  @Test
  void aGetRecordsPageStopsAtOneMegabyteAndTheNextIteratorGoesOnAfterIt() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db);
        DynamoDbStreamsClient streams = streams(db)) {
      createTable(dynamo, "big", StreamViewType.NEW_AND_OLD_IMAGES);
      // Six items of ~300 KB (INSERT records of ~300 KB), one update (a MODIFY of ~600 KB: both
      // images), one delete (a REMOVE of ~300 KB): 1 MB holds three of the first six, then the
      // MODIFY and the REMOVE.
      for (int i = 0; i < 6; i++) {
        Map<String, AttributeValue> item = item("big-" + i, "new");
        item.put("payload", s(String.valueOf((char) ('a' + i)).repeat(300_000)));
        dynamo.putItem(r -> r.tableName("big").item(item));
      }
      dynamo.updateItem(
          r ->
              r.tableName("big")
                  .key(Map.of("id", s("big-0")))
                  .updateExpression("SET payload = :p")
                  .expressionAttributeValues(Map.of(":p", s("z".repeat(300_000)))));
      dynamo.deleteItem(r -> r.tableName("big").key(Map.of("id", s("big-1"))));
      String arn = streamArn(dynamo, "big");

      List<Integer> pageSizes = new ArrayList<>();
      List<Record> records = new ArrayList<>();
      String iterator = iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
      while (true) {
        String current = iterator;
        GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current));
        if (page.records().isEmpty()) {
          assertThat(page.nextShardIterator()).isNotNull(); // an open shard: wait for more
          break;
        }
        pageSizes.add(page.records().size());
        assertThat(page.records().stream().mapToLong(r -> r.dynamodb().sizeBytes()).sum())
            .isLessThanOrEqualTo(1024 * 1024);
        records.addAll(page.records());
        iterator = page.nextShardIterator();
      }
      assertThat(pageSizes).containsExactly(3, 3, 2);
      assertThat(records)
          .extracting(r -> r.eventName() + " " + r.dynamodb().keys().get("id").s())
          .containsExactly(
              "INSERT big-0",
              "INSERT big-1",
              "INSERT big-2",
              "INSERT big-3",
              "INSERT big-4",
              "INSERT big-5",
              "MODIFY big-0",
              "REMOVE big-1");
      assertThat(records)
          .extracting(r -> new java.math.BigInteger(r.dynamodb().sequenceNumber()))
          .isSorted()
          .doesNotHaveDuplicates();
      Record modify = records.get(6);
      assertThat(modify.dynamodb().sizeBytes()).isGreaterThan(600_000);
      assertThat(modify.dynamodb().oldImage().get("payload").s()).isEqualTo("a".repeat(300_000));
      assertThat(modify.dynamodb().newImage().get("payload").s()).isEqualTo("z".repeat(300_000));
      assertThat(records.get(7).dynamodb().oldImage().get("payload").s())
          .isEqualTo("b".repeat(300_000));

      // Limit still counts within the cap: pages of two.
      List<Record> byTwo = readAll(streams, arn, 2);
      assertThat(byTwo)
          .extracting(Record::eventID)
          .containsExactlyElementsOf(records.stream().map(Record::eventID).toList());
    }
  }

  @Test
  void updateTableEnablesAndDisablesStreams() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db);
        DynamoDbStreamsClient streams = streams(db)) {
      createTable(dynamo, "events", null);
      dynamo.putItem(r -> r.tableName("events").item(item("before", "new")));
      var plain = dynamo.describeTable(r -> r.tableName("events")).table();
      assertThat(plain.streamSpecification()).isNull();
      assertThat(plain.latestStreamArn()).isNull();
      assertThat(streams.listStreams(r -> r.tableName("events")).streams()).isEmpty();

      var enabled =
          dynamo
              .updateTable(
                  r ->
                      r.tableName("events")
                          .streamSpecification(
                              sp ->
                                  sp.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
              .tableDescription();
      assertThat(enabled.streamSpecification().streamViewType())
          .isEqualTo(StreamViewType.KEYS_ONLY);
      String first = enabled.latestStreamArn();
      assertValidation(
          () ->
              dynamo.updateTable(
                  r ->
                      r.tableName("events")
                          .streamSpecification(
                              sp ->
                                  sp.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))),
          "Table already has an enabled stream: TableName: events");
      dynamo.putItem(r -> r.tableName("events").item(item("during", "new")));

      dynamo.updateTable(
          r -> r.tableName("events").streamSpecification(sp -> sp.streamEnabled(false)));
      var disabled = dynamo.describeTable(r -> r.tableName("events")).table();
      assertThat(disabled.streamSpecification()).isNull();
      assertThat(disabled.latestStreamArn()).isEqualTo(first);
      dynamo.putItem(r -> r.tableName("events").item(item("after", "new")));

      var closed = streams.describeStream(r -> r.streamArn(first)).streamDescription();
      assertThat(closed.streamStatus()).isEqualTo(StreamStatus.DISABLED);
      assertThat(closed.shards().get(0).sequenceNumberRange().endingSequenceNumber()).isNotNull();
      // The closed shard: its one record, then no next iterator.
      var page =
          streams.getRecords(
              r -> r.shardIterator(iterator(streams, first, ShardIteratorType.TRIM_HORIZON, null)));
      assertThat(page.records())
          .extracting(r -> r.dynamodb().keys().get("id").s())
          .containsExactly("during");
      assertThat(page.records().get(0).dynamodb().hasNewImage()).isFalse();
      assertThat(page.nextShardIterator()).isNull();

      dynamo.updateTable(
          r ->
              r.tableName("events")
                  .streamSpecification(
                      sp -> sp.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
      String second = streamArn(dynamo, "events");
      assertThat(second).isNotEqualTo(first);
      assertThat(streams.listStreams(r -> r.tableName("events")).streams()).hasSize(2);
      assertThat(readAll(streams, second, 100)).isEmpty();

      // A deleted table's stream stays readable, disabled.
      dynamo.putItem(r -> r.tableName("events").item(item("last", "new")));
      dynamo.deleteTable(r -> r.tableName("events"));
      assertThat(
              streams.describeStream(r -> r.streamArn(second)).streamDescription().streamStatus())
          .isEqualTo(StreamStatus.DISABLED);
      assertThat(readAll(streams, second, 100)).hasSize(1);
    }
  }

  @Test
  void ttlDeletionsAreServiceDeletions() throws Exception {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db);
        DynamoDbStreamsClient streams = streams(db)) {
      createTable(dynamo, "sessions", StreamViewType.OLD_IMAGE);
      dynamo.updateTimeToLive(
          r ->
              r.tableName("sessions")
                  .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
      Map<String, AttributeValue> session = item("s1", "open");
      session.put(
          "expires", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 5)));
      dynamo.putItem(r -> r.tableName("sessions").item(session));
      dynamo.putItem(r -> r.tableName("sessions").item(item("s2", "open")));
      dynamo.deleteItem(r -> r.tableName("sessions").key(Map.of("id", s("s2"))));
      String arn = streamArn(dynamo, "sessions");
      Awaitility.await("TTL deletion recorded")
          .atMost(Duration.ofSeconds(30))
          .until(() -> readAll(streams, arn, 100).size() == 4);
      List<Record> removals =
          readAll(streams, arn, 100).stream()
              .filter(r -> r.eventName() == OperationType.REMOVE)
              .toList();
      assertThat(removals).hasSize(2);
      Record byUser =
          removals.stream()
              .filter(r -> r.dynamodb().keys().get("id").s().equals("s2"))
              .findFirst()
              .orElseThrow();
      assertThat(byUser.userIdentity()).isNull();
      Record byTtl =
          removals.stream()
              .filter(r -> r.dynamodb().keys().get("id").s().equals("s1"))
              .findFirst()
              .orElseThrow();
      assertThat(byTtl.dynamodb().oldImage()).isEqualTo(session);
      assertThat(byTtl.userIdentity().type()).isEqualTo("Service");
      assertThat(byTtl.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
    }
    JsonMapper mapper = JsonMapper.builder().build();
    List<JsonNode> removed =
        itemEvents(db.service(), 4).stream()
            .filter(e -> e.type().equals("dev.cumulus.nosql.item.removed.v1"))
            .map(e -> mapper.readTree(e.data()))
            .toList();
    assertThat(removed).hasSize(2);
    JsonNode ttl =
        removed.stream()
            .filter(e -> e.at("/keys/id/S").stringValue().equals("s1"))
            .findFirst()
            .orElseThrow();
    assertThat(ttl.at("/userIdentity/type").stringValue()).isEqualTo("Service");
    assertThat(ttl.at("/userIdentity/principalId").stringValue())
        .isEqualTo("dynamodb.amazonaws.com");
    assertThat(ttl.at("/oldImage/state/S").stringValue()).isEqualTo("open");
    JsonNode user =
        removed.stream()
            .filter(e -> e.at("/keys/id/S").stringValue().equals("s2"))
            .findFirst()
            .orElseThrow();
    assertThat(user.has("userIdentity")).isFalse();
  }

  @Test
  void streamsAreIsolatedAndBadInputGetsDynamoDbErrors() {
    TestInstance owner = newInstance();
    TestInstance other = newInstance();
    try (DynamoDbClient dynamo = dynamo(owner);
        DynamoDbStreamsClient streams = streams(owner);
        DynamoDbStreamsClient stranger = streams(other)) {
      createTable(dynamo, "secret", StreamViewType.NEW_IMAGE);
      dynamo.putItem(r -> r.tableName("secret").item(item("x", "hidden")));
      String arn = streamArn(dynamo, "secret");
      String iterator = iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);

      // Another instance sees neither the stream nor its records.
      assertThat(stranger.listStreams().streams()).isEmpty();
      assertThatThrownBy(() -> stranger.describeStream(r -> r.streamArn(arn)))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(
              () ->
                  stranger.getShardIterator(
                      r ->
                          r.streamArn(arn)
                              .shardId("shardId-00000000000000000001-00000001")
                              .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
          .isInstanceOf(ResourceNotFoundException.class);
      assertValidation(
          () -> stranger.getRecords(r -> r.shardIterator(iterator)), "Invalid ShardIterator");

      // Bad input: DynamoDB's errors, never a 500.
      assertThatThrownBy(
              () -> streams.describeStream(r -> r.streamArn(arn.replace("/secret/", "/nothing/"))))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> streams.describeStream(r -> r.streamArn("not-an-arn")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(
              () ->
                  streams.getShardIterator(
                      r ->
                          r.streamArn(arn)
                              .shardId("shardId-nope")
                              .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
          .isInstanceOf(ResourceNotFoundException.class);
      assertValidation(
          () -> iterator(streams, arn, ShardIteratorType.AT_SEQUENCE_NUMBER, "999999999999"),
          "Invalid SequenceNumber");
      assertValidation(
          () -> iterator(streams, arn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, "abc"),
          "Invalid SequenceNumber");
      assertValidation(
          () -> streams.getRecords(r -> r.shardIterator("garbage")), "Invalid ShardIterator");
      String tampered =
          iterator.substring(0, iterator.indexOf('.') - 2)
              + "xx"
              + iterator.substring(iterator.indexOf('.'));
      assertValidation(
          () -> streams.getRecords(r -> r.shardIterator(tampered)), "Invalid ShardIterator");
      assertValidation(
          () -> streams.getRecords(r -> r.shardIterator(iterator).limit(0)),
          "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than"
              + " or equal to 1");
      assertValidation(
          () -> streams.getRecords(r -> r.shardIterator(iterator).limit(1001)),
          "Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than"
              + " or equal to 1000");
      assertValidation(
          () ->
              dynamo.createTable(
                  r ->
                      r.tableName("bad")
                          .attributeDefinitions(
                              a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                          .billingMode(BillingMode.PAY_PER_REQUEST)
                          .streamSpecification(sp -> sp.streamEnabled(true))),
          "StreamViewType");

      // Records past the retention are trimmed: old iterators and sequence numbers are refused.
      String firstSeq = readAll(streams, arn, 10).get(0).dynamodb().sequenceNumber();
      database
          .sql(
              "UPDATE nosql_stream_records SET created_at = now() - interval '25 hours'"
                  + " WHERE service_id = :s")
          .bind("s", owner.service())
          .fetch()
          .rowsUpdated()
          .block();
      // (The sweeper's own tick may trim them first.)
      streamRepository.trim(Duration.ofHours(24)).block();
      assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(iterator)))
          .isInstanceOf(TrimmedDataAccessException.class);
      assertThatThrownBy(
              () -> iterator(streams, arn, ShardIteratorType.AT_SEQUENCE_NUMBER, firstSeq))
          .isInstanceOf(TrimmedDataAccessException.class);
      assertThat(readAll(streams, arn, 10)).isEmpty();
      dynamo.putItem(r -> r.tableName("secret").item(item("y", "kept")));
      assertThat(readAll(streams, arn, 10)).hasSize(1);
    }
  }

  /**
   * The stock consumer path of the {@code aws} CLI (Debian's awscli, botocore's dynamodbstreams
   * model): list-streams, describe-stream, get-shard-iterator and get-records against /dynamodb
   * with the instance's keys read a put, an update and a delete with their images.
   */
  @Test
  void theAwsCliReadsAStreamAsAStockConsumer() throws Exception {
    assumeTrue(onPath("aws"), "awscli is not installed");
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createTable(dynamo, "cli-orders", StreamViewType.NEW_AND_OLD_IMAGES);
      dynamo.putItem(r -> r.tableName("cli-orders").item(item("o1", "new")));
      dynamo.updateItem(
          r ->
              r.tableName("cli-orders")
                  .key(Map.of("id", s("o1")))
                  .updateExpression("SET #s = :s")
                  .expressionAttributeNames(Map.of("#s", "state"))
                  .expressionAttributeValues(Map.of(":s", s("paid"))));
      dynamo.deleteItem(r -> r.tableName("cli-orders").key(Map.of("id", s("o1"))));
    }

    JsonNode listed = aws(db, "list-streams", "--table-name", "cli-orders");
    assertThat(listed.path("Streams")).hasSize(1);
    String arn = listed.path("Streams").get(0).path("StreamArn").asString();
    assertThat(arn).startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/cli-orders/stream/");

    JsonNode description =
        aws(db, "describe-stream", "--stream-arn", arn).path("StreamDescription");
    assertThat(description.path("StreamStatus").asString()).isEqualTo("ENABLED");
    assertThat(description.path("StreamViewType").asString()).isEqualTo("NEW_AND_OLD_IMAGES");
    String shard = description.path("Shards").get(0).path("ShardId").asString();

    String iterator =
        aws(
                db,
                "get-shard-iterator",
                "--stream-arn",
                arn,
                "--shard-id",
                shard,
                "--shard-iterator-type",
                "TRIM_HORIZON")
            .path("ShardIterator")
            .asString();
    JsonNode page = aws(db, "get-records", "--shard-iterator", iterator);
    JsonNode records = page.path("Records");
    assertThat(records).hasSize(3);
    assertThat(page.path("NextShardIterator").asString()).isNotBlank();
    List<String> names = new ArrayList<>();
    records.forEach(r -> names.add(r.path("eventName").asString()));
    assertThat(names).containsExactly("INSERT", "MODIFY", "REMOVE");
    JsonNode insert = records.get(0).path("dynamodb");
    JsonNode modify = records.get(1).path("dynamodb");
    JsonNode remove = records.get(2).path("dynamodb");
    for (JsonNode record : records) {
      assertThat(record.path("eventSource").asString()).isEqualTo("aws:dynamodb");
      assertThat(record.path("awsRegion").asString()).isEqualTo("us-east-1");
      assertThat(record.path("dynamodb").path("Keys").path("id").path("S").asString())
          .isEqualTo("o1");
    }
    assertThat(insert.has("OldImage")).isFalse();
    assertThat(insert.path("NewImage").path("state").path("S").asString()).isEqualTo("new");
    assertThat(modify.path("OldImage").path("state").path("S").asString()).isEqualTo("new");
    assertThat(modify.path("NewImage").path("state").path("S").asString()).isEqualTo("paid");
    assertThat(remove.path("OldImage").path("state").path("S").asString()).isEqualTo("paid");
    assertThat(remove.has("NewImage")).isFalse();

    // A bad Limit is the CLI's ValidationException, not a crash.
    assertThat(awsFailing(db, "get-records", "--shard-iterator", iterator, "--limit", "1001"))
        .contains("ValidationException")
        .contains("less than or equal to 1000");
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** {@code aws dynamodbstreams <args>} with the instance's keys; its JSON output. */
  private JsonNode aws(TestInstance instance, String... args) throws Exception {
    String[] result = runAws(instance, args);
    assertThat(result[0])
        .as("aws dynamodbstreams %s:%n%s", String.join(" ", args), result[1])
        .isEqualTo("0");
    return JsonMapper.builder().build().readTree(result[1]);
  }

  /** A command that must fail: its output (the CLI's error message). */
  private String awsFailing(TestInstance instance, String... args) throws Exception {
    String[] result = runAws(instance, args);
    assertThat(result[0])
        .as("aws dynamodbstreams %s:%n%s", String.join(" ", args), result[1])
        .isNotEqualTo("0");
    return result[1];
  }

  private String[] runAws(TestInstance instance, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("aws", "--endpoint-url", endpoint().toString(), "--output", "json"));
    command.add("dynamodbstreams");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            Map.of(
                "AWS_ACCESS_KEY_ID", instance.accessKey(),
                "AWS_SECRET_ACCESS_KEY", instance.secret(),
                "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
    Process process = builder.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new String[] {"timeout", output};
    }
    return new String[] {Integer.toString(process.exitValue()), output};
  }

  private static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DynamoDbException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            });
  }
}
