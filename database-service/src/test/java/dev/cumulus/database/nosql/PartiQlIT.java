package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DuplicateItemException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) with the AWS SDK v2. */
class PartiQlIT extends NoSqlFixture {

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static void createMusic(DynamoDbClient dynamo) {
    dynamo.createTable(
        r ->
            r.tableName("Music")
                .attributeDefinitions(
                    a -> a.attributeName("Artist").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("SongTitle").attributeType(ScalarAttributeType.S))
                .keySchema(
                    k -> k.attributeName("Artist").keyType(KeyType.HASH),
                    k -> k.attributeName("SongTitle").keyType(KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  private static ExecuteStatementResponse run(
      DynamoDbClient dynamo, String statement, AttributeValue... parameters) {
    return dynamo.executeStatement(
        r -> {
          r.statement(statement);
          if (parameters.length > 0) {
            r.parameters(parameters);
          }
        });
  }

  @Test
  void insertSelectUpdateAndDeleteOneItemAtATime() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createMusic(dynamo);
      run(
          dynamo,
          "INSERT INTO \"Music\" VALUE {'Artist': ?, 'SongTitle': 'Call Me Today', 'Year': 1990,"
              + " 'Tags': <<'pop'>>, 'Plays': 0, 'Album': {'Title': 'Somewhat Famous'}}",
          s("Acme Band"));
      run(
          dynamo,
          "INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'Cake', 'Year': 2001}");
      run(dynamo, "INSERT INTO Music VALUE {'Artist': 'Other', 'SongTitle': 'Call', 'Year': 1990}");
      assertThatThrownBy(
              () ->
                  run(
                      dynamo,
                      "INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'Cake'}"))
          .isInstanceOf(DuplicateItemException.class);

      // a Query: the key's equality, a sort-key condition, a filter, the order and a projection
      var found =
          run(
              dynamo,
              "SELECT SongTitle, Album.Title FROM Music WHERE Artist = ? AND"
                  + " begins_with(SongTitle, 'Ca') AND Year < 2000 ORDER BY SongTitle DESC",
              s("Acme Band"));
      assertThat(found.items())
          .containsExactly(
              Map.of(
                  "SongTitle",
                  s("Call Me Today"),
                  "Album",
                  AttributeValue.fromM(Map.of("Title", s("Somewhat Famous")))));
      assertThat(run(dynamo, "SELECT * FROM Music WHERE 'Other' = Artist").items()).hasSize(1);
      // a Scan when the partition key is not fixed
      assertThat(run(dynamo, "SELECT Artist FROM Music WHERE Year = 1990").items())
          .extracting(item -> item.get("Artist").s())
          .containsExactlyInAnyOrder("Acme Band", "Other");

      var updated =
          run(
              dynamo,
              "UPDATE Music SET Plays = Plays + 5 SET Tags = set_add(Tags, <<'rock'>>) REMOVE Year"
                  + " WHERE Artist = 'Acme Band' AND SongTitle = 'Call Me Today' AND Plays = 0"
                  + " RETURNING ALL NEW *");
      Map<String, AttributeValue> item = updated.items().getFirst();
      assertThat(item.get("Plays").n()).isEqualTo("5");
      assertThat(item.get("Tags").ss()).containsExactlyInAnyOrder("pop", "rock");
      assertThat(item).doesNotContainKey("Year");
      // the WHERE's extra condition no longer holds; an UPDATE never creates an item
      assertThatThrownBy(
              () ->
                  run(
                      dynamo,
                      "UPDATE Music SET Plays = 1 WHERE Artist = 'Acme Band'"
                          + " AND SongTitle = 'Call Me Today' AND Plays = 0"))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThatThrownBy(
              () ->
                  run(dynamo, "UPDATE Music SET Plays = 1 WHERE Artist = 'x' AND SongTitle = 'y'"))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThat(run(dynamo, "SELECT * FROM Music WHERE Artist = 'x'").items()).isEmpty();

      var deleted =
          run(
              dynamo,
              "DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Cake'"
                  + " RETURNING ALL OLD *");
      assertThat(deleted.items().getFirst().get("Year").n()).isEqualTo("2001");
      assertThat(
              dynamo
                  .getItem(
                      r ->
                          r.tableName("Music")
                              .key(Map.of("Artist", s("Acme Band"), "SongTitle", s("Cake"))))
                  .hasItem())
          .isFalse();
    }
  }

  @Test
  void aLongSelectIsPagedWithNextToken() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createMusic(dynamo);
      for (int i = 0; i < 7; i++) {
        run(dynamo, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': ?}", s("song-" + i));
      }
      List<String> titles = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        String next = token;
        var page =
            dynamo.executeStatement(
                r ->
                    r.statement("SELECT SongTitle FROM Music WHERE Artist = 'A'")
                        .limit(3)
                        .nextToken(next));
        page.items().forEach(i -> titles.add(i.get("SongTitle").s()));
        token = page.nextToken();
        pages++;
      } while (token != null);
      assertThat(titles)
          .containsExactly("song-0", "song-1", "song-2", "song-3", "song-4", "song-5", "song-6");
      assertThat(pages).isBetween(3, 4);
      assertThatThrownBy(
              () ->
                  dynamo.executeStatement(
                      r ->
                          r.statement("SELECT * FROM Music WHERE Artist = 'A'").nextToken("bogus")))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }
  }

