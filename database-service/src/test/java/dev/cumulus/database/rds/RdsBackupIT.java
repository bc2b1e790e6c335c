package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.database.rds.application.Backups;
import dev.cumulus.database.rds.domain.DatabaseNames;
import dev.cumulus.platform.events.ReceivedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Backups that restore: pg_dump → gzip file → psql, into the same instance after losing a table and
 * into another instance of the tenant (a branch), compared by row counts and checksums; retention;
 * an instance's deletion drops its database, role and backups; a backup that cannot be taken ends
 * {@code failed} with the reason, and its event.
 */
class RdsBackupIT extends RdsFixture {

  private static final String FINGERPRINT =
      "SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM items) AS items,"
          + " (SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o) AS orders_md5,"
          + " (SELECT md5(string_agg(i::text, '|' ORDER BY id)) FROM items i) AS items_md5,"
          + " (SELECT last_value FROM orders_id_seq) AS sequence";

  @Autowired Backups backups;

  @Test
  void backupDropRestoreBringsTheDataBack() {
    TestInstance db = newRds();
    query(
        db,
        "CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2),"
            + " tags text[], meta jsonb, placed timestamptz DEFAULT now())");
    query(
        db,
        "CREATE TABLE items (id bigserial PRIMARY KEY, order_id int REFERENCES orders(id), sku text)");
    query(db, "CREATE INDEX items_sku ON items (sku)");
    query(
        db,
        "INSERT INTO orders (customer, total, tags, meta) SELECT 'c' || g, g * 1.5,"
            + " ARRAY['t' || g % 3], jsonb_build_object('n', g, 'quote', 'it''s') FROM generate_series(1, 500) g");
    query(
        db,
        "INSERT INTO items (order_id, sku) SELECT 1 + g % 500, 'sku-' || g FROM generate_series(1, 2000) g");
    JsonNode before = query(db, FINGERPRINT).at("/rows/0");
    assertThat(before.path("orders").asInt()).isEqualTo(500);

    String backupId = backupAndWait(db);

    query(db, "DROP TABLE items");
    query(db, "DELETE FROM orders WHERE id > 10");
    query(db, "CREATE TABLE scratch (v int)");
    JsonNode restored = send(db, HttpMethod.POST, "/backups/" + backupId + "/restore", "{}", 200);
    assertThat(restored.path("status").stringValue()).isEqualTo("restored");
    assertThat(restored.path("targetServiceId").stringValue()).isEqualTo(db.service());
    assertThat(query(db, FINGERPRINT).at("/rows/0")).isEqualTo(before);
    // The index came back too.
    JsonNode items = send(db, HttpMethod.GET, "/tables/items", null, 200);
    assertThat(items.path("indexes").toString()).contains("items_sku");

    // A branch: the same backup into a new instance of the tenant; the source is untouched.
    TestInstance branch = newRds(db.tenant());
    JsonNode intoBranch =
        send(
            db,
            HttpMethod.POST,
            "/backups/" + backupId + "/restore",
            "{\"targetServiceId\":\"" + branch.service() + "\"}",
            200);
    assertThat(intoBranch.path("targetServiceId").stringValue()).isEqualTo(branch.service());
    assertThat(query(branch, FINGERPRINT).at("/rows/0")).isEqualTo(before);
    query(branch, "DELETE FROM items");
    assertThat(query(db, FINGERPRINT).at("/rows/0")).isEqualTo(before);

    // Not into another tenant's instance.
    TestInstance stranger = newRds();
    send(
        db,
        HttpMethod.POST,
        "/backups/" + backupId + "/restore",
        "{\"targetServiceId\":\"" + stranger.service() + "\"}",
        404);
    rdsEvents(db.service(), "dev.cumulus.rds.backup.completed.v1", 1);
  }

