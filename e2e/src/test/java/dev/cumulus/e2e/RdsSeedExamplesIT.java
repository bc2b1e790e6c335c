package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Seed 000's "RDS-like Database Service" examples through the gateway, each with the request the
 * seed shows (its path, its headers: the user's JWT and the instance's API key, its body), on an
 * rdsdatabase instance created with {@code POST /api/services}: database-service learns of it from
 * Kafka and provisions a real database and role on the test server.
 */
class RdsSeedExamplesIT {

  private final Cumulus cumulus = Cumulus.get();
  private final Api api = new Api(cumulus.viaGateway());

  @Test
  void everySeedExampleAnswersThroughTheGateway() {
    String token = cumulus.adminToken(api);
    Api.Answer instance =
        api.post(
                "/api/services",
                Api.bearer(token),
                Map.of("serviceName", "shop", "serviceType", "rdsdatabase"))
            .expect(201);
    String base = "/api/rdsdatabase/" + instance.at("tenantId") + "/" + instance.at("id");
    // As in the seed: -H "Authorization: Bearer {your-jwt-token}" -H "X-API-Key: {service-api-key}"
    Consumer<HttpHeaders> seed =
        h -> {
          h.setBearerAuth(token);
          h.set("X-API-Key", instance.at("apiKey"));
        };

    // Get Database Instance Info: 503 while provisioning, then the instance.
    Api.Answer info =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> api.get(base + "/info", seed), answer -> answer.status() == 200);
    assertThat(info.body())
        .containsEntry("serviceId", instance.at("id"))
        .containsEntry("engine", "postgresql")
        .containsEntry("status", "available");
    assertThat((String) info.at("endpoint.database")).startsWith("rds_");
    // The platform admin's tenant is on the enterprise plan: its instance gets that plan's limits.
    assertThat((String) info.at("plan")).isEqualTo("enterprise");
    assertThat((Integer) info.at("connections.max")).isEqualTo(200);

    // Create Table, with the seed's column map.
    Api.Answer table =
        api.post(
                base + "/tables",
                seed,
                Map.of(
                    "tableName",
                    "users",
                    "schemaName",
                    "public",
                    "schema",
                    Map.of(
                        "id", "SERIAL PRIMARY KEY",
                        "name", "VARCHAR(255) NOT NULL",
                        "email", "VARCHAR(255) UNIQUE NOT NULL",
                        "active", "BOOLEAN DEFAULT true",
                        "created_at", "TIMESTAMP DEFAULT CURRENT_TIMESTAMP")))
            .expect(201);
    assertThat(table.list("columns")).hasSize(5);

    // List Tables.
    Api.Answer tables = api.get(base + "/tables", seed).expect(200);
    assertThat(tables.list("tables"))
        .extracting(t -> t.get("schemaName") + "." + t.get("tableName"))
        .containsExactly("public.users");

    // Get Table Details.
    Api.Answer details = api.get(base + "/tables/users", seed).expect(200);
    Map<String, Object> email = column(details.list("columns"), "email");
    assertThat(email).containsEntry("unique", true).containsEntry("nullable", false);
    assertThat(column(details.list("columns"), "id")).containsEntry("primaryKey", true);

    // Insert Row: the row as stored, the serial and the defaults filled in.
    Api.Answer inserted =
        api.post(
                base + "/tables/users/rows",
                seed,
                Map.of("name", "John Doe", "email", "john@example.com", "active", true))
            .expect(201);
    Map<String, Object> row = inserted.at("row");
    assertThat(row)
        .containsEntry("id", 1)
        .containsEntry("name", "John Doe")
        .containsKey("created_at");

    // Execute SQL Query, with positional parameters.
    Api.Answer result =
        api.post(
                base + "/query",
                seed,
                Map.of(
                    "query",
                    "SELECT * FROM users WHERE active = ? LIMIT ?",
                    "parameters",
                    List.of(true, 10)))
            .expect(200);
    assertThat((Integer) result.at("rowCount")).isEqualTo(1);
    assertThat(result.list("rows").get(0)).containsEntry("email", "john@example.com");

    // List Backups (none yet), Create Backup, then it becomes available.
    assertThat((Integer) api.get(base + "/backups", seed).expect(200).at("count")).isZero();
    Api.Answer backup = api.post(base + "/backups", seed, Map.of("retentionDays", 30)).expect(202);
    assertThat(backup.body())
        .containsEntry("status", "creating")
        .containsEntry("retentionDays", 30);
    Api.Answer backups =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> api.get(base + "/backups", seed).expect(200),
                answer -> "available".equals(answer.list("backups").get(0).get("status")));
    assertThat(backups.list("backups").get(0))
        .containsEntry("backupId", backup.at("backupId"))
        .containsEntry("format", "sql.gz");

    // Get Database Metrics, from pg_stat_database.
    Api.Answer metrics = api.get(base + "/metrics", seed).expect(200);
    assertThat(((Number) metrics.at("xact_commit")).longValue()).isPositive();
    assertThat(((Number) metrics.at("size_bytes")).longValue()).isPositive();
    assertThat((Integer) metrics.at("max_connections")).isEqualTo(200);
  }

  @Test
  void theGatewayAndTheServiceKeepOutWhoeverMayNotUseTheInstance() {
    String token = cumulus.adminToken(api);
    Api.Answer instance =
        api.post(
                "/api/services",
                Api.bearer(token),
                Map.of("serviceName", "ledger", "serviceType", "rdsdatabase"))
            .expect(201);
    String tenant = instance.at("tenantId");
    String base = "/api/rdsdatabase/" + tenant + "/" + instance.at("id");
    Map<String, Object> select = Map.of("query", "SELECT 1");

    // No credentials: the gateway refuses, in the DockSaaS envelope.
    Api.Answer anonymous = api.post(base + "/query", Api.none(), select).expect(401);
    assertThat(anonymous.body()).containsKey("error");
    // An instance the tenant does not have: 404, never another tenant's data.
    api.post(
            "/api/rdsdatabase/" + tenant + "/" + UUID.randomUUID() + "/query",
            Api.bearer(token),
            select)
        .expect(404);
    // Bad SQL: a 400 with PostgreSQL's SQLSTATE, never a 500.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.get(base + "/info", Api.bearer(token)).status() == 200);
    Api.Answer bad =
        api.post(base + "/query", Api.bearer(token), Map.of("query", "SELEC 1")).expect(400);
    assertThat((String) bad.at("error.details")).isEqualTo("42601");
    assertThat((String) bad.at("error.code")).isEqualTo("SyntaxError");
  }

  private static Map<String, Object> column(List<Map<String, Object>> columns, String name) {
    return columns.stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
  }
}
