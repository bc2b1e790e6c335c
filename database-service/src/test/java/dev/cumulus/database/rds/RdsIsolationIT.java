package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's role is confined to its own database: direct logins (JDBC, psql) work there and
 * nowhere else, the role has no powers beyond it, and the REST API refuses other tenants and
 * injection through names.
 */
class RdsIsolationIT extends RdsFixture {

  @Test
  void directLoginWorksOnlyInTheInstancesOwnDatabase() throws Exception {
    TestInstance mine = newRds();
    TestInstance theirs = newRds();
    JsonNode login = send(mine, HttpMethod.GET, "/credentials", null, 200);
    String myDatabase = login.path("database").stringValue();
    String theirDatabase =
        send(theirs, HttpMethod.GET, "/credentials", null, 200).path("database").stringValue();

    try (Connection connection = jdbc(login, myDatabase);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
      statement.execute("INSERT INTO notes VALUES (1, 'direct')");
      ResultSet role =
          statement.executeQuery(
              "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,"
                  + " rolconnlimit FROM pg_roles WHERE rolname = current_user");
      assertThat(role.next()).isTrue();
      assertThat(role.getBoolean(1)).as("superuser").isFalse();
      assertThat(role.getBoolean(2)).as("createdb").isFalse();
      assertThat(role.getBoolean(3)).as("createrole").isFalse();
      assertThat(role.getBoolean(4)).as("replication").isFalse();
      assertThat(role.getBoolean(5)).as("bypassrls").isFalse();
      assertThat(role.getInt(6)).as("connection limit (the free plan's, tests)").isEqualTo(8);
      ResultSet timeout = statement.executeQuery("SHOW statement_timeout");
      timeout.next();
      assertThat(timeout.getString(1)).isEqualTo("2s");
      assertThatThrownBy(() -> statement.execute("CREATE DATABASE sneaky"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("CREATE ROLE sneaky"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
    // What was written directly is what the API reads.
    assertThat(query(mine, "SELECT body FROM notes").at("/rows/0/body").stringValue())
        .isEqualTo("direct");

    for (String elsewhere : new String[] {theirDatabase, serviceDatabase, "postgres"}) {
      assertThatThrownBy(() -> jdbc(login, elsewhere).close())
          .as("connecting to " + elsewhere)
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void psqlConnectsWithTheReturnedUri() throws Exception {
    TestInstance db = newRds();
    query(db, "CREATE TABLE t (v text)");
    query(db, "INSERT INTO t VALUES ('from the api')");
    String uri = send(db, HttpMethod.GET, "/credentials", null, 200).path("uri").stringValue();
    Process psql =
        new ProcessBuilder("psql", "-X", "-A", "-t", "-c", "SELECT v FROM t", uri)
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    psql.getInputStream().transferTo(out);
    assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("from the api");
    assertThat(psql.exitValue()).isZero();
  }

  @Test
  void theApiSeesOnlyTheInstancesOwnDatabase() {
    TestInstance db = newRds();
    TestInstance other = newRds();
    String own = send(db, HttpMethod.GET, "/credentials", null, 200).path("database").stringValue();
    String theirs =
        send(other, HttpMethod.GET, "/credentials", null, 200).path("database").stringValue();
    JsonNode databases =
        query(
            db, "SELECT datname FROM pg_database WHERE has_database_privilege(datname, 'CONNECT')");
    List<String> connectable = new ArrayList<>();
    databases.path("rows").forEach(r -> connectable.add(r.path("datname").stringValue()));
    // Databases other test JVMs create meanwhile may be open until the next provisioning.
    assertThat(connectable)
        .contains(own)
        .doesNotContain(theirs, serviceDatabase, "postgres", "template1");
    JsonNode tables =
        query(db, "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'cumulus_%'");
    assertThat(tables.at("/rows/0/n").asLong()).isZero();
    JsonNode denied =
        send(
            db,
            HttpMethod.POST,
            "/query",
            "{\"query\":\"SELECT * FROM dblink('dbname=postgres', 'select 1') AS t(x int)\"}",
            400);
    assertThat(denied.at("/error/code").stringValue()).isEqualTo("QueryFailed");
  }

  @Test
  void otherTenantsAndOtherInstanceTypesAreNotFound() {
    TestInstance mine = newRds();
    TestInstance theirs = newRds();
    // Their token, my path: the tenant in the path is not theirs.
    TestInstance intruder =
        new TestInstance(mine.tenant(), mine.service(), theirs.token(), mine.base(), null, null);
    http.get()
        .uri(intruder.base() + "/info")
        .header("Authorization", "Bearer " + intruder.token())
        .exchange()
        .expectStatus()
        .isForbidden();
    // Their tenant in the path, my service id: not found, not disclosed.
    TestInstance crossed =
        new TestInstance(
            theirs.tenant(),
            mine.service(),
            theirs.token(),
            "/api/rdsdatabase/" + theirs.tenant() + "/" + mine.service(),
            null,
            null);
    assertThat(send(crossed, HttpMethod.GET, "/tables", null, 404).at("/error/code").stringValue())
        .isNotBlank();
    // A NoSQL instance is not an RDS database.
    TestInstance nosql = newInstance(mine.tenant());
    TestInstance asRds =
        new TestInstance(
            nosql.tenant(),
            nosql.service(),
            nosql.token(),
            "/api/rdsdatabase/" + nosql.tenant() + "/" + nosql.service(),
            null,
            null);
    send(asRds, HttpMethod.GET, "/info", null, 404);
    http.get().uri(mine.base() + "/info").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void namesCannotCarrySql() {
    TestInstance db = newRds();
    query(db, "CREATE TABLE victim (id int)");
    String[] bodies = {
      "{\"tableName\":\"users; DROP TABLE victim\",\"schema\":{\"id\":\"INT\"}}",
      "{\"tableName\":\"users\",\"schemaName\":\"public\\\"; DROP TABLE victim; --\","
          + "\"schema\":{\"id\":\"INT\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\\\" int); DROP TABLE victim; --\":\"INT\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\":\"INT); DROP TABLE victim; --\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\":\"INT DEFAULT (SELECT 1)\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\":\"INT DEFAULT pg_terminate_backend(1)\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\":\"TEXT DEFAULT 'a'); DROP TABLE victim; --'\"}}",
      "{\"tableName\":\"users\",\"schema\":{\"id\":\"FOO\"}}",
      "{\"tableName\":\"users\",\"schema\":{}}",
    };
    for (String body : bodies) {
      JsonNode error = send(db, HttpMethod.POST, "/tables", body, 400);
      assertThat(error.at("/error/message").stringValue()).as(body).isNotBlank();
    }
    send(db, HttpMethod.GET, "/tables/victim;DROP TABLE victim", null, 400);
    send(db, HttpMethod.GET, "/tables/victim?schema=public\";DROP TABLE victim;--", null, 400);
    send(
        db,
        HttpMethod.POST,
        "/tables/victim/rows",
        "{\"id\\\") VALUES (1); DROP TABLE victim; --\":1}",
        400);
    // A quoted literal with an escaped quote is one literal: the table gets it as its default.
    send(
        db,
        HttpMethod.POST,
        "/tables",
        "{\"tableName\":\"quoted\",\"schema\":{\"v\":\"TEXT DEFAULT 'it''s; DROP TABLE victim'\"}}",
        201);
    JsonNode row = send(db, HttpMethod.POST, "/tables/quoted/rows", "{}", 201);
    assertThat(row.at("/row/v").stringValue()).isEqualTo("it's; DROP TABLE victim");
    assertThat(send(db, HttpMethod.GET, "/tables", null, 200).path("count").asInt()).isEqualTo(2);
  }
}
