package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/** Seed 000's "RDS-like Database Service" examples, with their exact bodies, in order. */
class RdsSeedIT extends RdsFixture {

  static final String QUERY =
      """
      {
        "query": "SELECT * FROM users WHERE active = ? LIMIT ?",
        "parameters": [true, 10]
      }
      """;

  static final String CREATE_TABLE =
      """
      {
        "tableName": "users",
        "schemaName": "public",
        "schema": {
          "id": "SERIAL PRIMARY KEY",
          "name": "VARCHAR(255) NOT NULL",
          "email": "VARCHAR(255) UNIQUE NOT NULL",
          "active": "BOOLEAN DEFAULT true",
          "created_at": "TIMESTAMP DEFAULT CURRENT_TIMESTAMP"
        }
      }
      """;

  static final String INSERT_ROW =
      """
      {
        "name": "John Doe",
        "email": "john@example.com",
        "active": true
      }
      """;

  static final String CREATE_BACKUP =
      """
      {
        "retentionDays": 30
      }
      """;

  @Test
  void everySeedExample() {
    TestInstance db = newRds();

    JsonNode info = send(db, HttpMethod.GET, "/info", null, 200);
    assertThat(info.path("engine").stringValue()).isEqualTo("postgresql");
    assertThat(info.path("version").stringValue()).matches("\\d+\\.\\d+.*");
    assertThat(info.path("sizeBytes").asLong()).isPositive();
    assertThat(info.at("/connections/max").asInt()).as("the free plan's, tests").isEqualTo(8);
    assertThat(info.at("/endpoint/database").stringValue()).startsWith("rds_rds_");
    assertThat(info.at("/endpoint/username").stringValue())
        .isEqualTo(info.at("/endpoint/database").stringValue());
    assertThat(info.at("/endpoint/port").asInt()).isEqualTo(pgPort);

    JsonNode created = send(db, HttpMethod.POST, "/tables", CREATE_TABLE, 201);
    assertThat(created.path("tableName").stringValue()).isEqualTo("users");
    assertThat(created.path("columns")).hasSize(5);

    JsonNode list = send(db, HttpMethod.GET, "/tables", null, 200);
    assertThat(list.path("count").asInt()).isEqualTo(1);
    assertThat(list.at("/tables/0/tableName").stringValue()).isEqualTo("users");
    assertThat(list.at("/tables/0/schemaName").stringValue()).isEqualTo("public");

    JsonNode details = send(db, HttpMethod.GET, "/tables/users", null, 200);
    assertThat(column(details, "id").path("primaryKey").asBoolean()).isTrue();
    assertThat(column(details, "id").path("type").stringValue()).isEqualTo("integer");
    assertThat(column(details, "id").path("default").stringValue()).startsWith("nextval(");
    assertThat(column(details, "name").path("type").stringValue())
        .isEqualTo("character varying(255)");
    assertThat(column(details, "name").path("nullable").asBoolean()).isFalse();
    assertThat(column(details, "email").path("unique").asBoolean()).isTrue();
    assertThat(column(details, "active").path("default").stringValue()).isEqualTo("true");
    assertThat(column(details, "active").path("nullable").asBoolean()).isTrue();
    assertThat(column(details, "created_at").path("default").stringValue())
        .isEqualTo("CURRENT_TIMESTAMP");
    assertThat(details.path("indexes")).hasSize(2);

    JsonNode inserted = send(db, HttpMethod.POST, "/tables/users/rows", INSERT_ROW, 201);
    assertThat(inserted.at("/row/id").asInt()).isEqualTo(1);
    assertThat(inserted.at("/row/name").stringValue()).isEqualTo("John Doe");
    assertThat(inserted.at("/row/active").asBoolean()).isTrue();
    assertThat(inserted.at("/row/created_at").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
    send(
        db,
        HttpMethod.POST,
        "/tables/users/rows",
        "{\"name\":\"Jane\",\"email\":\"jane@example.com\",\"active\":false}",
        201);

    JsonNode result = send(db, HttpMethod.POST, "/query", QUERY, 200);
    assertThat(result.path("rowCount").asInt()).isEqualTo(1);
    assertThat(result.at("/rows/0/email").stringValue()).isEqualTo("john@example.com");
    assertThat(result.at("/columns/0/name").stringValue()).isEqualTo("id");
    assertThat(result.at("/columns/0/type").stringValue()).isEqualTo("int4");
    assertThat(result.path("truncated").asBoolean()).isFalse();

    assertThat(send(db, HttpMethod.GET, "/backups", null, 200).path("count").asInt()).isZero();
    JsonNode backup = send(db, HttpMethod.POST, "/backups", CREATE_BACKUP, 202);
    assertThat(backup.path("status").stringValue()).isEqualTo("creating");
    assertThat(backup.path("retentionDays").asInt()).isEqualTo(30);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode backups = send(db, HttpMethod.GET, "/backups", null, 200);
              assertThat(backups.path("count").asInt()).isEqualTo(1);
              assertThat(backups.at("/backups/0/status").stringValue()).isEqualTo("available");
              assertThat(backups.at("/backups/0/sizeBytes").asLong()).isPositive();
              assertThat(backups.at("/backups/0/sha256").stringValue()).hasSize(64);
            });

    JsonNode metrics = send(db, HttpMethod.GET, "/metrics", null, 200);
    assertThat(metrics.path("connections").asInt()).isPositive();
    assertThat(metrics.path("xact_commit").asLong()).isPositive();
    assertThat(metrics.path("size_bytes").asLong()).isPositive();
    assertThat(metrics.path("cache_hit_ratio").asDouble()).isBetween(0.0, 1.0);
    assertThat(metrics.path("max_connections").asInt()).isEqualTo(8);

    String prometheus =
        http.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(prometheus)
        .contains("cumulus_rds_statements_seconds_count{")
        .contains("instance=\"" + db.service() + "\"");
  }

  private static JsonNode column(JsonNode details, String name) {
    for (JsonNode column : details.path("columns")) {
      if (column.path("name").stringValue().equals(name)) {
        return column;
      }
    }
    throw new AssertionError("no column " + name + " in " + details);
  }
}
