package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static dev.cumulus.storage.s3.S3TestClients.md5Hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.MasterKeyRotation.Outcome;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.encryption.application.TenantKeys;
import dev.cumulus.storage.encryption.config.EncryptionConfiguration;
import dev.cumulus.storage.encryption.persistence.TenantKeyRepository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Encryption at rest through the S3 API with the stock AWS SDK v2: bucket default encryption, the
 * per-object header, every way bytes reach a blob (PUT, multipart, copy in and out, part copy),
 * ranges, the files on disk holding no plaintext, and one data key per tenant.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3EncryptionIT {

  static Path DATA;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    DATA = StorageTestProperties.register(registry, "s3enc");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired DatabaseClient db;
  @Autowired MasterKey storageMasterKey;

  /** A fresh tenant and instance, and an S3 client with its access key. */
  record Tenant(String tenantId, String serviceId, S3Client s3) {}

  Tenant tenant() {
    String tenant = "t-" + UUID.randomUUID();
    String service = UUID.randomUUID().toString();
    S3Client s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "s3-encryption-it", UrlConnectionHttpClient.create());
    return new Tenant(tenant, service, s3);
  }

  static void encryptByDefault(S3Client s3, String bucket) {
    s3.putBucketEncryption(
        b ->
            b.bucket(bucket)
                .serverSideEncryptionConfiguration(
                    c ->
                        c.rules(
                            r ->
                                r.applyServerSideEncryptionByDefault(
                                    d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
  }

  /** Recognisable plaintext: numbered lines with a marker no ciphertext will contain. */
  static byte[] pattern(String marker, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
    for (int line = 0; out.size() < size; line++) {
      out.writeBytes((marker + " line " + line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Arrays.copyOf(out.toByteArray(), size);
  }

  /** The instance's blob files whose bytes contain {@code marker}. */
  static List<Path> filesContaining(String serviceId, String marker) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path file : BlobFiles.of(DATA, serviceId)) {
      if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(marker)) {
        found.add(file);
      }
    }
    return found;
  }

  static long blobCount(String serviceId) throws IOException {
    return BlobFiles.of(DATA, serviceId).size();
  }

  // ---------------------------------------------------------------------------------------------

  /** Small objects are kept in their metadata row only when they are not to be encrypted. */
  @Test
  void aSmallObjectToEncryptIsAnEncryptedFileNotAPlainRow() throws Exception {
    Tenant t = tenant();
    S3Client s3 = t.s3();
    s3.createBucket(b -> b.bucket("vault"));
    s3.createBucket(b -> b.bucket("plain"));
    encryptByDefault(s3, "vault");
    String marker = "SMALL-SECRET-" + UUID.randomUUID();
    byte[] small = pattern(marker, 2_000);

    s3.putObject(b -> b.bucket("vault").key("small.txt"), RequestBody.fromBytes(small));
    s3.putObject(
        b -> b.bucket("plain").key("asked.txt").serverSideEncryption(ServerSideEncryption.AES256),
        RequestBody.fromBytes(small));
    s3.putObject(b -> b.bucket("plain").key("open.txt"), RequestBody.fromBytes(small));

    assertThat(blobCount(t.serviceId())).isEqualTo(2); // the open one is in its row
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    for (String[] object :
        new String[][] {{"vault", "small.txt"}, {"plain", "asked.txt"}, {"plain", "open.txt"}}) {
      var got = s3.getObjectAsBytes(b -> b.bucket(object[0]).key(object[1]));
      assertThat(got.asByteArray()).isEqualTo(small);
      assertThat(got.response().serverSideEncryption())
          .isEqualTo("open.txt".equals(object[1]) ? null : ServerSideEncryption.AES256);
    }
  }

  @Test
  void bucketEncryptionIsSetReadAndDeletedAsS3Does() {
    S3Client s3 = tenant().s3();
    s3.createBucket(b -> b.bucket("cfg"));
    assertS3Error(
        () -> s3.getBucketEncryption(b -> b.bucket("cfg")),
        404,
        "ServerSideEncryptionConfigurationNotFoundError");

    encryptByDefault(s3, "cfg");
    List<ServerSideEncryptionRule> rules =
        s3.getBucketEncryption(b -> b.bucket("cfg")).serverSideEncryptionConfiguration().rules();
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).applyServerSideEncryptionByDefault().sseAlgorithm())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(rules.get(0).bucketKeyEnabled()).isFalse();

    assertS3Error(
        () ->
            s3.putBucketEncryption(
                b ->
                    b.bucket("cfg")
                        .serverSideEncryptionConfiguration(
                            c ->
                                c.rules(
                                    r ->
                                        r.applyServerSideEncryptionByDefault(
                                            d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS))))),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            s3.putObject(
                b ->
                    b.bucket("cfg")
                        .key("kms.txt")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x")),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            s3.putObject(
                b ->
                    b.bucket("cfg")
                        .key("ssec.txt")
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=")
                        .sseCustomerKeyMD5("dnF5x6K/8ZZRzpfSlMMM+w=="),
                RequestBody.fromString("x")),
        400,
        "InvalidRequest"); // SSE-C over plain HTTP (sseCHeadersAreCheckedAsS3ChecksThem)
    assertS3Error(() -> s3.getBucketEncryption(b -> b.bucket("nope")), 404, "NoSuchBucket");

    s3.deleteBucketEncryption(b -> b.bucket("cfg"));
    assertS3Error(
        () -> s3.getBucketEncryption(b -> b.bucket("cfg")),
        404,
        "ServerSideEncryptionConfigurationNotFoundError");
  }

  @Test
  void anEncryptedBucketsObjectsReadBackIdenticalWhileTheDiskHoldsOnlyCiphertext()
      throws Exception {
    Tenant t = tenant();
    S3Client s3 = t.s3();
    s3.createBucket(b -> b.bucket("vault"));
    s3.createBucket(b -> b.bucket("plain"));
    encryptByDefault(s3, "vault");
    String marker = "SECRET-" + UUID.randomUUID();

    // Single PUT, with every response naming the encryption.
    byte[] single = pattern(marker, 1_000_000);
    var put = s3.putObject(b -> b.bucket("vault").key("single.txt"), RequestBody.fromBytes(single));
    assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(put.eTag()).isEqualTo("\"" + md5Hex(single) + "\"");
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("vault").key("single.txt"));
    assertThat(got.asByteArray()).isEqualTo(single);
    assertThat(got.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(got.response().eTag()).isEqualTo(put.eTag());
    var head = s3.headObject(b -> b.bucket("vault").key("single.txt"));
    assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(head.contentLength()).isEqualTo(single.length);

    // Ranges inside a segment, across segment boundaries, the last bytes.
    for (long[] r :
        new long[][] {
          {0, 0},
          {10, 99},
          {65_530, 65_545},
          {65_536, 200_000},
          {131_071, 131_072},
          {999_990, 999_999}
        }) {
      var ranged =
          s3.getObjectAsBytes(
              b -> b.bucket("vault").key("single.txt").range("bytes=" + r[0] + "-" + r[1]));
      assertThat(ranged.asByteArray())
          .as("range %d-%d", r[0], r[1])
          .isEqualTo(Arrays.copyOfRange(single, (int) r[0], (int) r[1] + 1));
      assertThat(ranged.response().contentRange())
          .isEqualTo("bytes " + r[0] + "-" + r[1] + "/" + single.length);
    }
    var suffix =
        s3.getObjectAsBytes(b -> b.bucket("vault").key("single.txt").range("bytes=-70000"));
    assertThat(suffix.asByteArray())
        .isEqualTo(Arrays.copyOfRange(single, single.length - 70_000, single.length));

    // Multipart: parts encrypted, the completed object too; the last part copied from a range.
    byte[] part1 = pattern(marker, 5 * 1024 * 1024);
    String uploadId = s3.createMultipartUpload(b -> b.bucket("vault").key("multi.bin")).uploadId();
    String etag1 =
        s3.uploadPart(
                b -> b.bucket("vault").key("multi.bin").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1))
            .eTag();
    String etag2 =
        s3.uploadPartCopy(
                b ->
                    b.sourceBucket("vault")
                        .sourceKey("single.txt")
                        .copySourceRange("bytes=70000-169999")
                        .destinationBucket("vault")
                        .destinationKey("multi.bin")
                        .uploadId(uploadId)
                        .partNumber(2))
            .copyPartResult()
            .eTag();
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    var completed =
        s3.completeMultipartUpload(
            b ->
                b.bucket("vault")
                    .key("multi.bin")
                    .uploadId(uploadId)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                                CompletedPart.builder().partNumber(2).eTag(etag2).build())));
    assertThat(completed.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(part1);
    whole.writeBytes(Arrays.copyOfRange(single, 70_000, 170_000));
    byte[] multi = whole.toByteArray();
    var multiGot = s3.getObjectAsBytes(b -> b.bucket("vault").key("multi.bin"));
    assertThat(md5Hex(multiGot.asByteArray())).isEqualTo(md5Hex(multi));
    assertThat(multiGot.response().eTag()).endsWith("-2\"");
    assertThat(multiGot.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    var multiRange =
        s3.getObjectAsBytes(b -> b.bucket("vault").key("multi.bin").range("bytes=5242000-5243000"));
    assertThat(multiRange.asByteArray()).isEqualTo(Arrays.copyOfRange(multi, 5_242_000, 5_243_001));

    // Copy in (plain -> encrypted) and within (encrypted -> encrypted).
    byte[] plainBytes = pattern(marker + "-plain", 200_000);
    var plainPut =
        s3.putObject(b -> b.bucket("plain").key("in.txt"), RequestBody.fromBytes(plainBytes));
    assertThat(plainPut.serverSideEncryption()).isNull();
    var copyIn =
        s3.copyObject(
            b ->
                b.sourceBucket("plain")
                    .sourceKey("in.txt")
                    .destinationBucket("vault")
                    .destinationKey("copied-in.txt"));
    assertThat(copyIn.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("vault").key("copied-in.txt")).asByteArray())
        .isEqualTo(plainBytes);
    s3.copyObject(
        b ->
            b.sourceBucket("vault")
                .sourceKey("single.txt")
                .destinationBucket("vault")
                .destinationKey("copied-within.txt"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("vault").key("copied-within.txt")).asByteArray())
        .isEqualTo(single);

    // Only the plain bucket's object shows its bytes on disk; the parts are gone.
    assertThat(filesContaining(t.serviceId(), marker))
        .hasSize(1)
        .allSatisfy(f -> assertThat(Files.readAllBytes(f)).isEqualTo(plainBytes));
    assertThat(blobCount(t.serviceId())).isEqualTo(5);

    // Copy out (encrypted -> plain): the copy is plain, as its bucket says.
    var copyOut =
        s3.copyObject(
            b ->
                b.sourceBucket("vault")
                    .sourceKey("single.txt")
                    .destinationBucket("plain")
                    .destinationKey("copied-out.txt"));
    assertThat(copyOut.serverSideEncryption()).isNull();
    var out = s3.getObjectAsBytes(b -> b.bucket("plain").key("copied-out.txt"));
    assertThat(out.asByteArray()).isEqualTo(single);
    assertThat(out.response().serverSideEncryption()).isNull();
    assertThat(filesContaining(t.serviceId(), marker)).hasSize(2);
  }

  @Test
  void theRequestHeaderEncryptsOneObjectAndABucketsDefaultAppliesToNewWritesOnly()
      throws Exception {
    Tenant t = tenant();
    S3Client s3 = t.s3();
    s3.createBucket(b -> b.bucket("mixed"));
    String marker = "HEADER-" + UUID.randomUUID();
    byte[] secret = pattern(marker, 70_000);
    var put =
        s3.putObject(
            b ->
                b.bucket("mixed")
                    .key("secret.txt")
                    .serverSideEncryption(ServerSideEncryption.AES256),
            RequestBody.fromBytes(secret));
    assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    s3.putObject(b -> b.bucket("mixed").key("open.txt"), RequestBody.fromString("open"));
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mixed").key("secret.txt")).asByteArray())
        .isEqualTo(secret);
    assertThat(s3.headObject(b -> b.bucket("mixed").key("open.txt")).serverSideEncryption())
        .isNull();

    // CopyObject with the header encrypts the copy even from and into a plain bucket.
    s3.copyObject(
        b ->
            b.sourceBucket("mixed")
                .sourceKey("open.txt")
                .destinationBucket("mixed")
                .destinationKey("open-copy.txt")
                .serverSideEncryption(ServerSideEncryption.AES256));
    assertThat(s3.headObject(b -> b.bucket("mixed").key("open-copy.txt")).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);

    // CreateMultipartUpload with the header.
    var created =
        s3.createMultipartUpload(
            b ->
                b.bucket("mixed").key("mpu.txt").serverSideEncryption(ServerSideEncryption.AES256));
    assertThat(created.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    String etag =
        s3.uploadPart(
                b -> b.bucket("mixed").key("mpu.txt").uploadId(created.uploadId()).partNumber(1),
                RequestBody.fromBytes(secret))
            .eTag();
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    s3.completeMultipartUpload(
        b ->
            b.bucket("mixed")
                .key("mpu.txt")
                .uploadId(created.uploadId())
                .multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    var mpu = s3.getObjectAsBytes(b -> b.bucket("mixed").key("mpu.txt"));
    assertThat(mpu.asByteArray()).isEqualTo(secret);
    assertThat(mpu.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

    // Turning the default on and off changes new writes only; every object stays readable.
    encryptByDefault(s3, "mixed");
    assertThat(s3.headObject(b -> b.bucket("mixed").key("open.txt")).serverSideEncryption())
        .isNull();
    s3.putObject(b -> b.bucket("mixed").key("later.txt"), RequestBody.fromBytes(secret));
    assertThat(s3.headObject(b -> b.bucket("mixed").key("later.txt")).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);
    s3.deleteBucketEncryption(b -> b.bucket("mixed"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mixed").key("later.txt")).asByteArray())
        .isEqualTo(secret);
    assertThat(s3.headObject(b -> b.bucket("mixed").key("later.txt")).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mixed").key("open.txt")).asUtf8String())
        .isEqualTo("open");
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
  }

  @Test
  void everyTenantGetsItsOwnDataKeyWrappedByTheMasterKey() {
    Tenant a = tenant();
    Tenant b = tenant();
    for (Tenant t : List.of(a, b)) {
      t.s3().createBucket(r -> r.bucket("keys"));
      encryptByDefault(t.s3(), "keys");
      t.s3().putObject(r -> r.bucket("keys").key("k"), RequestBody.fromString("same bytes"));
      // A second object reuses the tenant's key rather than creating another.
      t.s3().putObject(r -> r.bucket("keys").key("k2"), RequestBody.fromString("more"));
    }
    Map<String, byte[]> wrapped = new java.util.HashMap<>();
    for (Tenant t : List.of(a, b)) {
      List<byte[]> rows =
          db.sql("SELECT wrapped_key FROM storage_tenant_keys WHERE tenant_id = :t")
              .bind("t", t.tenantId())
              .map(row -> row.get("wrapped_key", byte[].class))
              .all()
              .collectList()
              .block(Duration.ofSeconds(10));
      assertThat(rows).hasSize(1);
      wrapped.put(t.tenantId(), rows.get(0));
    }
    byte[] keyA =
        storageMasterKey.decrypt(
            wrapped.get(a.tenantId()), "cumulus-storage-tenant-key:" + a.tenantId());
    byte[] keyB =
        storageMasterKey.decrypt(
            wrapped.get(b.tenantId()), "cumulus-storage-tenant-key:" + b.tenantId());
    assertThat(keyA).hasSize(32).isNotEqualTo(keyB);
    assertThat(keyB).hasSize(32);
    // The wrapping is bound to its tenant: A's wrapped key does not unwrap as B's.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                storageMasterKey.decrypt(
                    wrapped.get(a.tenantId()), "cumulus-storage-tenant-key:" + b.tenantId()))
        .isInstanceOf(IllegalStateException.class);
    for (Tenant t : List.of(a, b)) {
      assertThat(t.s3().getObjectAsBytes(r -> r.bucket("keys").key("k")).asUtf8String())
          .isEqualTo("same bytes");
    }
  }

  /**
   * A master key rotation over the real table: the tenant's data key (so every object it sealed)
   * stays the same, and the new master key alone unwraps it. Rotated back at the end, so the
   * running service's key keeps working for the other tests.
   */
  @Test
  void aMasterKeyRotationWrapsTenantKeysAgainAndKeepsTheDataKeys() {
    Tenant t = tenant();
    t.s3().createBucket(r -> r.bucket("rotated"));
    encryptByDefault(t.s3(), "rotated");
    t.s3().putObject(r -> r.bucket("rotated").key("k"), RequestBody.fromString("sealed before"));
    TenantKeyRepository rows = new TenantKeyRepository(db);
    byte[] dataKey =
        new TenantKeys(rows, storageMasterKey, Duration.ofSeconds(1))
            .of(t.tenantId())
            .block(Duration.ofSeconds(10));
    MasterKey next = MasterKey.fromBase64(MasterKey.generateBase64());

    List<Outcome> there = rotate(next.withPrevious(List.of(storageMasterKey)));

    assertThat(there).hasSize(1);
    assertThat(there.get(0).resealed()).isPositive();
    assertThat(there.get(0).current()).isZero();
    assertThat(there.get(0).unreadable()).isZero();
    assertThat(new TenantKeys(rows, next, Duration.ofSeconds(1)).of(t.tenantId()).block())
        .isEqualTo(dataKey);

    List<Outcome> back = rotate(storageMasterKey.withPrevious(List.of(next)));
    assertThat(back.get(0).resealed()).isEqualTo(there.get(0).resealed());
    assertThat(t.s3().getObjectAsBytes(r -> r.bucket("rotated").key("k")).asUtf8String())
        .isEqualTo("sealed before");
  }

  private List<Outcome> rotate(MasterKey key) {
    return new MasterKeyRotation(
            key,
            "CUMULUS_STORAGE_PREVIOUS_MASTER_KEYS",
            List.of(EncryptionConfiguration.tenantKeyColumn(db)))
        .run()
        .block(Duration.ofSeconds(30));
  }

  // --- SSE-C: keys the client holds -------------------------------------------------------------

  /**
   * A client's SSE-C key: base64 of 32 bytes and base64 of their MD5, as the headers carry them.
   */
  record ClientKey(String key, String md5) {
    static ClientKey random() {
      byte[] raw = new byte[32];
      new java.security.SecureRandom().nextBytes(raw);
      return new ClientKey(
          Base64.getEncoder().encodeToString(raw),
          Base64.getEncoder().encodeToString(S3TestClients.md5(raw)));
    }

    // A request's SSE-C headers for this key, as .applyMutation(key::seal) on its builder: the
    // SDK's request types share no interface for them.

    void seal(PutObjectRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(GetObjectRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(HeadObjectRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(CopyObjectRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(CreateMultipartUploadRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(UploadPartRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(UploadPartCopyRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    void seal(CompleteMultipartUploadRequest.Builder b) {
      b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5);
    }

    // The copy source's SSE-C headers, as .applyMutation(key::opensSource).
    void opensSource(CopyObjectRequest.Builder b) {
      b.copySourceSSECustomerAlgorithm("AES256")
          .copySourceSSECustomerKey(key)
          .copySourceSSECustomerKeyMD5(md5);
    }

    void opensSource(UploadPartCopyRequest.Builder b) {
      b.copySourceSSECustomerAlgorithm("AES256")
          .copySourceSSECustomerKey(key)
          .copySourceSSECustomerKeyMD5(md5);
    }
  }

  /**
   * A client of the tenant's instance whose requests say they came through HTTPS (as the gateway
   * terminating TLS says, {@code X-Forwarded-Proto}): SSE-C is refused over plain HTTP by default.
   */
  S3Client overHttps(Tenant t) {
    String key = S3TestClients.newKey(t.tenantId(), t.serviceId());
    return S3TestClients.builder(port, key, S3TestClients.secret(key))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.putHeader("X-Forwarded-Proto", "https"))
        .build();
  }

  @Test
  void anSseCObjectIsSealedUnderTheClientsKeyAndOpensOnlyWithIt() throws Exception {
    Tenant t = tenant();
    S3Client s3 = overHttps(t);
    s3.createBucket(b -> b.bucket("sealed"));
    ClientKey a = ClientKey.random();
    ClientKey b = ClientKey.random();
    String marker = "SSEC-SECRET-" + UUID.randomUUID();
    byte[] small = pattern(marker, 2_000); // inline-sized: must still not be a plain row
    byte[] large = pattern(marker, 200_000);

    var put =
        s3.putObject(
            r -> r.bucket("sealed").key("small.txt").applyMutation(a::seal),
            RequestBody.fromBytes(small));
    assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
    assertThat(put.sseCustomerKeyMD5()).isEqualTo(a.md5());
    assertThat(put.serverSideEncryption()).isNull();
    s3.putObject(
        r -> r.bucket("sealed").key("large.txt").applyMutation(a::seal),
        RequestBody.fromBytes(large));
    assertThat(blobCount(t.serviceId())).isEqualTo(2);
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    // Only a salted fingerprint of the key is stored: not the key, not its MD5, no inline bytes.
    byte[] rawKey = Base64.getDecoder().decode(a.key());
    List<byte[]> fingerprints =
        db.sql(
                "SELECT o.customer_key, o.inline_data FROM storage_objects o JOIN storage_buckets"
                    + " k ON k.id = o.bucket_id WHERE k.service_id = :s")
            .bind("s", t.serviceId())
            .map(
                row -> {
                  assertThat(row.get("inline_data", byte[].class)).isNull();
                  return row.get("customer_key", byte[].class);
                })
            .all()
            .collectList()
            .block();
    assertThat(fingerprints).hasSize(2);
    assertThat(fingerprints.get(0)).hasSize(48).isNotEqualTo(fingerprints.get(1));
    for (byte[] fingerprint : fingerprints) {
      assertThat(Collections.indexOfSubList(asList(fingerprint), asList(rawKey))).isEqualTo(-1);
    }

    // The right key: the bytes, whole or a range, and SSE-C's headers.
    var got = s3.getObjectAsBytes(r -> r.bucket("sealed").key("large.txt").applyMutation(a::seal));
    assertThat(got.asByteArray()).isEqualTo(large);
    assertThat(got.response().sseCustomerAlgorithm()).isEqualTo("AES256");
    assertThat(got.response().sseCustomerKeyMD5()).isEqualTo(a.md5());
    assertThat(got.response().serverSideEncryption()).isNull();
    var range =
        s3.getObjectAsBytes(
            r ->
                r.bucket("sealed")
                    .key("large.txt")
                    .range("bytes=65000-140000")
                    .applyMutation(a::seal));
    assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(large, 65_000, 140_001));
    var head = s3.headObject(r -> r.bucket("sealed").key("small.txt").applyMutation(a::seal));
    assertThat(head.contentLength()).isEqualTo(2_000);
    assertThat(head.sseCustomerKeyMD5()).isEqualTo(a.md5());

    // No key: 400 InvalidRequest; another key: 403 AccessDenied (GET and HEAD alike).
    for (String key : List.of("small.txt", "large.txt")) {
      assertS3Error(
          () -> s3.getObjectAsBytes(r -> r.bucket("sealed").key(key)), 400, "InvalidRequest");
      assertS3Error(() -> s3.headObject(r -> r.bucket("sealed").key(key)), 400, null);
      assertS3Error(
          () -> s3.getObjectAsBytes(r -> r.bucket("sealed").key(key).applyMutation(b::seal)),
          403,
          "AccessDenied");
      assertS3Error(
          () -> s3.headObject(r -> r.bucket("sealed").key(key).applyMutation(b::seal)), 403, null);
    }

    // A key for an object that has none: 400 InvalidRequest.
    s3.putObject(r -> r.bucket("sealed").key("plain.txt"), RequestBody.fromString("plain"));
    assertS3Error(
        () -> s3.getObjectAsBytes(r -> r.bucket("sealed").key("plain.txt").applyMutation(a::seal)),
        400,
        "InvalidRequest");

    // A bucket's default SSE-S3 yields to the request's SSE-C.
    s3.createBucket(r -> r.bucket("default-s3"));
    encryptByDefault(s3, "default-s3");
    var overridden =
        s3.putObject(
            r -> r.bucket("default-s3").key("k").applyMutation(a::seal),
            RequestBody.fromString("mine"));
    assertThat(overridden.serverSideEncryption()).isNull();
    assertS3Error(
        () -> s3.getObjectAsBytes(r -> r.bucket("default-s3").key("k")), 400, "InvalidRequest");
  }

  /** boto3 as its users write it: SSE-C on put, get, head and a re-keying copy. */
  @Test
  void boto3SealsReadsAndCopiesUnderItsOwnKeys() throws Exception {
    S3TestClients.assumeBoto3();
    Tenant t = tenant();
    String output =
        S3TestClients.python(
            """
            import os, base64, hashlib, boto3, botocore
            from botocore.exceptions import ClientError
            s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
                config=botocore.config.Config(s3={"addressing_style": "path"}))
            # SSE-C only over HTTPS: say so, as the gateway terminating TLS does.
            s3.meta.events.register("before-sign.s3",
                lambda request, **kwargs: request.headers.__setitem__("X-Forwarded-Proto", "https"))
            key, other = os.urandom(32), os.urandom(32)
            sse = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}
            def code(call):
                try:
                    call()
                    return "ok"
                except ClientError as e:
                    return "%s %s" % (e.response["Error"]["Code"],
                                      e.response["ResponseMetadata"]["HTTPStatusCode"])
            s3.create_bucket(Bucket="boto-ssec")
            put = s3.put_object(Bucket="boto-ssec", Key="k", Body=b"sealed by boto3", **sse)
            print(put["SSECustomerAlgorithm"],
                  put["SSECustomerKeyMD5"] == base64.b64encode(hashlib.md5(key).digest()).decode())
            print(s3.get_object(Bucket="boto-ssec", Key="k", **sse)["Body"].read().decode())
            print(s3.head_object(Bucket="boto-ssec", Key="k", **sse)["ContentLength"])
            print(code(lambda: s3.get_object(Bucket="boto-ssec", Key="k")))
            print(code(lambda: s3.get_object(Bucket="boto-ssec", Key="k",
                                             SSECustomerAlgorithm="AES256", SSECustomerKey=other)))
            s3.copy_object(Bucket="boto-ssec", Key="rekeyed",
                CopySource={"Bucket": "boto-ssec", "Key": "k"},
                CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=key,
                SSECustomerAlgorithm="AES256", SSECustomerKey=other)
            print(s3.get_object(Bucket="boto-ssec", Key="rekeyed", SSECustomerAlgorithm="AES256",
                                SSECustomerKey=other)["Body"].read().decode())
            print(code(lambda: s3.copy_object(Bucket="boto-ssec", Key="plain",
                                              CopySource={"Bucket": "boto-ssec", "Key": "k"})))
            """,
            S3TestClients.boto3Environment(port, t.tenantId(), t.serviceId()));
    assertThat(output.lines())
        .containsExactly(
            "AES256 True",
            "sealed by boto3",
            "15",
            "InvalidRequest 400",
            "AccessDenied 403",
            "sealed by boto3",
            "InvalidRequest 400");
    // Sealed under the client's keys: no plaintext on disk.
    assertThat(filesContaining(t.serviceId(), "sealed by boto3")).isEmpty();
  }

  @Test
  void sseCHeadersAreCheckedAsS3ChecksThem() {
    Tenant t = tenant();
    S3Client s3 = overHttps(t);
    s3.createBucket(b -> b.bucket("checked"));
    ClientKey a = ClientKey.random();
    ClientKey b = ClientKey.random();
    RequestBody body = RequestBody.fromString("x");
    // The key's MD5 must match it.
    assertS3Error(
        () ->
            s3.putObject(
                r ->
                    r.bucket("checked")
                        .key("k")
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(a.key())
                        .sseCustomerKeyMD5(b.md5()),
                body),
        400,
        "InvalidArgument");
    // 256 bits, AES256 only.
    byte[] short16 = new byte[16];
    assertS3Error(
        () ->
            s3.putObject(
                r ->
                    r.bucket("checked")
                        .key("k")
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(Base64.getEncoder().encodeToString(short16))
                        .sseCustomerKeyMD5(
                            Base64.getEncoder().encodeToString(S3TestClients.md5(short16))),
                body),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            s3.putObject(
                r ->
                    r.bucket("checked")
                        .key("k")
                        .sseCustomerAlgorithm("AES128")
                        .sseCustomerKey(a.key())
                        .sseCustomerKeyMD5(a.md5()),
                body),
        400,
        "InvalidEncryptionAlgorithmError");
    // SSE-C together with SSE-S3.
    assertS3Error(
        () ->
            s3.putObject(
                r ->
                    r.bucket("checked")
                        .key("k")
                        .serverSideEncryption(ServerSideEncryption.AES256)
                        .applyMutation(a::seal),
                body),
        400,
        "InvalidArgument");
    // Over plain HTTP (no TLS, no X-Forwarded-Proto: https), as S3 refuses it.
    assertS3Error(
        () -> t.s3().putObject(r -> r.bucket("checked").key("k").applyMutation(a::seal), body),
        400,
        "InvalidRequest");
    assertS3Error(() -> s3.headObject(r -> r.bucket("checked").key("k")), 404, null);
  }

  @Test
  void sseCCopiesAndMultipartUploadsCarryTheirKeys() throws Exception {
    Tenant t = tenant();
    S3Client s3 = overHttps(t);
    s3.createBucket(b -> b.bucket("sealed-mp"));
    ClientKey a = ClientKey.random();
    ClientKey b = ClientKey.random();
    String marker = "SSEC-MP-" + UUID.randomUUID();
    byte[] source = pattern(marker, 150_000);
    s3.putObject(
        r -> r.bucket("sealed-mp").key("source").applyMutation(a::seal),
        RequestBody.fromBytes(source));

    // CopyObject: the source's key opens it, the target's seals the copy.
    assertS3Error(
        () ->
            s3.copyObject(
                r ->
                    r.sourceBucket("sealed-mp")
                        .sourceKey("source")
                        .destinationBucket("sealed-mp")
                        .destinationKey("copy")),
        400,
        "InvalidRequest");
    assertS3Error(
        () ->
            s3.copyObject(
                r ->
                    r.sourceBucket("sealed-mp")
                        .sourceKey("source")
                        .destinationBucket("sealed-mp")
                        .destinationKey("copy")
                        .applyMutation(b::opensSource)),
        403,
        "AccessDenied");
    var copied =
        s3.copyObject(
            r ->
                r.sourceBucket("sealed-mp")
                    .sourceKey("source")
                    .destinationBucket("sealed-mp")
                    .destinationKey("copy")
                    .applyMutation(a::opensSource)
                    .applyMutation(b::seal));
    assertThat(copied.sseCustomerKeyMD5()).isEqualTo(b.md5());
    assertThat(
            s3.getObjectAsBytes(r -> r.bucket("sealed-mp").key("copy").applyMutation(b::seal))
                .asByteArray())
        .isEqualTo(source);
    // Decrypted into a plain copy; and onto itself under a new key (a key rotation, not "no
    // change").
    s3.copyObject(
        r ->
            r.sourceBucket("sealed-mp")
                .sourceKey("copy")
                .destinationBucket("sealed-mp")
                .destinationKey("opened")
                .applyMutation(b::opensSource));
    assertThat(s3.getObjectAsBytes(r -> r.bucket("sealed-mp").key("opened")).asByteArray())
        .isEqualTo(source);
    s3.deleteObject(r -> r.bucket("sealed-mp").key("opened")); // the one plain file of the test
    s3.copyObject(
        r ->
            r.sourceBucket("sealed-mp")
                .sourceKey("copy")
                .destinationBucket("sealed-mp")
                .destinationKey("copy")
                .applyMutation(b::opensSource)
                .applyMutation(a::seal));
    assertS3Error(
        () -> s3.headObject(r -> r.bucket("sealed-mp").key("copy").applyMutation(b::seal)),
        403,
        null);

    // Multipart: every part, and the completion, with the upload's key.
    String uploadId =
        s3.createMultipartUpload(r -> r.bucket("sealed-mp").key("multi").applyMutation(a::seal))
            .uploadId();
    byte[] part1 = pattern(marker, 5 * 1024 * 1024);
    assertS3Error(
        () ->
            s3.uploadPart(
                r -> r.bucket("sealed-mp").key("multi").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("refused before its bytes matter")),
        400,
        "InvalidRequest");
    assertS3Error(
        () ->
            s3.uploadPart(
                r ->
                    r.bucket("sealed-mp")
                        .key("multi")
                        .uploadId(uploadId)
                        .partNumber(1)
                        .applyMutation(b::seal),
                RequestBody.fromString("refused before its bytes matter")),
        403,
        "AccessDenied");
    var uploaded =
        s3.uploadPart(
            r ->
                r.bucket("sealed-mp")
                    .key("multi")
                    .uploadId(uploadId)
                    .partNumber(1)
                    .applyMutation(a::seal),
            RequestBody.fromBytes(part1));
    assertThat(uploaded.sseCustomerKeyMD5()).isEqualTo(a.md5());
    String etag2 =
        s3.uploadPartCopy(
                r ->
                    r.sourceBucket("sealed-mp")
                        .sourceKey("source")
                        .copySourceRange("bytes=1000-100999")
                        .applyMutation(a::opensSource)
                        .destinationBucket("sealed-mp")
                        .destinationKey("multi")
                        .uploadId(uploadId)
                        .partNumber(2)
                        .applyMutation(a::seal))
            .copyPartResult()
            .eTag();
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
    var parts =
        List.of(
            CompletedPart.builder().partNumber(1).eTag(uploaded.eTag()).build(),
            CompletedPart.builder().partNumber(2).eTag(etag2).build());
    assertS3Error(
        () ->
            s3.completeMultipartUpload(
                r ->
                    r.bucket("sealed-mp")
                        .key("multi")
                        .uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts))),
        400,
        "InvalidRequest");
    s3.completeMultipartUpload(
        r ->
            r.bucket("sealed-mp")
                .key("multi")
                .uploadId(uploadId)
                .multipartUpload(u -> u.parts(parts))
                .applyMutation(a::seal));
    byte[] expected = new byte[part1.length + 100_000];
    System.arraycopy(part1, 0, expected, 0, part1.length);
    System.arraycopy(source, 1000, expected, part1.length, 100_000);
    assertThat(
            s3.getObjectAsBytes(r -> r.bucket("sealed-mp").key("multi").applyMutation(a::seal))
                .asByteArray())
        .isEqualTo(expected);
    assertS3Error(
        () -> s3.getObjectAsBytes(r -> r.bucket("sealed-mp").key("multi")), 400, "InvalidRequest");
    assertThat(filesContaining(t.serviceId(), marker)).isEmpty();
  }

  private static List<Byte> asList(byte[] bytes) {
    List<Byte> list = new ArrayList<>(bytes.length);
    for (byte x : bytes) {
      list.add(x);
    }
    return list;
  }
}
