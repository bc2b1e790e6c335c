package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.database.rds.application.DataApiTransactions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ArrayValue;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.ForbiddenException;
import software.amazon.awssdk.services.rdsdata.model.RecordsFormatType;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;
import software.amazon.awssdk.services.rdsdata.model.TransactionNotFoundException;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

/** The AWS SDK's stock {@code rds-data} client against {@code /rds-data}, every operation. */
class RdsDataApiIT extends RdsFixture {

  @Autowired DataApiTransactions transactions;

  @Test
  void executeStatementWithParametersMetadataAndJson() {
    TestInstance db = newRds();
    try (RdsDataClient client = client(db)) {
      execute(
          client,
          db,
          "CREATE TABLE people (id serial PRIMARY KEY, name text, tags text[],"
              + " profile jsonb, balance numeric(10,2), born date, photo bytea)",
          List.of());
      ExecuteStatementResponse inserted =
          execute(
              client,
              db,
              "INSERT INTO people (name, tags, profile, balance, born, photo)"
                  + " VALUES (:name, :tags, :profile, :balance, :born, :photo) RETURNING id",
              List.of(
                  param("name", Field.fromStringValue("Ada")),
                  param(
                      "tags",
                      Field.fromArrayValue(ArrayValue.builder().stringValues("x", "y").build())),
                  SqlParameter.builder()
                      .name("profile")
                      .value(Field.fromStringValue("{\"lang\":\"en\",\"n\":1}"))
                      .typeHint(TypeHint.JSON)
                      .build(),
                  SqlParameter.builder()
                      .name("balance")
                      .value(Field.fromStringValue("12.50"))
                      .typeHint(TypeHint.DECIMAL)
                      .build(),
                  SqlParameter.builder()
                      .name("born")
                      .value(Field.fromStringValue("1815-12-10"))
                      .typeHint(TypeHint.DATE)
                      .build(),
                  param(
                      "photo",
                      Field.fromBlobValue(
                          software.amazon.awssdk.core.SdkBytes.fromUtf8String("png")))));
      assertThat(inserted.records().get(0).get(0).longValue()).isEqualTo(1L);

      ExecuteStatementResponse read =
          client.executeStatement(
              r ->
                  r.resourceArn(arn(db))
                      .secretArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:x")
                      .sql(
                          "SELECT id, name, tags, profile->>'lang' AS lang, balance, born, photo,"
                              + " profile @> :filter AS matches FROM people WHERE id = :id")
                      .parameters(
                          param("id", Field.fromLongValue(1L)),
                          SqlParameter.builder()
                              .name("filter")
                              .value(Field.fromStringValue("{\"n\":1}"))
                              .typeHint(TypeHint.JSON)
                              .build())
                      .includeResultMetadata(true));
      List<Field> row = read.records().get(0);
      assertThat(row.get(1).stringValue()).isEqualTo("Ada");
      assertThat(row.get(2).arrayValue().stringValues()).containsExactly("x", "y");
      assertThat(row.get(3).stringValue()).isEqualTo("en");
      assertThat(row.get(4).stringValue()).isEqualTo("12.50");
      assertThat(row.get(5).stringValue()).isEqualTo("1815-12-10");
      assertThat(row.get(6).blobValue().asUtf8String()).isEqualTo("png");
      assertThat(row.get(7).booleanValue()).isTrue();
      assertThat(read.columnMetadata()).hasSize(8);
      assertThat(read.columnMetadata().get(0).name()).isEqualTo("id");
      assertThat(read.columnMetadata().get(0).typeName()).isEqualTo("int4");
      assertThat(read.columnMetadata().get(0).type()).isEqualTo(4);

      ExecuteStatementResponse json =
          client.executeStatement(
              r ->
                  r.resourceArn(arn(db))
                      .secretArn("secret")
                      .sql("SELECT id, name, tags FROM people")
                      .formatRecordsAs(RecordsFormatType.JSON));
      assertThat(json.formattedRecords())
          .isEqualTo("[{\"id\":1,\"name\":\"Ada\",\"tags\":[\"x\",\"y\"]}]");

      ExecuteStatementResponse updated =
          execute(client, db, "UPDATE people SET name = upper(name)", List.of());
      assertThat(updated.numberOfRecordsUpdated()).isEqualTo(1L);
    }
  }