  @Test
  void backupFilesArePrivateAndDamageIsRefused() throws Exception {
    TestInstance db = newRds();
    query(db, "CREATE TABLE t AS SELECT g FROM generate_series(1, 10) g");
    String backupId = backupAndWait(db);
    Path file = backupFile(db, backupId);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .hasSize(3)
        .allMatch(p -> p.name().startsWith("OWNER"));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    JsonNode refused = send(db, HttpMethod.POST, "/backups/" + backupId + "/restore", null, 400);
    assertThat(refused.at("/error/message").stringValue()).contains("damaged");
    send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":0}", 400);
    send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":\"x\"}", 400);
    send(db, HttpMethod.GET, "/backups/not-a-uuid", null, 404);
  }

  @Test
  void retentionDeletesExpiredBackups() {
    TestInstance db = newRds();
    String backupId = backupAndWait(db);
    Path file = backupFile(db, backupId);
    assertThat(file).exists();
    database
        .sql("UPDATE rds_backups SET expires_at = :past WHERE backup_id = CAST(:id AS uuid)")
        .bind("past", OffsetDateTime.ofInstant(Instant.now().minusSeconds(60), ZoneOffset.UTC))
        .bind("id", backupId)
        .fetch()
        .rowsUpdated()
        .block();
    assertThat(backups.deleteExpired(100).block()).isGreaterThanOrEqualTo(1L);
    assertThat(file).doesNotExist();
    assertThat(send(db, HttpMethod.GET, "/backups", null, 200).path("count").asInt()).isZero();
  }

  @Test
  void deletingTheInstanceDropsItsDatabaseRoleAndBackups() throws Exception {
    TestInstance db = newRds();
    String backupId = backupAndWait(db);
    Path file = backupFile(db, backupId);
    String name = DatabaseNames.of(db.service());
    instances.deleted(db.service()).block(Duration.ofSeconds(30));
    try (Connection admin = superuser("postgres")) {
      ResultSet left =
          admin
              .createStatement()
              .executeQuery(
                  "SELECT (SELECT count(*) FROM pg_database WHERE datname = '"
                      + name
                      + "'),"
                      + " (SELECT count(*) FROM pg_roles WHERE rolname = '"
                      + name
                      + "')");
      left.next();
      assertThat(left.getInt(1)).as("database").isZero();
      assertThat(left.getInt(2)).as("role").isZero();
    }
    assertThat(file).doesNotExist();
    assertThat(file.getParent()).doesNotExist();
    send(db, HttpMethod.GET, "/info", null, 404);
    rdsEvents(db.service(), "dev.cumulus.rds.instance.deleted.v1", 1);
  }

  @Test
  void aBackupOfADatabaseDroppedBehindOurBackFailsAndSaysWhy() throws Exception {
    TestInstance db = newRds();
    String password =
        send(db, HttpMethod.GET, "/credentials", null, 200).path("password").stringValue();
    try (Connection admin = superuser("postgres")) {
      admin
          .createStatement()
          .execute("DROP DATABASE \"" + DatabaseNames.of(db.service()) + "\" WITH (FORCE)");
    }

    String id =
        send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":1}", 202)
            .path("backupId")
            .stringValue();
    JsonNode failed =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> send(db, HttpMethod.GET, "/backups/" + id, null, 200),
                backup -> !backup.path("status").stringValue().equals("creating"));
    assertThat(failed.path("status").stringValue()).isEqualTo("failed");
    assertThat(failed.path("error").stringValue())
        .contains("pg_dump")
        .contains("does not exist")
        .doesNotContain(password);
    assertThat(failed.path("sha256").isNull() || failed.path("sha256").isMissingNode()).isTrue();

    ReceivedEvent event = rdsEvents(db.service(), "dev.cumulus.rds.backup.failed.v1", 1).get(0);
    JsonNode data = JSON.readTree(event.data());
    assertThat(data.path("backupId").stringValue()).isEqualTo(id);
    assertThat(data.path("serviceId").stringValue()).isEqualTo(db.service());
    assertThat(data.path("reason").stringValue())
        .contains("does not exist")
        .doesNotContain(password);
    assertThat(event.tenantId()).isEqualTo(db.tenant());
  }

  private String backupAndWait(TestInstance db) {
    String id =
        send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":1}", 202)
            .path("backupId")
            .stringValue();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                send(db, HttpMethod.GET, "/backups/" + id, null, 200)
                    .path("status")
                    .stringValue()
                    .equals("available"));
    return id;
  }

  private Path backupFile(TestInstance db, String backupId) {
    return Path.of("target/rds-test/backups", db.service(), backupId + ".sql.gz");
  }
}