  @Test
  void batchStatementsSucceedOrFailOneByOne() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createMusic(dynamo);
      run(dynamo, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'taken'}");
      List<BatchStatementResponse> writes =
          dynamo
              .batchExecuteStatement(
                  r ->
                      r.statements(
                          insert("new-1"),
                          insert("taken"),
                          BatchStatementRequest.builder()
                              .statement("UPDATE Music SET x = 1 WHERE Artist = 'A'")
                              .build(),
                          insert("new-2")))
              .responses();
      assertThat(writes.get(0).error()).isNull();
      assertThat(writes.get(1).error().code())
          .isEqualTo(BatchStatementErrorCodeEnum.DUPLICATE_ITEM);
      assertThat(writes.get(2).error().code())
          .isEqualTo(BatchStatementErrorCodeEnum.VALIDATION_ERROR);
      assertThat(writes.get(3).error()).isNull();

      List<BatchStatementResponse> reads =
          dynamo
              .batchExecuteStatement(
                  r -> r.statements(read("new-1"), read("missing"), read("new-2")))
              .responses();
      assertThat(reads.get(0).item().get("SongTitle").s()).isEqualTo("new-1");
      assertThat(reads.get(1).item()).isEmpty();
      assertThat(reads.get(2).tableName()).isEqualTo("Music");

      assertThatThrownBy(
              () ->
                  dynamo.batchExecuteStatement(
                      r ->
                          r.statements(
                              BatchStatementRequest.builder()
                                  .statement(
                                      "EXISTS(SELECT * FROM Music WHERE Artist = 'A'"
                                          + " AND SongTitle = 'new-1')")
                                  .build())))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
      assertThatThrownBy(
              () -> dynamo.batchExecuteStatement(r -> r.statements(read("new-1"), insert("x"))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }
  }

  private static BatchStatementRequest insert(String title) {
    return BatchStatementRequest.builder()
        .statement("INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': ?}")
        .parameters(s(title))
        .build();
  }

  private static BatchStatementRequest read(String title) {
    return BatchStatementRequest.builder()
        .statement("SELECT * FROM Music WHERE Artist = 'A' AND SongTitle = ?")
        .parameters(s(title))
        .build();
  }

