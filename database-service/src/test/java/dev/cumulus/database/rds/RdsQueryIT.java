package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.ReceivedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * The query endpoint beyond the seed: typed parameters (arrays, jsonb, text the server casts),
 * limits, read-only, the statement timeout, PostgreSQL's errors as 400s with their SQLSTATE,
 * password rotation, slow statements as events.
 */
class RdsQueryIT extends RdsFixture {

  @Test
  void parametersKeepTheirTypes() {
    TestInstance db = newRds();
    query(db, "CREATE TABLE docs (id uuid PRIMARY KEY, tags text[], body jsonb, at timestamptz)");
    String insert =
        """
        {"query": "INSERT INTO docs VALUES (?, ?, ?, ?) RETURNING id, tags, body, at",
         "parameters": ["0b5e8e4e-6c1c-4a53-9d86-6f1c1c2bdf10", ["a", "b"],
                        {"size": 3, "nested": {"ok": true}}, "2026-01-02T03:04:05Z"]}
        """;
    JsonNode inserted = send(db, HttpMethod.POST, "/query", insert, 200);
    assertThat(inserted.path("rowsAffected").asInt()).isEqualTo(1);
    assertThat(inserted.at("/rows/0/tags/1").stringValue()).isEqualTo("b");
    assertThat(inserted.at("/rows/0/body/nested/ok").asBoolean()).isTrue();
    assertThat(inserted.at("/rows/0/at").stringValue()).startsWith("2026-01-02T03:04:05");

    String select =
        """
        {"query": "SELECT body->>'size' AS size, cardinality(?::bigint[]) AS n, ? + 0.5 AS x, ?::text IS NULL AS missing FROM docs WHERE id = ? AND body @> ?",
         "parameters": [[1, 2, 3], 1.25, null, "0b5e8e4e-6c1c-4a53-9d86-6f1c1c2bdf10",
                        {"nested": {"ok": true}}]}
        """;
    JsonNode row = send(db, HttpMethod.POST, "/query", select, 200).at("/rows/0");
    assertThat(row.path("size").stringValue()).isEqualTo("3");
    assertThat(row.path("n").asInt()).isEqualTo(3);
    assertThat(row.path("x").asDouble()).isEqualTo(1.75);
    assertThat(row.path("missing").asBoolean()).isTrue();

    // A ? inside a literal or comment is not a placeholder.
    JsonNode literal =
        send(
            db,
            HttpMethod.POST,
            "/query",
            "{\"query\":\"SELECT '?' AS q, ? AS p -- why?\",\"parameters\":[\"x\"]}",
            200);
    assertThat(literal.at("/rows/0/q").stringValue()).isEqualTo("?");
    assertThat(literal.at("/rows/0/p").stringValue()).isEqualTo("x");
    JsonNode mismatch =
        send(db, HttpMethod.POST, "/query", "{\"query\":\"SELECT ?\",\"parameters\":[]}", 400);
    assertThat(mismatch.at("/error/message").stringValue()).contains("1 placeholder");
  }

  @Test
  void limitsCutLargeResults() {
    TestInstance db = newRds();
    JsonNode rows = query(db, "SELECT g FROM generate_series(1, 5000) g");
    assertThat(rows.path("rowCount").asInt()).isEqualTo(1000);
    assertThat(rows.path("truncated").asBoolean()).isTrue();
    assertThat(rows.path("truncatedBy").stringValue()).isEqualTo("rows");
    JsonNode fewer =
        send(
            db,
            HttpMethod.POST,
            "/query",
            "{\"query\":\"SELECT g FROM generate_series(1, 50) g\",\"maxRows\":10}",
            200);
    assertThat(fewer.path("rowCount").asInt()).isEqualTo(10);
    JsonNode big = query(db, "SELECT repeat('x', 100000) AS v FROM generate_series(1, 50)");
    assertThat(big.path("truncatedBy").stringValue()).isEqualTo("bytes");
    assertThat(big.path("rowCount").asInt()).isBetween(9, 11);
  }

