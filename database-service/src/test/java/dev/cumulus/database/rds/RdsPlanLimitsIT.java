package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Per-plan limits (issue 24): the tenant's plan decides its instance's connection limit, statement
 * timeout, work_mem and temp_file_limit on the role; the API holds to the plan's values whatever
 * the tenant sets; a plan change reaches the role; an instance made while auth-service is down gets
 * the default plan's limits, then its own. The plans are test/resources' (free: 8 connections, 2 s,
 * 2MB, 100MB; pro: 12, 6 s, 8MB, 1GB).
 */
class RdsPlanLimitsIT extends RdsFixture {

  @Test
  void aFreeInstancesRoleHasTheFreePlansLimits() throws Exception {
    TestInstance db = newRds();
    JsonNode login = send(db, HttpMethod.GET, "/credentials", null, 200);
    String role = login.path("username").stringValue();

    assertThat(connectionLimit(role)).isEqualTo(8);
    assertThat(roleSettings(role))
        .containsExactlyInAnyOrder(
            "statement_timeout=2000ms",
            "work_mem=2MB",
            "temp_file_limit=100MB",
            "idle_in_transaction_session_timeout=10min");

    JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
    assertThat(info.path("plan").stringValue()).isEqualTo("free");
    assertThat(info.at("/connections/max").asInt()).isEqualTo(8);
    assertThat(info.path("statementTimeoutMs").asLong()).isEqualTo(2000);
    assertThat(info.at("/limits/workMem").stringValue()).isEqualTo("2MB");
    assertThat(info.at("/limits/tempFileLimit").stringValue()).isEqualTo("100MB");

    // A direct session starts with them; temp_file_limit is the superuser's to change.
    try (Connection connection = jdbc(login, login.path("database").stringValue());
        Statement statement = connection.createStatement()) {
      assertThat(show(statement, "statement_timeout")).isEqualTo("2s");
      assertThat(show(statement, "temp_file_limit")).isEqualTo("100MB");
      assertThatThrownBy(() -> statement.execute("SET temp_file_limit = -1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      assertThatThrownBy(() -> statement.execute("ALTER ROLE CURRENT_USER CONNECTION LIMIT -1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void theApiHoldsToThePlansTimeoutAndWorkMemWhateverTheTenantSets() throws Exception {
    TestInstance db = newRds();
    JsonNode login = send(db, HttpMethod.GET, "/credentials", null, 200);
    // PostgreSQL lets a role change its own defaults; the API's first session starts after this.
    try (Connection connection = jdbc(login, login.path("database").stringValue());
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER ROLE CURRENT_USER SET statement_timeout = 0");
      statement.execute("ALTER ROLE CURRENT_USER SET work_mem = '64MB'");
    }

    JsonNode error =
        send(
            db,
            HttpMethod.POST,
            "/query",
            JSON.createObjectNode().put("query", "SELECT pg_sleep(3)").toString(),
            400);
    assertThat(error.at("/error/code").stringValue()).isEqualTo("StatementTimeout");
    assertThat(error.at("/error/details").stringValue()).isEqualTo("57014");
    assertThat(error.at("/error/message").stringValue()).contains("SQLSTATE 57014");
    assertThat(error.path("requestId").isMissingNode()).isFalse();
    assertThat(query(db, "SHOW work_mem").at("/rows/0/work_mem").stringValue()).isEqualTo("2MB");
  }

  @Test
  void theConnectionLimitRefusesOneSessionMore() throws Exception {
    TestInstance db = newRds();
    JsonNode login = send(db, HttpMethod.GET, "/credentials", null, 200);
    String database = login.path("database").stringValue();
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        open.add(jdbc(login, database));
      }
      assertThatThrownBy(() -> jdbc(login, database).close())
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
      // The API's own pool counts too: with every session taken it answers 503, not 500.
      JsonNode error =
          send(
              db,
              HttpMethod.POST,
              "/query",
              JSON.createObjectNode().put("query", "SELECT 1").toString(),
              503);
      assertThat(error.at("/error/code").stringValue()).isEqualTo("DatabaseUnavailable");
    } finally {
      for (Connection connection : open) {
        connection.close();
      }
    }
    assertThat(query(db, "SELECT 1 AS one").at("/rows/0/one").asInt()).isEqualTo(1);
  }

  @Test
  void aPlanChangeReachesTheRoleAndTheApi() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    TestInstance db = newRds(tenant);
    String role =
        send(db, HttpMethod.GET, "/credentials", null, 200).path("username").stringValue();
    assertThat(connectionLimit(role)).isEqualTo(8);

    TestPlans.set(tenant, "pro");
    awaitPlan(db, "pro");
    assertThat(connectionLimit(role)).isEqualTo(12);
    assertThat(roleSettings(role))
        .contains("statement_timeout=6000ms", "work_mem=8MB", "temp_file_limit=1GB");
    // Over free's 2 s, under pro's 6 s.
    query(db, "SELECT pg_sleep(2.5)");
    assertThat(query(db, "SHOW work_mem").at("/rows/0/work_mem").stringValue()).isEqualTo("8MB");

    TestPlans.set(tenant, "free");
    awaitPlan(db, "free");
    assertThat(connectionLimit(role)).isEqualTo(8);
  }

  @Test
  void anInstanceMadeWhileAuthServiceIsDownGetsTheDefaultPlanThenItsOwn() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    TestPlans.unreachable(tenant);
    TestInstance db = newRds(tenant);
    String role =
        send(db, HttpMethod.GET, "/credentials", null, 200).path("username").stringValue();
    assertThat(connectionLimit(role)).isEqualTo(8);
    JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
    assertThat(info.path("plan").isNull()).as("plan unknown: %s", info).isTrue();

    TestPlans.set(tenant, "pro");
    awaitPlan(db, "pro");
    assertThat(connectionLimit(role)).isEqualTo(12);
  }

  /** Calls info (each call may check the plan again) until it shows the plan. */
  private void awaitPlan(TestInstance db, String plan) throws InterruptedException {
    Supplier<String> current =
        () -> send(db, HttpMethod.GET, "/info", null, 200).path("plan").asString(null);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!plan.equals(current.get())) {
      assertThat(Instant.now()).as("plan %s applied in time", plan).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private int connectionLimit(String role) throws SQLException {
    try (Connection admin = superuser("postgres");
        Statement statement = admin.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + role + "'")) {
      assertThat(row.next()).isTrue();
      return row.getInt(1);
    }
  }

  /** The role's defaults for every database, as pg_db_role_setting holds them. */
  private List<String> roleSettings(String role) throws SQLException {
    try (Connection admin = superuser("postgres");
        Statement statement = admin.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT unnest(s.setconfig) FROM pg_db_role_setting s"
                    + " JOIN pg_roles r ON r.oid = s.setrole"
                    + " WHERE s.setdatabase = 0 AND r.rolname = '"
                    + role
                    + "'")) {
      List<String> settings = new ArrayList<>();
      while (row.next()) {
        settings.add(row.getString(1));
      }
      return settings;
    }
  }

  private static String show(Statement statement, String setting) throws SQLException {
    try (ResultSet row = statement.executeQuery("SHOW " + setting)) {
      row.next();
      return row.getString(1);
    }
  }
}
