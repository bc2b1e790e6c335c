package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.database.rds.application.PgTools;
import dev.cumulus.database.rds.application.RdsInstances;
import dev.cumulus.database.rds.domain.BackupCipher;
import dev.cumulus.database.rds.domain.DatabaseNames;
import dev.cumulus.database.rds.persistence.LocalBackupStore;
import dev.cumulus.platform.events.ReceivedEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Backups that restore: pg_dump → gzip → AES-GCM chunks → file → psql, into the same instance after
 * losing a table and into another instance of the tenant (a branch), compared by row counts and
 * checksums; retention; an instance's deletion drops its database, role and backups; a backup that
 * cannot be taken ends {@code failed} with the reason, and its event.
 */
class RdsBackupIT extends RdsBackupFixture {

  @Autowired LocalBackupStore localStore;
  @Autowired PgTools tools;
  @Autowired RdsInstances rdsInstances;

  @Test
  void backupDropRestoreBringsTheDataBack() throws Exception {
    TestInstance db = newRds();
    JsonNode before = ordersAndItems(db);

    String backupId = backupAndWait(db);
    // Encrypted at rest: none of the dump's SQL in the file.
    byte[] stored = Files.readAllBytes(backupFile(db, backupId));
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .startsWith("CRB")
        .doesNotContain("CREATE TABLE")
        .doesNotContain("sku-1");

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
  void aBackupTakenBeforeEncryptionStillRestores() throws Exception {
    TestInstance db = newRds();
    JsonNode before = ordersAndItems(db);
    // A backup as the service wrote them before encryption: pg_dump → gzip → file, and a row with
    // neither store, format nor key (the migration's defaults).
    UUID id = UUID.randomUUID();
    String location = db.service() + "/" + id + ".sql.gz";
    Path file = localStore.file(location);
    Files.createDirectories(file.getParent());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha);
        GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      tools.dump(rdsInstances.credentials(db.service()).block(), gzip);
    }
    database
        .sql(
            "INSERT INTO rds_backups (backup_id, service_id, tenant_id, status, location,"
                + " size_bytes, sha256, retention_days, created_at, completed_at, expires_at)"
                + " VALUES (:id, :service, :tenant, 'available', :location, :size, :sha, 1, now(),"
                + " now(), now() + interval '1 day')")
        .bind("id", id)
        .bind("service", db.service())
        .bind("tenant", db.tenant())
        .bind("location", location)
        .bind("size", Files.size(file))
        .bind("sha", HexFormat.of().formatHex(sha.digest()))
        .fetch()
        .rowsUpdated()
        .block();
    JsonNode old = send(db, HttpMethod.GET, "/backups/" + id, null, 200);
    assertThat(old.path("encryption").stringValue()).isEqualTo("none");
    assertThat(old.path("store").stringValue()).isEqualTo("local");

    query(db, "DROP TABLE items");
    send(db, HttpMethod.POST, "/backups/" + id + "/restore", "{}", 200);
    assertThat(query(db, FINGERPRINT).at("/rows/0")).isEqualTo(before);
  }

  @Test
  void aChunkThatDoesNotAuthenticateStopsTheRestoreAndNothingIsRestored() throws Exception {
    TestInstance db = newRds();
    JsonNode before = ordersAndItems(db);
    // Some hundred kilobytes of compressed dump: several chunks, the first ones reach psql before
    // the damaged one is read.
    query(
        db,
        "CREATE TABLE noise AS SELECT g AS id, md5(random()::text) AS v"
            + " FROM generate_series(1, 20000) g");
    String backupId = backupAndWait(db);
    Path file = backupFile(db, backupId);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).isGreaterThan(3 * BackupCipher.CHUNK_SIZE);
    bytes[bytes.length - 100] ^= 1;
    Files.write(file, bytes);
    // Whoever changed the file also fixed its recorded hash: the chunks' tags still tell.
    database
        .sql("UPDATE rds_backups SET sha256 = :sha WHERE backup_id = CAST(:id AS uuid)")
        .bind("sha", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
        .bind("id", backupId)
        .fetch()
        .rowsUpdated()
        .block();

    query(db, "DROP TABLE items");
    query(db, "DELETE FROM orders WHERE id > 10");
    JsonNode refused = send(db, HttpMethod.POST, "/backups/" + backupId + "/restore", "{}", 400);
    assertThat(refused.at("/error/message").stringValue()).contains("does not authenticate");
    // psql was stopped before the end of its input: its one transaction rolled back.
    assertThat(
            query(db, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'items'")
                .at("/rows/0/n")
                .asInt())
        .isZero();
    assertThat(query(db, "SELECT count(*) AS n FROM orders").at("/rows/0/n").asInt()).isEqualTo(10);
    assertThat(before.path("orders").asInt()).isEqualTo(500);
  }

  @Test
  void aDumpThatBreaksOffBetweenStatementsRestoresNothing() {
    TestInstance db = newRds();
    InputStream breaking =
        new SequenceInputStream(
            new ByteArrayInputStream(
                "CREATE TABLE half (a int);\nINSERT INTO half VALUES (1);\n"
                    .getBytes(StandardCharsets.UTF_8)),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("cut off");
              }
            });
    assertThatThrownBy(
            () -> tools.restore(rdsInstances.credentials(db.service()).block(), breaking))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut off");
    // psql never saw the end of its input, so it did not commit what it had read.
    assertThat(
            query(db, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half'")
                .at("/rows/0/n")
                .asInt())
        .isZero();
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

  private Path backupFile(TestInstance db, String backupId) {
    return Path.of("target/rds-test/backups", db.service(), backupId + ".sql.gz.enc");
  }
}
