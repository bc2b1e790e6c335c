package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.AuthServiceStandIn;
import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Plan quotas on the S3 protocol with the stock AWS SDK v2 (issue 21 §3): TooManyBuckets,
 * QuotaExceeded (403) and EntityTooLarge (400) as S3's XML errors, nothing left behind.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3QuotaIT {

  static Path DATA;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    DATA = StorageTestProperties.register(registry, "s3q");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired DatabaseClient db;

  String tenant;
  String service;
  S3Client s3;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "s3-quota-it", UrlConnectionHttpClient.create());
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new Random().nextBytes(bytes);
    return bytes;
  }

  private void put(String bucket, String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  private long storedBytes() {
    return usageColumn("stored_bytes");
  }

  private long parkedBytes() {
    return usageColumn("parked_bytes");
  }

  private long usageColumn(String column) {
    return db.sql("SELECT " + column + " FROM storage_tenant_usage WHERE tenant_id = :t")
        .bind("t", tenant)
        .map(row -> row.get(0, Long.class))
        .one()
        .blockOptional()
        .orElse(0L);
  }

  @Test
  void createBucketPastTheLimitIsTooManyBuckets() {
    AuthServiceStandIn.setQuotas(tenant, Map.of("buckets", 1L));
    s3.createBucket(b -> b.bucket("first"));
    assertS3Error(() -> s3.createBucket(b -> b.bucket("second")), 400, "TooManyBuckets");
    assertThat(s3.listBuckets().buckets()).hasSize(1);
  }

  @Test
  void putObjectPastTheStoredBytesIsQuotaExceededAndLeavesNothing() throws IOException {
    AuthServiceStandIn.setQuotas(tenant, Map.of("stored_bytes", 100_000L));
    s3.createBucket(b -> b.bucket("media"));
    put("media", "a", random(70_000));
    assertS3Error(() -> put("media", "b", random(40_000)), 403, "QuotaExceeded");
    // Larger than the whole quota: refused from its declared length.
    assertS3Error(() -> put("media", "c", random(100_001)), 403, "QuotaExceeded");
    assertS3Error(() -> s3.headObject(b -> b.bucket("media").key("b")), 404, null);
    assertThat(BlobFiles.of(DATA, service)).hasSize(1);
    assertThat(storedBytes()).isEqualTo(70_000);

    // A copy counts like a put.
    assertS3Error(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("media")
                        .sourceKey("a")
                        .destinationBucket("media")
                        .destinationKey("a-copy")),
        403,
        "QuotaExceeded");
    s3.deleteObject(b -> b.bucket("media").key("a"));
    assertThat(storedBytes()).isZero();
    put("media", "b", random(40_000));
    assertThat(storedBytes()).isEqualTo(40_000);
  }

  @Test
  void putObjectAboveTheLargestIsEntityTooLarge() throws IOException {
    AuthServiceStandIn.setQuotas(tenant, Map.of("max_object_bytes", 64_000L));
    s3.createBucket(b -> b.bucket("media"));
    assertS3Error(() -> put("media", "big", random(64_001)), 400, "EntityTooLarge");
    put("media", "fits", random(64_000));
    assertThat(BlobFiles.of(DATA, service)).hasSize(1);
  }

  /**
   * Parts count while their upload is open ("parked"): an upload cannot hold more than the quota
   * before it completes; completing moves the bytes from parked to stored without counting them
   * twice, and aborting gives them back.
   */
  @Test
  void multipartPartsCountWhileParkedMoveToStoredOnCompleteAndLeaveOnAbort() {
    int part = 5 * 1024 * 1024;
    AuthServiceStandIn.setQuotas(tenant, Map.of("stored_bytes", (long) part + 10_000));
    s3.createBucket(b -> b.bucket("media"));
    String uploadId = s3.createMultipartUpload(b -> b.bucket("media").key("big")).uploadId();
    String one = uploadPart("big", uploadId, 1, random(part));
    assertThat(parkedBytes()).isEqualTo(part);
    assertS3Error(() -> uploadPart("big", uploadId, 2, random(20_000)), 403, "QuotaExceeded");
    assertThat(parkedBytes()).isEqualTo(part);
    // Exactly the quota: parked up to the limit, then completed without counting twice.
    String two = uploadPart("big", uploadId, 2, random(10_000));
    assertThat(parkedBytes()).isEqualTo(part + 10_000L);
    s3.completeMultipartUpload(
        b ->
            b.bucket("media")
                .key("big")
                .uploadId(uploadId)
                .multipartUpload(
                    CompletedMultipartUpload.builder()
                        .parts(
                            List.of(
                                CompletedPart.builder().partNumber(1).eTag(one).build(),
                                CompletedPart.builder().partNumber(2).eTag(two).build()))
                        .build()));
    assertThat(storedBytes()).isEqualTo(part + 10_000L);
    assertThat(parkedBytes()).isZero();

    // Full: not one more byte can be parked.
    String second = s3.createMultipartUpload(b -> b.bucket("media").key("next")).uploadId();
    assertS3Error(() -> uploadPart("next", second, 1, random(1)), 403, "QuotaExceeded");
    // Room again: parts park, and an abort gives their bytes back.
    AuthServiceStandIn.setQuotas(tenant, Map.of("stored_bytes", 2L * part + 20_000));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> uploadPart("next", second, 1, random(part)) != null);
    assertThat(parkedBytes()).isEqualTo(part);
    s3.abortMultipartUpload(b -> b.bucket("media").key("next").uploadId(second));
    assertThat(parkedBytes()).isZero();
    assertThat(storedBytes()).isEqualTo(part + 10_000L);
  }

  private String uploadPart(String key, String uploadId, int number, byte[] bytes) {
    return s3.uploadPart(
            b -> b.bucket("media").key(key).uploadId(uploadId).partNumber(number),
            RequestBody.fromBytes(bytes))
        .eTag();
  }
}
