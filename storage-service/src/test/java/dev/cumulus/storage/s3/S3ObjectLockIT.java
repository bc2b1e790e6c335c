package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.lifecycle.application.LifecycleWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * S3 Object Lock with the AWS SDK v2, as AWS documents it: buckets created with it (versioning
 * enabled for good), Get/PutObjectLockConfiguration with a default retention, per-version retention
 * (GOVERNANCE with and without x-amz-bypass-governance-retention, COMPLIANCE) and legal holds,
 * their headers on PutObject/CopyObject/CreateMultipartUpload and GET/HEAD, deletes of locked
 * versions refused (one by one and in DeleteObjects) while delete markers are still written,
 * lifecycle leaving locked versions, Content-MD5 (or a checksum) required, and every refusal's
 * status and code. One boto3 check where python3 with boto3 is installed.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3ObjectLockIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3lock");
    // The lifecycle test runs the worker itself, with its own clock.
    registry.add("cumulus.storage.lifecycle.enabled", () -> "false");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired LifecycleWorker worker;

  S3Client s3;
  String tenant;
  String service;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "s3-lock-it", UrlConnectionHttpClient.create());
  }

  void lockedBucket(String bucket) {
    s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
  }

  /**
   * PutObjectLockConfiguration: Object Lock on, with the default retention {@code rule} makes (none
   * for null).
   */
  void lockConfiguration(String bucket, Consumer<DefaultRetention.Builder> rule) {
    s3.putObjectLockConfiguration(
        b ->
            b.bucket(bucket)
                .objectLockConfiguration(
                    c -> {
                      c.objectLockEnabled(ObjectLockEnabled.ENABLED);
                      if (rule != null) {
                        c.rule(r -> r.defaultRetention(rule));
                      }
                    }));
  }

  DefaultRetention defaultRetention(String bucket) {
    return s3.getObjectLockConfiguration(b -> b.bucket(bucket))
        .objectLockConfiguration()
        .rule()
        .defaultRetention();
  }

  static Instant inHours(long hours) {
    return Instant.now().plus(Duration.ofHours(hours)).truncatedTo(ChronoUnit.SECONDS);
  }

  String put(String bucket, String key) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("bytes of " + key))
        .versionId();
  }

  String putGovernance(String bucket, String key, Instant until) {
    return s3.putObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .objectLockMode(ObjectLockMode.GOVERNANCE)
                    .objectLockRetainUntilDate(until),
            RequestBody.fromString("bytes of " + key))
        .versionId();
  }

  void retain(String bucket, String key, String version, ObjectLockRetentionMode mode, Instant at) {
    s3.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key(key)
                .versionId(version)
                .retention(r -> r.mode(mode).retainUntilDate(at)));
  }

  void deleteVersion(String bucket, String key, String version, boolean bypass) {
    s3.deleteObject(
        b -> b.bucket(bucket).key(key).versionId(version).bypassGovernanceRetention(bypass));
  }

  List<String> versions(String bucket, String key) {
    return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .map(ObjectVersion::versionId)
        .toList();
  }

  @Test
  void aBucketCreatedWithObjectLockIsVersionedForGood() {
    lockedBucket("vault");
    assertThat(s3.getBucketVersioning(b -> b.bucket("vault")).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    ObjectLockConfiguration configuration =
        s3.getObjectLockConfiguration(b -> b.bucket("vault")).objectLockConfiguration();
    assertThat(configuration.objectLockEnabled()).isEqualTo(ObjectLockEnabled.ENABLED);
    assertThat(configuration.rule()).isNull();

    assertS3Error(
        () ->
            s3.putBucketVersioning(
                b ->
                    b.bucket("vault")
                        .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED))),
        409,
        "InvalidBucketState");
    // Enabling it again changes nothing and is fine.
    s3.putBucketVersioning(
        b ->
            b.bucket("vault")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    assertThat(s3.getBucketVersioning(b -> b.bucket("vault")).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
  }

  @Test
  void theConfigurationTakesADefaultRuleOfDaysOrYears() {
    lockedBucket("rules");
    lockConfiguration("rules", d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(3));
    var rule = defaultRetention("rules");
    assertThat(rule.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    assertThat(rule.days()).isEqualTo(3);
    assertThat(rule.years()).isNull();

    lockConfiguration("rules", d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).years(1));
    rule = defaultRetention("rules");
    assertThat(rule.mode()).isEqualTo(ObjectLockRetentionMode.COMPLIANCE);
    assertThat(rule.years()).isEqualTo(1);
    assertThat(rule.days()).isNull();

    // Days and Years together, neither, or not positive: refused as AWS refuses them.
    assertS3Error(
        () ->
            lockConfiguration(
                "rules", d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1).years(1)),
        400,
        "MalformedXML");
    assertS3Error(
        () -> lockConfiguration("rules", d -> d.mode(ObjectLockRetentionMode.GOVERNANCE)),
        400,
        "MalformedXML");
    assertS3Error(
        () -> lockConfiguration("rules", d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(0)),
        400,
        "InvalidArgument");

    // Without a rule: Object Lock stays, the default goes.
    lockConfiguration("rules", null);
    ObjectLockConfiguration none =
        s3.getObjectLockConfiguration(b -> b.bucket("rules")).objectLockConfiguration();
    assertThat(none.objectLockEnabled()).isEqualTo(ObjectLockEnabled.ENABLED);
    assertThat(none.rule()).isNull();
  }

  @Test
  void anExistingBucketGetsObjectLockOnlyWhileVersioned() {
    s3.createBucket(b -> b.bucket("plain"));
    assertS3Error(
        () -> s3.getObjectLockConfiguration(b -> b.bucket("plain")),
        404,
        "ObjectLockConfigurationNotFoundError");
    assertS3Error(() -> lockConfiguration("plain", null), 409, "InvalidBucketState");
    s3.putBucketVersioning(
        b ->
            b.bucket("plain")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertS3Error(() -> lockConfiguration("plain", null), 409, "InvalidBucketState");
    String before = put("plain", "old");

    s3.putBucketVersioning(
        b ->
            b.bucket("plain")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    lockConfiguration("plain", null);
    assertThat(
            s3.getObjectLockConfiguration(b -> b.bucket("plain"))
                .objectLockConfiguration()
                .objectLockEnabled())
        .isEqualTo(ObjectLockEnabled.ENABLED);
    // A version written before (its id "null") can be locked too.
    assertThat(before).isEqualTo("null");
    s3.putObjectLegalHold(
        b -> b.bucket("plain").key("old").versionId("null").legalHold(h -> h.status("ON")));
    assertS3Error(() -> deleteVersion("plain", "old", "null", true), 403, "AccessDenied");
  }

  @Test
  void theDefaultRetentionLocksNewVersionsAndComplianceCannotBeShortened() {
    lockedBucket("comply");
    lockConfiguration("comply", d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).days(1));
    Instant before = Instant.now().plus(Duration.ofDays(1)).minusSeconds(5);
    String v1 = put("comply", "report");

    HeadObjectResponse head = s3.headObject(b -> b.bucket("comply").key("report"));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    Instant until = head.objectLockRetainUntilDate();
    assertThat(until).isBetween(before, Instant.now().plus(Duration.ofDays(1)).plusSeconds(5));
    assertThat(head.objectLockLegalHoldStatus()).isNull();
    var got = s3.getObjectAsBytes(b -> b.bucket("comply").key("report")).response();
    assertThat(got.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    assertThat(got.objectLockRetainUntilDate()).isEqualTo(until);
    var retention =
        s3.getObjectRetention(b -> b.bucket("comply").key("report").versionId(v1)).retention();
    assertThat(retention.mode()).isEqualTo(ObjectLockRetentionMode.COMPLIANCE);
    assertThat(retention.retainUntilDate()).isEqualTo(until);

    // Not even with the bypass header.
    assertS3Error(() -> deleteVersion("comply", "report", v1, false), 403, "AccessDenied");
    assertS3Error(() -> deleteVersion("comply", "report", v1, true), 403, "AccessDenied");
    assertS3Error(
        () ->
            retain(
                "comply", "report", v1, ObjectLockRetentionMode.COMPLIANCE, until.minusSeconds(60)),
        403,
        "AccessDenied");
    assertS3Error(
        () ->
            s3.putObjectRetention(
                b ->
                    b.bucket("comply")
                        .key("report")
                        .versionId(v1)
                        .bypassGovernanceRetention(true)
                        .retention(
                            r ->
                                r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                    .retainUntilDate(until.plusSeconds(60)))),
        403,
        "AccessDenied");
    // Extending is always allowed.
    Instant later = until.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    retain("comply", "report", v1, ObjectLockRetentionMode.COMPLIANCE, later);
    assertThat(
            s3.getObjectRetention(b -> b.bucket("comply").key("report").versionId(v1))
                .retention()
                .retainUntilDate())
        .isEqualTo(later);

    // A delete without a version id still just writes a delete marker.
    var marker = s3.deleteObject(b -> b.bucket("comply").key("report"));
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(versions("comply", "report")).containsExactly(v1);
    // The marker itself is no locked version: it can go.
    deleteVersion("comply", "report", marker.versionId(), false);
    assertThat(s3.headObject(b -> b.bucket("comply").key("report")).versionId()).isEqualTo(v1);
  }

  @Test
  void governanceGivesWayOnlyToTheBypassHeader() {
    lockedBucket("govern");
    Instant until = inHours(2);
    String v1 = putGovernance("govern", "doc", until);
    HeadObjectResponse head = s3.headObject(b -> b.bucket("govern").key("doc").versionId(v1));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(head.objectLockRetainUntilDate()).isEqualTo(until);

    // Shortening, removing or making it COMPLIANCE need the bypass header; extending does not.
    assertS3Error(
        () -> retain("govern", "doc", v1, ObjectLockRetentionMode.GOVERNANCE, inHours(1)),
        403,
        "AccessDenied");
    assertS3Error(
        () -> retain("govern", "doc", v1, ObjectLockRetentionMode.COMPLIANCE, inHours(3)),
        403,
        "AccessDenied");
    assertS3Error(
        () ->
            s3.putObjectRetention(
                b -> b.bucket("govern").key("doc").versionId(v1).retention(r -> r.build())),
        403,
        "AccessDenied");
    retain("govern", "doc", v1, ObjectLockRetentionMode.GOVERNANCE, inHours(4));
    Instant shorter = inHours(1);
    s3.putObjectRetention(
        b ->
            b.bucket("govern")
                .key("doc")
                .versionId(v1)
                .bypassGovernanceRetention(true)
                .retention(
                    r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(shorter)));
    assertThat(
            s3.getObjectRetention(b -> b.bucket("govern").key("doc").versionId(v1))
                .retention()
                .retainUntilDate())
        .isEqualTo(shorter);

    assertS3Error(() -> deleteVersion("govern", "doc", v1, false), 403, "AccessDenied");
    assertThat(versions("govern", "doc")).containsExactly(v1);
    deleteVersion("govern", "doc", v1, true);
    assertThat(versions("govern", "doc")).isEmpty();

    // Removing a GOVERNANCE retention with the bypass header: no retention left to read.
    String v2 = putGovernance("govern", "doc", inHours(2));
    s3.putObjectRetention(
        b ->
            b.bucket("govern")
                .key("doc")
                .versionId(v2)
                .bypassGovernanceRetention(true)
                .retention(r -> r.build()));
    assertS3Error(
        () -> s3.getObjectRetention(b -> b.bucket("govern").key("doc").versionId(v2)),
        404,
        "NoSuchObjectLockConfiguration");
    assertThat(s3.headObject(b -> b.bucket("govern").key("doc")).objectLockMode()).isNull();
    deleteVersion("govern", "doc", v2, false);
  }

  @Test
  void aLegalHoldKeepsAVersionWhateverItsRetention() {
    lockedBucket("hold");
    String held = put("hold", "evidence");
    String free = put("hold", "scratch");
    assertS3Error(
        () -> s3.getObjectLegalHold(b -> b.bucket("hold").key("evidence")),
        404,
        "NoSuchObjectLockConfiguration");
    assertS3Error(
        () -> s3.getObjectRetention(b -> b.bucket("hold").key("evidence")),
        404,
        "NoSuchObjectLockConfiguration");

    s3.putObjectLegalHold(
        b ->
            b.bucket("hold")
                .key("evidence")
                .versionId(held)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
    assertThat(
            s3.getObjectLegalHold(b -> b.bucket("hold").key("evidence").versionId(held))
                .legalHold()
                .status())
        .isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(s3.headObject(b -> b.bucket("hold").key("evidence")).objectLockLegalHoldStatus())
        .isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertS3Error(() -> deleteVersion("hold", "evidence", held, true), 403, "AccessDenied");

    // DeleteObjects: the held version is refused, the other entry is deleted.
    DeleteObjectsResponse batch =
        s3.deleteObjects(
            b ->
                b.bucket("hold")
                    .bypassGovernanceRetention(true)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("evidence").versionId(held).build(),
                                ObjectIdentifier.builder()
                                    .key("scratch")
                                    .versionId(free)
                                    .build())));
    assertThat(batch.deleted())
        .singleElement()
        .satisfies(d -> assertThat(d.key()).isEqualTo("scratch"));
    assertThat(batch.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("evidence");
              assertThat(e.versionId()).isEqualTo(held);
              assertThat(e.code()).isEqualTo("AccessDenied");
            });
    assertThat(versions("hold", "evidence")).containsExactly(held);

    s3.putObjectLegalHold(
        b ->
            b.bucket("hold")
                .key("evidence")
                .versionId(held)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
    assertThat(s3.headObject(b -> b.bucket("hold").key("evidence")).objectLockLegalHoldStatus())
        .isEqualTo(ObjectLockLegalHoldStatus.OFF);
    deleteVersion("hold", "evidence", held, false);
    assertThat(versions("hold", "evidence")).isEmpty();

    // A legal hold asked for with the object.
    String withHold =
        s3.putObject(
                b ->
                    b.bucket("hold")
                        .key("held-at-birth")
                        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                RequestBody.fromString("x"))
            .versionId();
    assertS3Error(
        () -> deleteVersion("hold", "held-at-birth", withHold, true), 403, "AccessDenied");
  }

  @Test
  void copiesAndMultipartUploadsTakeTheirOwnLock() {
    lockedBucket("writes");
    String source = putGovernance("writes", "source", inHours(5));
    Instant until = inHours(3);
    String copy =
        s3.copyObject(
                b ->
                    b.sourceBucket("writes")
                        .sourceKey("source")
                        .destinationBucket("writes")
                        .destinationKey("copy")
                        .objectLockMode(ObjectLockMode.COMPLIANCE)
                        .objectLockRetainUntilDate(until))
            .versionId();
    HeadObjectResponse copied = s3.headObject(b -> b.bucket("writes").key("copy").versionId(copy));
    assertThat(copied.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    assertThat(copied.objectLockRetainUntilDate()).isEqualTo(until);
    // The source's lock is not copied.
    String plainCopy =
        s3.copyObject(
                b ->
                    b.sourceBucket("writes")
                        .sourceKey("source")
                        .sourceVersionId(source)
                        .destinationBucket("writes")
                        .destinationKey("plain-copy"))
            .versionId();
    assertThat(s3.headObject(b -> b.bucket("writes").key("plain-copy")).objectLockMode()).isNull();
    deleteVersion("writes", "plain-copy", plainCopy, false);

    String upload =
        s3.createMultipartUpload(
                b ->
                    b.bucket("writes")
                        .key("big")
                        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                        .objectLockRetainUntilDate(until))
            .uploadId();
    String etag =
        s3.uploadPart(
                b -> b.bucket("writes").key("big").uploadId(upload).partNumber(1),
                RequestBody.fromString("one part"))
            .eTag();
    String big =
        s3.completeMultipartUpload(
                b ->
                    b.bucket("writes")
                        .key("big")
                        .uploadId(upload)
                        .multipartUpload(
                            m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())))
            .versionId();
    HeadObjectResponse assembled = s3.headObject(b -> b.bucket("writes").key("big").versionId(big));
    assertThat(assembled.objectLockLegalHoldStatus()).isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(assembled.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(assembled.objectLockRetainUntilDate()).isEqualTo(until);
    assertS3Error(() -> deleteVersion("writes", "big", big, true), 403, "AccessDenied");
  }

  @Test
  void badLockRequestsGetAwsCodes() {
    lockedBucket("strict");
    s3.createBucket(b -> b.bucket("open"));
    put("open", "k");

    // A mode without a date (or the reverse), a date that has passed.
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("strict").key("k").objectLockMode(ObjectLockMode.GOVERNANCE),
                RequestBody.fromString("x")),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("strict").key("k").objectLockRetainUntilDate(inHours(1)),
                RequestBody.fromString("x")),
        400,
        "InvalidArgument");
    assertS3Error(
        () -> putGovernance("strict", "k", Instant.now().minusSeconds(60)), 400, "InvalidArgument");
    String v = put("strict", "k");
    assertS3Error(
        () ->
            retain(
                "strict",
                "k",
                v,
                ObjectLockRetentionMode.GOVERNANCE,
                Instant.now().minusSeconds(60)),
        400,
        "InvalidArgument");

    // A bucket without Object Lock takes no lock at all.
    assertS3Error(() -> putGovernance("open", "k2", inHours(1)), 400, "InvalidRequest");
    assertS3Error(
        () ->
            s3.createMultipartUpload(
                b ->
                    b.bucket("open")
                        .key("m")
                        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)),
        400,
        "InvalidRequest");
    assertS3Error(
        () -> retain("open", "k", null, ObjectLockRetentionMode.GOVERNANCE, inHours(1)),
        400,
        "InvalidRequest");
    assertS3Error(
        () -> s3.getObjectRetention(b -> b.bucket("open").key("k")), 400, "InvalidRequest");
    assertS3Error(
        () -> s3.getObjectLegalHold(b -> b.bucket("open").key("k")), 400, "InvalidRequest");
    assertS3Error(
        () ->
            s3.putObjectLegalHold(
                b ->
                    b.bucket("open")
                        .key("k")
                        .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON))),
        400,
        "InvalidRequest");

    // Missing buckets, keys and versions.
    assertS3Error(
        () -> s3.getObjectLockConfiguration(b -> b.bucket("nowhere")), 404, "NoSuchBucket");
    assertS3Error(() -> lockConfiguration("nowhere", null), 404, "NoSuchBucket");
    assertS3Error(
        () -> s3.getObjectRetention(b -> b.bucket("nowhere").key("k")), 404, "NoSuchBucket");
    assertS3Error(
        () -> s3.getObjectLegalHold(b -> b.bucket("strict").key("none")), 404, "NoSuchKey");
    assertS3Error(
        () -> s3.getObjectRetention(b -> b.bucket("strict").key("k").versionId("nope")),
        404,
        "NoSuchVersion");
  }

  @Test
  void aLockedWriteNeedsContentMd5OrAChecksum() {
    lockedBucket("digest");
    String key = S3TestClients.newKey(tenant, service);
    // Sends no checksum unless an operation requires one (PutObject does not).
    S3Client bare =
        S3TestClients.builder(port, key, S3TestClients.secret(key))
            .httpClient(UrlConnectionHttpClient.create())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .build();
    byte[] body = "locked bytes".getBytes(StandardCharsets.UTF_8);
    String md5 = Base64.getEncoder().encodeToString(S3TestClients.md5(body));
    Instant until = inHours(1);

    assertS3Error(
        () ->
            bare.putObject(
                b ->
                    b.bucket("digest")
                        .key("k")
                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                        .objectLockRetainUntilDate(until),
                RequestBody.fromBytes(body)),
        400,
        "InvalidRequest");
    // Without lock parameters and without a default retention, none is needed.
    bare.putObject(b -> b.bucket("digest").key("plain"), RequestBody.fromBytes(body));
    String v =
        bare.putObject(
                b ->
                    b.bucket("digest")
                        .key("k")
                        .contentMD5(md5)
                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                        .objectLockRetainUntilDate(until),
                RequestBody.fromBytes(body))
            .versionId();
    assertThat(s3.headObject(b -> b.bucket("digest").key("k").versionId(v)).objectLockMode())
        .isEqualTo(ObjectLockMode.GOVERNANCE);

    // A default retention puts lock parameters on every write.
    lockConfiguration("digest", d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1));
    assertS3Error(
        () -> bare.putObject(b -> b.bucket("digest").key("d"), RequestBody.fromBytes(body)),
        400,
        "InvalidRequest");
    // The SDK's default checksum (CRC32, WHEN_SUPPORTED) is enough.
    s3.putObject(b -> b.bucket("digest").key("d"), RequestBody.fromBytes(body));
    assertThat(s3.headObject(b -> b.bucket("digest").key("d")).objectLockMode())
        .isEqualTo(ObjectLockMode.GOVERNANCE);
  }

  @Test
  void lifecycleLeavesLockedVersions() {
    lockedBucket("aging");
    String locked = putGovernance("aging", "a", inHours(24 * 30));
    put("aging", "a");
    String held = put("aging", "h");
    s3.putObjectLegalHold(
        b ->
            b.bucket("aging")
                .key("h")
                .versionId(held)
                .legalHold(l -> l.status(ObjectLockLegalHoldStatus.ON)));
    put("aging", "h");
    String free = put("aging", "b");
    String current = put("aging", "b");
    s3.putBucketLifecycleConfiguration(
        b ->
            b.bucket("aging")
                .lifecycleConfiguration(
                    c ->
                        c.rules(
                            LifecycleRule.builder()
                                .id("old")
                                .filter(LifecycleRuleFilter.builder().prefix("").build())
                                .status(ExpirationStatus.ENABLED)
                                .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
                                .build())));

    LifecycleWorker.Report report =
        worker
            .run(Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC))
            .block(Duration.ofSeconds(60));
    assertThat(report.failedBuckets()).isZero();
    assertThat(report.noncurrentRemoved()).as(report.toString()).isEqualTo(1);
    assertThat(versions("aging", "b")).containsExactly(current);
    assertThat(versions("aging", "a")).hasSize(2).contains(locked);
    assertThat(versions("aging", "h")).hasSize(2).contains(held);
    assertThat(free).isNotEqualTo(current);
  }

  /** boto3, as a Python user would write it: a locked version refuses its delete until bypassed. */
  @Test
  void boto3LocksAndBypasses() throws Exception {
    S3TestClients.assumeBoto3();
    String script =
        """
        import os, datetime, boto3, botocore
        s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
            aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
            config=botocore.config.Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="boto-lock", ObjectLockEnabledForBucket=True)
        print(s3.get_object_lock_configuration(Bucket="boto-lock")
              ["ObjectLockConfiguration"]["ObjectLockEnabled"])
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        v = s3.put_object(Bucket="boto-lock", Key="k", Body=b"kept", ObjectLockMode="GOVERNANCE",
            ObjectLockRetainUntilDate=until)["VersionId"]
        print(s3.get_object_retention(Bucket="boto-lock", Key="k", VersionId=v)
              ["Retention"]["Mode"])
        print(s3.head_object(Bucket="boto-lock", Key="k")["ObjectLockMode"])
        try:
            s3.delete_object(Bucket="boto-lock", Key="k", VersionId=v)
            print("deleted")
        except botocore.exceptions.ClientError as e:
            print(e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
        s3.delete_object(Bucket="boto-lock", Key="k", VersionId=v, BypassGovernanceRetention=True)
        print(len(s3.list_object_versions(Bucket="boto-lock").get("Versions", [])))
        """;
    String output =
        S3TestClients.python(script, S3TestClients.boto3Environment(port, tenant, service));
    assertThat(output.lines())
        .containsExactly("Enabled", "GOVERNANCE", "GOVERNANCE", "AccessDenied 403", "0");
  }
}