  @Test
  void batchAndTransactions() {
    TestInstance db = newRds();
    try (RdsDataClient client = client(db)) {
      execute(client, db, "CREATE TABLE ledger (id int PRIMARY KEY, amount bigint)", List.of());
      var batch =
          client.batchExecuteStatement(
              r ->
                  r.resourceArn(arn(db))
                      .secretArn("secret")
                      .sql("INSERT INTO ledger VALUES (:id, :amount)")
                      .parameterSets(
                          List.of(
                              param("id", Field.fromLongValue(1L)),
                              param("amount", Field.fromLongValue(10L))),
                          List.of(
                              param("id", Field.fromLongValue(2L)),
                              param("amount", Field.fromLongValue(20L)))));
      assertThat(batch.updateResults()).hasSize(2);

      String tx =
          client.beginTransaction(r -> r.resourceArn(arn(db)).secretArn("secret")).transactionId();
      client.executeStatement(
          r ->
              r.resourceArn(arn(db))
                  .secretArn("secret")
                  .transactionId(tx)
                  .sql("INSERT INTO ledger VALUES (3, 30)"));
      assertThat(sum(client, db)).as("uncommitted rows are invisible outside").isEqualTo(30L);
      assertThat(
              client
                  .rollbackTransaction(
                      r -> r.resourceArn(arn(db)).secretArn("secret").transactionId(tx))
                  .transactionStatus())
          .isEqualTo("Rollback Complete");
      assertThat(sum(client, db)).isEqualTo(30L);

      String tx2 =
          client.beginTransaction(r -> r.resourceArn(arn(db)).secretArn("secret")).transactionId();
      client.executeStatement(
          r ->
              r.resourceArn(arn(db))
                  .secretArn("secret")
                  .transactionId(tx2)
                  .sql("INSERT INTO ledger VALUES (4, 40)"));
      assertThat(
              client
                  .commitTransaction(
                      r -> r.resourceArn(arn(db)).secretArn("secret").transactionId(tx2))
                  .transactionStatus())
          .isEqualTo("Transaction Committed");
      assertThat(sum(client, db)).isEqualTo(70L);

      assertThatThrownBy(
              () ->
                  client.commitTransaction(
                      r -> r.resourceArn(arn(db)).secretArn("secret").transactionId(tx2)))
          .isInstanceOf(TransactionNotFoundException.class);

      // An idle transaction is rolled back (here: idle for more than nothing) and forgotten.
      String idle =
          client.beginTransaction(r -> r.resourceArn(arn(db)).secretArn("secret")).transactionId();
      client.executeStatement(
          r ->
              r.resourceArn(arn(db))
                  .secretArn("secret")
                  .transactionId(idle)
                  .sql("INSERT INTO ledger VALUES (5, 50)"));
      // The statement's end is recorded just after its answer leaves, so poll for the rollback.
      Long rolledBack =
          reactor.core.publisher.Flux.interval(Duration.ofMillis(20))
              .concatMap(tick -> transactions.rollBackIdle(Duration.ZERO))
              .filter(count -> count >= 1)
              .next()
              .block(Duration.ofSeconds(5));
      assertThat(rolledBack).isGreaterThanOrEqualTo(1L);
      assertThatThrownBy(
              () ->
                  client.commitTransaction(
                      r -> r.resourceArn(arn(db)).secretArn("secret").transactionId(idle)))
          .isInstanceOf(TransactionNotFoundException.class);
      assertThat(sum(client, db)).isEqualTo(70L);
    }
  }

  @Test
  void errorsAreTheDataApisOwn() {
    TestInstance db = newRds();
    TestInstance other = newRds();
    try (RdsDataClient client = client(db)) {
      assertThatThrownBy(() -> execute(client, db, "SELECT * FROM nowhere", List.of()))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("SQLState: 42P01");
      assertThatThrownBy(() -> execute(client, db, "SELECT pg_sleep(5)", List.of()))
          .isInstanceOf(StatementTimeoutException.class);
      assertThatThrownBy(() -> execute(client, db, "SELECT :missing", List.of()))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining(":missing");
      assertThatThrownBy(
              () ->
                  execute(
                      client,
                      db,
                      "SELECT repeat('x', 200000) FROM generate_series(1, 10)",
                      List.of()))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("response size limit");
      // My key, their database.
      assertThatThrownBy(
              () ->
                  client.executeStatement(
                      r -> r.resourceArn(arn(other)).secretArn("secret").sql("SELECT 1")))
          .isInstanceOf(ForbiddenException.class);
    }
    try (RdsDataClient wrong = client(db.accessKey(), "not-the-secret")) {
      assertThatThrownBy(() -> execute(wrong, db, "SELECT 1", List.of()))
          .isInstanceOf(ForbiddenException.class);
    }
  }

  private long sum(RdsDataClient client, TestInstance db) {
    return execute(client, db, "SELECT coalesce(sum(amount), 0)::bigint FROM ledger", List.of())
        .records()
        .get(0)
        .get(0)
        .longValue();
  }

  private ExecuteStatementResponse execute(
      RdsDataClient client, TestInstance db, String sql, List<SqlParameter> parameters) {
    return client.executeStatement(
        r -> r.resourceArn(arn(db)).secretArn("secret").sql(sql).parameters(parameters));
  }

  private static SqlParameter param(String name, Field value) {
    return SqlParameter.builder().name(name).value(value).build();
  }

  private RdsDataClient client(TestInstance db) {
    return rdsData(db.accessKey(), db.secret());
  }

  private RdsDataClient client(String accessKey, String secret) {
    return rdsData(accessKey, secret);
  }
}