  @Test
  void badSqlIsA400WithItsSqlState() {
    TestInstance db = newRds();
    assertError(db, "SELEC 1", "SyntaxError", "42601");
    assertError(db, "SELECT * FROM nowhere", "UndefinedTable", "42P01");
    assertError(db, "SELECT 1/0", "QueryFailed", "22012");
    assertError(db, "SELECT 1; SELECT 2", "SyntaxError", "42601");
    query(db, "CREATE TABLE u (id int PRIMARY KEY)");
    query(db, "INSERT INTO u VALUES (1)");
    assertError(db, "INSERT INTO u VALUES (1)", "ConstraintViolation", "23505");
    send(db, HttpMethod.POST, "/query", "{\"parameters\":[]}", 400);
    send(db, HttpMethod.POST, "/query", "{\"query\":42}", 400);
  }

  @Test
  void readOnlyQueriesCannotWrite() {
    TestInstance db = newRds();
    query(db, "CREATE TABLE r (v int)");
    JsonNode error =
        send(
            db,
            HttpMethod.POST,
            "/query",
            "{\"query\":\"INSERT INTO r VALUES (1)\",\"readOnly\":true}",
            400);
    assertThat(error.at("/error/code").stringValue()).isEqualTo("ReadOnlyTransaction");
    assertThat(error.at("/error/details").stringValue()).isEqualTo("25006");
    assertThat(query(db, "SELECT count(*) AS n FROM r").at("/rows/0/n").asInt()).isZero();
  }

  @Test
  void statementsStopAtTheTimeoutAndSlowOnesAreReported() {
    TestInstance db = newRds();
    assertError(db, "SELECT pg_sleep(5)", "StatementTimeout", "57014");
    // The connection is usable again afterwards.
    assertThat(query(db, "SELECT 1 AS one").at("/rows/0/one").asInt()).isEqualTo(1);
    query(db, "SELECT pg_sleep(0.5)");
    List<ReceivedEvent> slow = rdsEvents(db.service(), "dev.cumulus.rds.statement.slow.v1", 1);
    assertThat(slow.get(0).data()).contains("pg_sleep(0.5)");
    assertThat(slow.get(0).tenantId()).isEqualTo(db.tenant());
    rdsEvents(db.service(), "dev.cumulus.rds.instance.ready.v1", 1);
  }

  @Test
  void rotatingThePasswordLocksTheOldOneOut() throws Exception {
    TestInstance db = newRds();
    JsonNode before = send(db, HttpMethod.GET, "/credentials", null, 200);
    query(db, "CREATE TABLE k (v int)");
    JsonNode after = send(db, HttpMethod.POST, "/credentials/rotate", null, 200);
    assertThat(after.path("password").stringValue())
        .hasSize(32)
        .isNotEqualTo(before.path("password").stringValue());
    String database = before.path("database").stringValue();
    try (var connection = jdbc(after, database)) {
      assertThat(connection.isValid(5)).isTrue();
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(
        serverTrustsPasswords(before, database),
        "PostgreSQL at "
            + pgHost
            + " accepts any password (trust in pg_hba.conf): set scram-sha-256 for host"
            + " connections to test that an old password stops working");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc(before, database).close())
        .isInstanceOf(java.sql.SQLException.class);
    // The service's own pool logs in with the new password.
    assertThat(query(db, "SELECT count(*) AS n FROM k").at("/rows/0/n").asInt()).isZero();
    assertThat(send(db, HttpMethod.GET, "/credentials", null, 200).path("password").stringValue())
        .isEqualTo(after.path("password").stringValue());
  }

  /** Whether a login with a wrong password succeeds (trust authentication). */
  private boolean serverTrustsPasswords(JsonNode login, String database) {
    JsonNode wrong =
        ((tools.jackson.databind.node.ObjectNode) login.deepCopy()).put("password", "wrong");
    try (var connection = jdbc(wrong, database)) {
      return true;
    } catch (java.sql.SQLException refused) {
      return false;
    }
  }

  private void assertError(TestInstance db, String sql, String code, String sqlState) {
    JsonNode error =
        send(
            db,
            HttpMethod.POST,
            "/query",
            JSON.createObjectNode().put("query", sql).toString(),
            400);
    assertThat(error.at("/error/code").stringValue()).as(sql).isEqualTo(code);
    assertThat(error.at("/error/details").stringValue()).as(sql).isEqualTo(sqlState);
    assertThat(error.at("/error/message").stringValue()).as(sql).contains("SQLSTATE " + sqlState);
  }
}