  @Test
  void aTransactionIsAllOrNothing() {
    TestInstance db = newInstance();
    try (DynamoDbClient dynamo = dynamo(db)) {
      createMusic(dynamo);
      run(dynamo, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'stock', 'Left': 1}");
      run(dynamo, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'shop', 'Open': false}");
      // the EXISTS check fails: neither write happens
      assertThatThrownBy(
              () ->
                  dynamo.executeTransaction(
                      r ->
                          r.transactStatements(
                              statement(
                                  "EXISTS(SELECT * FROM Music WHERE Artist = 'A'"
                                      + " AND SongTitle = 'shop' AND Open = true)"),
                              statement(
                                  "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'order'}"),
                              statement(
                                  "UPDATE Music SET Left = Left - 1 WHERE Artist = 'A'"
                                      + " AND SongTitle = 'stock'"))))
          .isInstanceOfSatisfying(
              TransactionCanceledException.class,
              e ->
                  assertThat(e.cancellationReasons())
                      .extracting(reason -> reason.code())
                      .containsExactly("ConditionalCheckFailed", "None", "None"));
      assertThat(run(dynamo, "SELECT * FROM Music WHERE Artist = 'A'").items()).hasSize(2);
      run(dynamo, "UPDATE Music SET Open = true WHERE Artist = 'A' AND SongTitle = 'shop'");

      dynamo.executeTransaction(
          r ->
              r.transactStatements(
                  statement(
                      "EXISTS(SELECT * FROM Music WHERE Artist = 'A' AND SongTitle = 'shop'"
                          + " AND Open = true)"),
                  statement("INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'order'}"),
                  statement(
                      "UPDATE Music SET Left = Left - 1 WHERE Artist = 'A' AND SongTitle = 'stock'"
                          + " AND Left > 0")));
      var read =
          dynamo.executeTransaction(
              r ->
                  r.transactStatements(
                      statement(
                          "SELECT Left FROM Music WHERE Artist = 'A' AND SongTitle = 'stock'"),
                      statement("SELECT * FROM Music WHERE Artist = 'A' AND SongTitle = 'order'")));
      assertThat(read.responses().get(0).item().get("Left").n()).isEqualTo("0");
      assertThat(read.responses().get(1).item()).containsKey("SongTitle");

      // a duplicate INSERT in a transaction is reported as DuplicateItem
      assertThatThrownBy(
              () ->
                  dynamo.executeTransaction(
                      r ->
                          r.transactStatements(
                              statement(
                                  "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'order'}"))))
          .isInstanceOfSatisfying(
              TransactionCanceledException.class,
              e ->
                  assertThat(e.cancellationReasons().getFirst().code()).isEqualTo("DuplicateItem"));
    }
  }

  private static ParameterizedStatement statement(String text) {
    return ParameterizedStatement.builder().statement(text).build();
  }

  @Test
  void badStatementsAndOtherTenantsTablesAreRefusedAsDynamoDbDoes() {
    TestInstance mine = newInstance();
    TestInstance theirs = newInstance();
    try (DynamoDbClient dynamo = dynamo(mine);
        DynamoDbClient other = dynamo(theirs)) {
      createMusic(dynamo);
      run(dynamo, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'secret'}");
      for (String statement :
          List.of(
              "SELEC * FROM Music",
              "SELECT * FROM Music WHERE Artist = ",
              "SELECT * FROM Music WHERE Artist = ?",
              "UPDATE Music SET a = 1 WHERE Artist = 'A'",
              "DELETE FROM Music WHERE SongTitle = 'x'",
              "EXISTS(SELECT * FROM Music WHERE Artist = 'A' AND SongTitle = 'x')",
              "SELECT * FROM Music.nope WHERE Artist = 'A'",
              "SELECT * FROM Music WHERE Artist = 'A' ORDER BY SongTitle SIDEWAYS")) {
        assertThatThrownBy(() -> run(dynamo, statement))
            .as(statement)
            .isInstanceOfSatisfying(
                DynamoDbException.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(400);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                });
      }
      assertThatThrownBy(() -> run(dynamo, "SELECT * FROM Nope"))
          .isInstanceOf(ResourceNotFoundException.class);
      // another instance's keys do not reach this instance's table
      assertThatThrownBy(() -> run(other, "SELECT * FROM Music WHERE Artist = 'A'"))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(
              () -> run(other, "INSERT INTO Music VALUE {'Artist': 'A', 'SongTitle': 'mine'}"))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(run(dynamo, "SELECT * FROM Music").items()).hasSize(1);
    }
  }
}
