package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.database.rds.persistence.S3BackupStore;
import dev.cumulus.platform.testsupport.S3MockServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

/**
 * Backups in an S3 bucket: Adobe's S3Mock, a real S3 server from Maven Central, run as its own
 * process (S3MockServer). The object is ciphertext, uploaded in parts when larger than a part;
 * restore into the same instance and into a branch compares row counts and checksums; a tampered
 * object is refused and nothing restored; retention deletes the object; a missing bucket fails the
 * backup with S3's reason. The stock AWS SDK client looks into the bucket.
 */
class RdsBackupS3IT extends RdsBackupFixture {

  private static final String BUCKET = "rds-backups-it";
  private static final String BULK =
      "SELECT count(*) AS n, md5(string_agg(md5(v), '' ORDER BY id)) AS m FROM bulk";

  @DynamicPropertySource
  static void bucket(DynamicPropertyRegistry registry) {
    S3MockServer s3 = S3MockServer.shared(BUCKET);
    registry.add("cumulus.rds.backup-store.type", () -> "s3");
    registry.add("cumulus.rds.backup-store.s3.endpoint", s3::endpoint);
    registry.add("cumulus.rds.backup-store.s3.bucket", () -> BUCKET);
    registry.add("cumulus.rds.backup-store.s3.access-key", () -> "it-access-key");
    registry.add("cumulus.rds.backup-store.s3.secret-key", () -> "it-secret-key");
    registry.add("cumulus.rds.backup-store.s3.path-style", () -> "true");
    registry.add("cumulus.rds.backup-store.s3.part-size", () -> "5MB");
  }

  @Autowired S3BackupStore store;

  private final S3Client s3 =
      S3Client.builder()
          .endpointOverride(URI.create(S3MockServer.shared(BUCKET).endpoint()))
          .region(Region.US_EAST_1)
          .forcePathStyle(true)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
          .httpClient(UrlConnectionHttpClient.create())
          .build();

  @AfterEach
  void closeClient() {
    s3.close();
  }

