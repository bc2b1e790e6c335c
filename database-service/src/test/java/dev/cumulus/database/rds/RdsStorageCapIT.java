package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.events.ReceivedEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import tools.jackson.databind.JsonNode;

/**
 * The storage cap per plan (issue 24). test/resources' plan {@code capped} allows 10 MB (an empty
 * database is about 7.4 MB) and the worker measures every 300 ms: a table of ~5 MB puts the
 * instance over, and it refuses writes (API: 400 with SQLSTATE 25006; a new direct session: read
 * only) but serves reads; dropping the table puts it under again and writes work.
 */
class RdsStorageCapIT extends RdsFixture {

  private static final String FILL =
      "CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 30) AS payload"
          + " FROM generate_series(1, 5000) g";

  @Test
  void overTheCapAnInstanceRefusesWritesButServesReadsAndUnderItWritesWorkAgain() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    TestPlans.set(tenant, "capped");
    TestInstance db = newRds(tenant);
    JsonNode login = send(db, HttpMethod.GET, "/credentials", null, 200);
    String database = login.path("database").stringValue();

    JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
    assertThat(info.at("/limits/storageLimit").stringValue()).isEqualTo("10MB");
    assertThat(info.at("/storage/limitBytes").asLong()).isEqualTo(10L << 20);
    assertThat(info.at("/storage/exceeded").asBoolean()).isFalse();
    assertThat(info.at("/storage/sizeBytes").asLong()).isLessThan(10L << 20);

    query(db, "CREATE TABLE notes (id serial PRIMARY KEY, body text)");
    query(db, "INSERT INTO notes (body) VALUES ('before')");
    // A direct session open before the cap is hit: it is ended when the role becomes read-only.
    Connection early = jdbc(login, database);
    query(db, FILL);

    JsonNode over = awaitExceeded(db, true);
    assertThat(over.at("/storage/sizeBytes").asLong()).isGreaterThan(10L << 20);
    List<ReceivedEvent> exceeded =
        rdsEvents(db.service(), "dev.cumulus.rds.instance.storage-exceeded.v1", 1);
    JsonNode data = JSON.readTree(exceeded.get(0).data());
    assertThat(data.path("storageLimitBytes").asLong()).isEqualTo(10L << 20);
    assertThat(data.path("sizeBytes").asLong()).isGreaterThan(10L << 20);
    assertThat(exceeded.get(0).tenantId()).isEqualTo(tenant);

    // The API: writes are a clear 400 with the SQLSTATE, reads work.
    JsonNode refused =
        send(
            db,
            HttpMethod.POST,
            "/query",
            JSON.createObjectNode()
                .put("query", "INSERT INTO notes (body) VALUES (?)")
                .set("parameters", JSON.createArrayNode().add("after"))
                .toString(),
            400);
    assertThat(refused.at("/error/code").stringValue()).isEqualTo("StorageLimitExceeded");
    assertThat(refused.at("/error/details").stringValue()).isEqualTo("25006");
    assertThat(refused.at("/error/message").stringValue())
        .contains("SQLSTATE 25006")
        .contains("storage limit (10MB)");
    send(db, HttpMethod.POST, "/tables/notes/rows", "{\"body\":\"row\"}", 400);
    assertThat(query(db, "SELECT count(*) AS n FROM big").at("/rows/0/n").asLong()).isEqualTo(5000);
    assertThat(query(db, "SELECT body FROM notes").at("/rows/0/body").stringValue())
        .isEqualTo("before");

    // The Data API (AWS SDK): the same, as its BadRequestException; DELETE still runs.
    try (RdsDataClient client = rdsData(db.accessKey(), db.secret())) {
      assertThatThrownBy(
              () ->
                  client.executeStatement(
                      r ->
                          r.resourceArn(arn(db))
                              .secretArn("secret")
                              .sql("INSERT INTO notes (body) VALUES ('data-api')")))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("SQLState: 25006")
          .hasMessageContaining("storage limit");
      assertThat(
              client
                  .executeStatement(
                      r ->
                          r.resourceArn(arn(db))
                              .secretArn("secret")
                              .sql("DELETE FROM notes WHERE body = 'nothing'"))
                  .numberOfRecordsUpdated())
          .isZero();
      assertThat(
              client
                  .executeStatement(
                      r ->
                          r.resourceArn(arn(db))
                              .secretArn("secret")
                              .sql("SELECT count(*) FROM big"))
                  .records()
                  .get(0)
                  .get(0)
                  .longValue())
          .isEqualTo(5000);
    }

    // Direct sessions: the one open before was ended; a new one is read-only.
    assertThatThrownBy(() -> early.createStatement().execute("SELECT 1"))
        .isInstanceOf(SQLException.class);
    early.close();
    try (Connection direct = jdbc(login, database);
        Statement statement = direct.createStatement()) {
      assertThatThrownBy(() -> statement.execute("INSERT INTO notes (body) VALUES ('direct')"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
      try (ResultSet row = statement.executeQuery("SELECT count(*) FROM notes")) {
        assertThat(row.next()).isTrue();
        assertThat(row.getLong(1)).isEqualTo(1);
      }
    }

    // The tenant frees space (DROP is allowed over the cap) and gets write access back.
    query(db, "DROP TABLE big");
    JsonNode under = awaitExceeded(db, false);
    assertThat(under.at("/storage/sizeBytes").asLong()).isLessThan(10L << 20);
    rdsEvents(db.service(), "dev.cumulus.rds.instance.storage-restored.v1", 1);
    JsonNode inserted =
        send(
            db,
            HttpMethod.POST,
            "/query",
            JSON.createObjectNode()
                .put("query", "INSERT INTO notes (body) VALUES ('after')")
                .toString(),
            200);
    assertThat(inserted.path("rowsAffected").asLong()).isEqualTo(1);
    try (Connection direct = jdbc(login, database);
        Statement statement = direct.createStatement()) {
      statement.execute("INSERT INTO notes (body) VALUES ('direct')");
    }
    assertThat(query(db, "SELECT count(*) AS n FROM notes").at("/rows/0/n").asLong()).isEqualTo(3);
  }

  @Test
  void aPlanWithoutACapNeverGoesReadOnly() throws Exception {
    TestInstance db = newRds();
    query(db, FILL);
    Thread.sleep(1000);
    JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
    // free's built-in 1GB: far above.
    assertThat(info.at("/storage/limitBytes").asLong()).isEqualTo(1L << 30);
    assertThat(info.at("/storage/exceeded").asBoolean()).isFalse();
    query(db, "INSERT INTO big VALUES (0, 'x')");
  }

  /** Calls info until the instance is (or is no longer) over its cap. */
  private JsonNode awaitExceeded(TestInstance db, boolean exceeded) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
      if (info.at("/storage/exceeded").asBoolean() == exceeded) {
        return info;
      }
      assertThat(Instant.now())
          .as("storage exceeded=%s in time: %s", exceeded, info)
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