  @Test
  void aBackupInTheBucketIsCiphertextAndRestoresIntoTheInstanceAndABranch() throws Exception {
    TestInstance db = newRds();
    JsonNode before = ordersAndItems(db);
    // Enough incompressible rows that the encrypted dump (~11 MB) takes three 5 MB parts.
    query(db, "CREATE TABLE bulk (id int PRIMARY KEY, v text)");
    for (int from = 0; from < 200_000; from += 50_000) {
      query(
          db,
          "INSERT INTO bulk SELECT g, md5(random()::text) || md5(random()::text) ||"
              + " md5(random()::text) FROM generate_series("
              + (from + 1)
              + ", "
              + (from + 50_000)
              + ") g");
    }
    JsonNode bulkBefore = query(db, BULK).at("/rows/0");

    String backupId = backupAndWait(db);
    JsonNode backup = send(db, HttpMethod.GET, "/backups/" + backupId, null, 200);
    assertThat(backup.path("store").stringValue()).isEqualTo("s3");
    assertThat(backup.path("encryption").stringValue()).isEqualTo("AES-256-GCM");
    String key = key(db, backupId);
    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key));
    assertThat(head.contentLength()).isEqualTo(backup.path("sizeBytes").asLong());
    assertThat(head.contentLength()).isGreaterThan(10L * 1024 * 1024);
    assertThat(head.eTag()).as("a multipart upload's ETag").contains("-3");
    byte[] stored = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
        .isEqualTo(backup.path("sha256").stringValue());
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .startsWith("CRB")
        .doesNotContain("CREATE TABLE")
        .doesNotContain("sku-1");
    assertThat(Path.of("target/rds-test/backups", db.service())).doesNotExist();

    query(db, "DROP TABLE items");
    query(db, "DELETE FROM orders WHERE id > 10");
    query(db, "TRUNCATE bulk");
    JsonNode restored = send(db, HttpMethod.POST, "/backups/" + backupId + "/restore", "{}", 200);
    assertThat(restored.path("status").stringValue()).isEqualTo("restored");
    assertThat(query(db, FINGERPRINT).at("/rows/0")).isEqualTo(before);
    assertThat(query(db, BULK).at("/rows/0")).isEqualTo(bulkBefore);

    // A branch: a new instance of the tenant from the same object.
    TestInstance branch = newRds(db.tenant());
    send(
        db,
        HttpMethod.POST,
        "/backups/" + backupId + "/restore",
        "{\"targetServiceId\":\"" + branch.service() + "\"}",
        200);
    assertThat(query(branch, FINGERPRINT).at("/rows/0")).isEqualTo(before);
    assertThat(query(branch, BULK).at("/rows/0")).isEqualTo(bulkBefore);
  }

  @Test
  void aTamperedObjectIsRefusedAndNothingIsRestored() {
    TestInstance db = newRds();
    JsonNode before = ordersAndItems(db);
    String backupId = backupAndWait(db);
    String key = key(db, backupId);
    byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
    bytes[bytes.length / 2] ^= 1;
    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));

    query(db, "DROP TABLE items");
    JsonNode refused = send(db, HttpMethod.POST, "/backups/" + backupId + "/restore", "{}", 400);
    assertThat(refused.at("/error/message").stringValue()).contains("damaged");
    assertThat(
            query(db, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'items'")
                .at("/rows/0/n")
                .asInt())
        .isZero();
    assertThat(query(db, "SELECT count(*) AS n FROM orders").at("/rows/0/n").asInt())
        .isEqualTo(before.path("orders").asInt());
  }

  @Test
  void retentionDeletesTheObject() {
    TestInstance db = newRds();
    String backupId = backupAndWait(db);
    String key = key(db, backupId);
    assertThat(s3.headObject(r -> r.bucket(BUCKET).key(key)).contentLength()).isPositive();
    database
        .sql("UPDATE rds_backups SET expires_at = :past WHERE backup_id = CAST(:id AS uuid)")
        .bind("past", OffsetDateTime.ofInstant(Instant.now().minusSeconds(60), ZoneOffset.UTC))
        .bind("id", backupId)
        .fetch()
        .rowsUpdated()
        .block();
    assertThat(backups.deleteExpired(100).block()).isGreaterThanOrEqualTo(1L);
    assertThatThrownBy(() -> s3.headObject(r -> r.bucket(BUCKET).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
    send(db, HttpMethod.GET, "/backups/" + backupId, null, 404);
  }

  @Test
  void aMissingBucketFailsTheBackupWithS3sReason() {
    TestInstance db = newRds();
    query(db, "CREATE TABLE t AS SELECT g FROM generate_series(1, 10) g");
    for (S3Object left : s3.listObjectsV2(r -> r.bucket(BUCKET)).contents()) {
      s3.deleteObject(r -> r.bucket(BUCKET).key(left.key()));
    }
    s3.deleteBucket(r -> r.bucket(BUCKET));
    try {
      JsonNode failed = backupThatFails(db);
      assertThat(failed.path("error").stringValue())
          .contains("S3 backup store")
          .contains(BUCKET)
          .contains("NoSuchBucket");
      String id = failed.path("backupId").stringValue();
      JsonNode refused = send(db, HttpMethod.POST, "/backups/" + id + "/restore", "{}", 409);
      assertThat(refused.at("/error/message").stringValue()).contains("failed");
      rdsEvents(db.service(), "dev.cumulus.rds.backup.failed.v1", 1);
    } finally {
      s3.createBucket(r -> r.bucket(BUCKET));
    }
    // With the bucket back, backups work again.
    backupAndWait(db);
  }

  private String key(TestInstance db, String backupId) {
    String key = "rds-backups/" + db.service() + "/" + backupId + ".sql.gz.enc";
    assertThat(store.bucket()).isEqualTo(BUCKET);
    return key;
  }
}
