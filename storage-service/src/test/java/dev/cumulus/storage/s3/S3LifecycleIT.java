package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.lifecycle.application.LifecycleWorker;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoncurrentVersionExpiration;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Lifecycle configuration through the stock AWS SDK v2, and the worker applying it: each test
 * writes objects now and runs the worker with a clock moved days ahead, then checks exactly what
 * went and what stayed.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3LifecycleIT {

  static Path data;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    data = StorageTestProperties.register(registry, "s3l");
    // The tests run the worker themselves, with their own clocks.
    registry.add("cumulus.storage.lifecycle.enabled", () -> "false");
    // Every object a file, so that expiry is seen to remove bytes too (small objects kept in
    // their row go with it: S3ProtocolIT).
    registry.add("cumulus.storage.inline-threshold", () -> "0");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired LifecycleWorker worker;
  @Autowired LifecycleRepository repository;
  @Autowired ObjectDeleter objectService;
  @Autowired MultipartService multipartService;
  @Autowired DatabaseClient db;

  S3Client s3;
  String tenant;
  String service;
  final Instant now = Instant.now();

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "s3-lifecycle-it", UrlConnectionHttpClient.create());
  }

  LifecycleWorker.Report runAt(Instant at) {
    return worker.run(Clock.fixed(at, ZoneOffset.UTC)).block(Duration.ofSeconds(60));
  }

  Instant inDays(double days) {
    return now.plus(Duration.ofMinutes((long) (days * 24 * 60)));
  }

  static LifecycleRule.Builder rule(String id, String prefix) {
    return LifecycleRule.builder()
        .id(id)
        .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
        .status(ExpirationStatus.ENABLED);
  }

  void configure(String bucket, LifecycleRule... rules) {
    s3.putBucketLifecycleConfiguration(
        b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
  }

  void put(String bucket, String... keys) {
    for (String key : keys) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("bytes of " + key));
    }
  }

  List<String> keys(String bucket) {
    return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  long blobFiles() throws IOException {
    return BlobFiles.of(data, service).size();
  }

  long deletedEvents(String bucket) {
    return db.sql(
            "SELECT count(*) AS n FROM cumulus_outbox WHERE event_type LIKE '%object.deleted%'"
                + " AND event_key LIKE :key")
        .bind("key", service + "/" + bucket + "/%")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void configurationRoundTripsThroughTheSdk() {
    s3.createBucket(b -> b.bucket("config"));
    assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("config")),
        404,
        "NoSuchLifecycleConfiguration");
    Instant date = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30));
    configure(
        "config",
        rule("logs", "logs/").expiration(e -> e.days(7)).build(),
        LifecycleRule.builder()
            .id("dated")
            .filter(
                LifecycleRuleFilter.builder()
                    .and(
                        LifecycleRuleAndOperator.builder()
                            .prefix("tmp/")
                            .objectSizeGreaterThan(0L)
                            .build())
                    .build())
            .status(ExpirationStatus.DISABLED)
            .expiration(e -> e.date(date))
            .build(),
        rule("history", "")
            .noncurrentVersionExpiration(n -> n.noncurrentDays(30).newerNoncurrentVersions(2))
            .expiration(e -> e.expiredObjectDeleteMarker(true))
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(3))
            .build());

    List<LifecycleRule> read = s3.getBucketLifecycleConfiguration(b -> b.bucket("config")).rules();
    assertThat(read).hasSize(3);
    assertThat(read.get(0).id()).isEqualTo("logs");
    assertThat(read.get(0).filter().prefix()).isEqualTo("logs/");
    assertThat(read.get(0).status()).isEqualTo(ExpirationStatus.ENABLED);
    assertThat(read.get(0).expiration()).isEqualTo(LifecycleExpiration.builder().days(7).build());
    // An And filter reads back as And (its one-condition form is MalformedXML, as in S3).
    assertThat(read.get(1).filter().and().prefix()).isEqualTo("tmp/");
    assertThat(read.get(1).filter().and().objectSizeGreaterThan()).isEqualTo(0L);
    assertThat(read.get(1).status()).isEqualTo(ExpirationStatus.DISABLED);
    assertThat(read.get(1).expiration().date()).isEqualTo(date);
    assertThat(read.get(2).noncurrentVersionExpiration())
        .isEqualTo(
            NoncurrentVersionExpiration.builder()
                .noncurrentDays(30)
                .newerNoncurrentVersions(2)
                .build());
    assertThat(read.get(2).expiration().expiredObjectDeleteMarker()).isTrue();
    assertThat(read.get(2).abortIncompleteMultipartUpload())
        .isEqualTo(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(3).build());

    // The legacy top-level Prefix is understood too; a new configuration replaces the old one.
    @SuppressWarnings("deprecation")
    LifecycleRule legacy =
        LifecycleRule.builder()
            .id("legacy")
            .prefix("old/")
            .status(ExpirationStatus.ENABLED)
            .expiration(e -> e.days(1))
            .build();
    configure("config", legacy);
    read = s3.getBucketLifecycleConfiguration(b -> b.bucket("config")).rules();
    assertThat(read).extracting(LifecycleRule::id).containsExactly("legacy");
    assertThat(read.get(0).filter().prefix()).isEqualTo("old/");

    s3.deleteBucketLifecycle(b -> b.bucket("config"));
    assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("config")),
        404,
        "NoSuchLifecycleConfiguration");
    assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("nope")), 404, "NoSuchBucket");
  }

  @Test
  void objectResponsesSayWhenARuleExpiresTheObject() {
    s3.createBucket(b -> b.bucket("expiring"));
    configure(
        "expiring",
        rule("week", "logs/").expiration(e -> e.days(7)).build(),
        rule("off", "logs/").status(ExpirationStatus.DISABLED).expiration(e -> e.days(1)).build());
    String put =
        s3.putObject(b -> b.bucket("expiring").key("logs/a"), RequestBody.fromString("a"))
            .expiration();
    var head = s3.headObject(b -> b.bucket("expiring").key("logs/a"));
    String expected =
        "expiry-date=\""
            + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                head.lastModified()
                    .plus(Duration.ofDays(7))
                    .truncatedTo(ChronoUnit.DAYS)
                    .plus(Duration.ofDays(1))
                    .atOffset(ZoneOffset.UTC))
            + "\", rule-id=\"week\"";
    assertThat(put).isEqualTo(expected);
    assertThat(head.expiration()).isEqualTo(expected);
    assertThat(s3.getObject(b -> b.bucket("expiring").key("logs/a")).response().expiration())
        .isEqualTo(expected);
    s3.putObject(b -> b.bucket("expiring").key("other/b"), RequestBody.fromString("b"));
    assertThat(s3.headObject(b -> b.bucket("expiring").key("other/b")).expiration()).isNull();
    s3.deleteBucketLifecycle(b -> b.bucket("expiring"));
    assertThat(s3.headObject(b -> b.bucket("expiring").key("logs/a")).expiration()).isNull();
  }

  @Test
  void invalidConfigurationsAreRefusedAsS3RefusesThem() {
    s3.createBucket(b -> b.bucket("invalid"));
    LifecycleRule ok = rule("a", "a/").expiration(e -> e.days(1)).build();
    assertS3Error(() -> configure("invalid", ok, ok), 400, "InvalidArgument");
    assertS3Error(
        () -> configure("invalid", rule("zero", "").expiration(e -> e.days(0)).build()),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            configure(
                "invalid",
                rule("noon", "")
                    .expiration(e -> e.date(Instant.parse("2030-01-01T12:00:00Z")))
                    .build()),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            configure(
                "invalid",
                rule("both", "")
                    .expiration(e -> e.days(3).expiredObjectDeleteMarker(true))
                    .build()),
        400,
        "InvalidArgument");
    assertS3Error(() -> configure("invalid", rule("nothing", "").build()), 400, "InvalidArgument");
    // Shapes the SDK cannot even send (no Status, ...) are MalformedXML:
    // S3BucketConfigurationsTests.
    LifecycleRule[] tooMany =
        IntStream.range(0, 1001)
            .mapToObj(i -> rule("r" + i, "p" + i + "/").expiration(e -> e.days(1)).build())
            .toArray(LifecycleRule[]::new);
    assertS3Error(() -> configure("invalid", tooMany), 400, "InvalidArgument");
    // Bad tag and size filters: what S3 answers for each.
    assertS3Error(
        () ->
            configure(
                "invalid",
                filtered("and-of-one", LifecycleRuleAndOperator.builder().prefix("a/").build())
                    .expiration(e -> e.days(1))
                    .build()),
        400,
        "MalformedXML");
    assertS3Error(
        () ->
            configure(
                "invalid",
                filtered(
                        "empty-range",
                        LifecycleRuleAndOperator.builder()
                            .objectSizeGreaterThan(100L)
                            .objectSizeLessThan(100L)
                            .build())
                    .expiration(e -> e.days(1))
                    .build()),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            configure(
                "invalid",
                LifecycleRule.builder()
                    .id("negative")
                    .filter(f -> f.objectSizeGreaterThan(-1L))
                    .status(ExpirationStatus.ENABLED)
                    .expiration(e -> e.days(1))
                    .build()),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            configure(
                "invalid",
                LifecycleRule.builder()
                    .id("tagged-abort")
                    .filter(f -> f.tag(Tag.builder().key("class").value("temp").build()))
                    .status(ExpirationStatus.ENABLED)
                    .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1))
                    .build()),
        400,
        "InvalidRequest");
    // Exactly 1000 rules are fine; nothing invalid was stored on the way.
    LifecycleRule[] most = java.util.Arrays.copyOf(tooMany, 1000);
    assertS3Error(
        () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("invalid")),
        404,
        "NoSuchLifecycleConfiguration");
    configure("invalid", most);
    assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket("invalid")).rules()).hasSize(1000);
  }

  @Test
  void currentObjectsExpireByPrefixDaysAndDateButNotUnderADisabledRule() throws IOException {
    s3.createBucket(b -> b.bucket("plain"));
    Instant date = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(10));
    configure(
        "plain",
        rule("logs", "logs/").expiration(e -> e.days(1)).build(),
        rule("tmp", "tmp/").status(ExpirationStatus.DISABLED).expiration(e -> e.days(1)).build(),
        rule("dated", "dated/").expiration(e -> e.date(date)).build());
    put("plain", "logs/a", "logs/b", "keep/c", "tmp/d", "dated/e", "logsx");
    long blobs = blobFiles();

    runAt(inDays(1.0 / 24)); // not a day old yet
    assertThat(keys("plain"))
        .containsExactly("dated/e", "keep/c", "logs/a", "logs/b", "logsx", "tmp/d");

    LifecycleWorker.Report report = runAt(inDays(2));
    assertThat(keys("plain")).containsExactly("dated/e", "keep/c", "logsx", "tmp/d");
    assertThat(report.expired()).isGreaterThanOrEqualTo(2);
    assertThat(blobFiles()).isEqualTo(blobs - 2);
    assertThat(deletedEvents("plain")).isEqualTo(2);

    runAt(date.minusSeconds(60));
    assertThat(keys("plain")).contains("dated/e");
    runAt(date.plusSeconds(60));
    assertThat(keys("plain")).containsExactly("keep/c", "logsx", "tmp/d");
    assertThat(blobFiles()).isEqualTo(blobs - 3);
    assertThat(deletedEvents("plain")).isEqualTo(3);
  }

  @Test
  void versionedBucketsGetDeleteMarkersAndLoseNoncurrentVersionsAfterTheirDays() {
    s3.createBucket(b -> b.bucket("versioned"));
    s3.putBucketVersioning(
        b ->
            b.bucket("versioned")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    configure(
        "versioned",
        rule("current", "cur/").expiration(e -> e.days(1)).build(),
        rule("keep-one", "old/")
            .noncurrentVersionExpiration(n -> n.noncurrentDays(3).newerNoncurrentVersions(1))
            .build(),
        rule("noncurrent", "nc/").noncurrentVersionExpiration(n -> n.noncurrentDays(3)).build(),
        rule("markers", "dm/")
            .expiration(e -> e.expiredObjectDeleteMarker(true))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
            .build());
    put("versioned", "cur/x", "old/y", "old/y", "old/y", "nc/z", "nc/z", "dm/w");
    s3.deleteObject(b -> b.bucket("versioned").key("dm/w"));
    put("versioned", "dm/solo");
    String solo = versions("dm/solo").get(0).versionId();
    s3.deleteObject(b -> b.bucket("versioned").key("dm/solo"));
    s3.deleteObject(b -> b.bucket("versioned").key("dm/solo").versionId(solo));
    List<ObjectVersion> oldY = versions("old/y");
    List<ObjectVersion> ncZ = versions("nc/z");

    runAt(inDays(2));
    // The current version expired into a delete marker; its bytes stay as a noncurrent version.
    assertThat(versions("cur/x")).hasSize(1).allMatch(v -> !v.isLatest());
    assertThat(markers("cur/x")).hasSize(1).allMatch(DeleteMarkerEntry::isLatest);
    // A delete marker with nothing left behind it is removed; one hiding a version is not.
    assertThat(markers("dm/solo")).isEmpty();
    // dm/w's old version went (one noncurrent day); its marker, alone only since then, stays
    // until the next pass.
    assertThat(versions("dm/w")).isEmpty();
    assertThat(markers("dm/w")).hasSize(1);
    // Three days after becoming noncurrent is not reached yet.
    assertThat(versions("old/y")).hasSize(3);
    assertThat(versions("nc/z")).hasSize(2);

    runAt(inDays(5));
    assertThat(versions("old/y"))
        .extracting(ObjectVersion::versionId)
        .containsExactly(oldY.get(0).versionId(), oldY.get(1).versionId());
    assertThat(versions("nc/z"))
        .extracting(ObjectVersion::versionId)
        .containsExactly(ncZ.get(0).versionId());
    assertThat(versions("cur/x")).hasSize(1); // no noncurrent rule for cur/
    assertThat(markers("dm/w")).isEmpty();
    assertThat(deletedEvents("versioned")).isGreaterThanOrEqualTo(6);
  }

  List<ObjectVersion> versions(String key) {
    return s3.listObjectVersions(b -> b.bucket("versioned").prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  List<DeleteMarkerEntry> markers(String key) {
    return s3.listObjectVersions(b -> b.bucket("versioned").prefix(key)).deleteMarkers().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  static LifecycleRule.Builder filtered(String id, LifecycleRuleAndOperator and) {
    return LifecycleRule.builder()
        .id(id)
        .filter(LifecycleRuleFilter.builder().and(and).build())
        .status(ExpirationStatus.ENABLED);
  }

  void put(String bucket, String key, int size, String tagging) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).tagging(tagging), RequestBody.fromBytes(new byte[size]));
  }

  @Test
  void tagAndSizeFiltersExpireOnlyTheObjectsTheySelect() {
    s3.createBucket(b -> b.bucket("filtered"));
    Tag temp = Tag.builder().key("class").value("temp").build();
    Tag team = Tag.builder().key("team").value("a").build();
    LifecycleRule byTag =
        LifecycleRule.builder()
            .id("by-tag")
            .filter(f -> f.tag(temp))
            .status(ExpirationStatus.ENABLED)
            .expiration(e -> e.days(1))
            .build();
    LifecycleRule bySize =
        LifecycleRule.builder()
            .id("by-size")
            .filter(f -> f.objectSizeGreaterThan(1000L))
            .status(ExpirationStatus.ENABLED)
            .expiration(e -> e.days(3))
            .build();
    LifecycleRule byAll =
        filtered(
                "by-all",
                LifecycleRuleAndOperator.builder()
                    .prefix("logs/")
                    .tags(temp, team)
                    .objectSizeGreaterThan(10L)
                    .objectSizeLessThan(100L)
                    .build())
            .expiration(e -> e.days(1))
            .build();
    // by-tag and by-all both expire after a day; by-size after three.
    configure("filtered", byTag);
    put("filtered", "t/tagged", 5, "class=temp&other=x"); // extra tags do not matter
    put("filtered", "t/other-value", 5, "class=keep");
    put("filtered", "t/untagged", 5, null);
    put("filtered", "t/tag-removed", 5, "class=temp");
    s3.deleteObjectTagging(b -> b.bucket("filtered").key("t/tag-removed"));
    runAt(inDays(2));
    assertThat(keys("filtered")).containsExactly("t/other-value", "t/tag-removed", "t/untagged");

    configure("filtered", bySize, byAll);
    // The rule reads back as it was put.
    List<LifecycleRule> read =
        s3.getBucketLifecycleConfiguration(b -> b.bucket("filtered")).rules();
    assertThat(read.get(0).filter()).isEqualTo(bySize.filter());
    assertThat(read.get(1).filter()).isEqualTo(byAll.filter());

    put("filtered", "big", 1001, null);
    put("filtered", "edge", 1000, null); // not greater than 1000
    put("filtered", "logs/match", 50, "class=temp&team=a");
    put("filtered", "logs/one-tag", 50, "class=temp");
    put("filtered", "logs/small", 10, "class=temp&team=a"); // not greater than 10
    put("filtered", "logs/large", 100, "class=temp&team=a"); // not less than 100
    put("filtered", "other/match", 50, "class=temp&team=a");
    // x-amz-expiration names the rule that selects the object, by its tags and size too.
    assertThat(expiration("filtered", "logs/match")).contains("rule-id=\"by-all\"");
    assertThat(expiration("filtered", "big")).contains("rule-id=\"by-size\"");
    assertThat(expiration("filtered", "logs/one-tag")).isNull();
    assertThat(expiration("filtered", "edge")).isNull();
    assertThat(
            s3.putObject(
                    b -> b.bucket("filtered").key("logs/put").tagging("class=temp&team=a"),
                    RequestBody.fromBytes(new byte[20]))
                .expiration())
        .contains("rule-id=\"by-all\"");
    s3.deleteObject(b -> b.bucket("filtered").key("logs/put"));
    runAt(inDays(2));
    assertThat(keys("filtered"))
        .containsExactly(
            "big",
            "edge",
            "logs/large",
            "logs/one-tag",
            "logs/small",
            "other/match",
            "t/other-value",
            "t/tag-removed",
            "t/untagged");
    runAt(inDays(4));
    assertThat(keys("filtered")).doesNotContain("big").contains("edge", "logs/large");
  }

  @Test
  void rulesStoredBeforeTagAndSizeFiltersStillReadAndApply() {
    s3.createBucket(b -> b.bucket("older"));
    configure("older", rule("placeholder", "x/").expiration(e -> e.days(9)).build());
    // A rule as stored before filters had tags and sizes (no such fields in its JSON).
    db.sql(
            "UPDATE storage_bucket_lifecycle SET rules = CAST(:r AS jsonb) WHERE bucket_id ="
                + " (SELECT id FROM storage_buckets WHERE service_id = :s AND name = 'older')")
        .bind(
            "r",
            "[{\"id\":\"old\",\"prefix\":\"logs/\",\"enabled\":true,\"expiration\":"
                + "{\"days\":1,\"date\":null,\"expiredObjectDeleteMarker\":false},"
                + "\"noncurrentExpiration\":null,\"abortIncompleteUploadDays\":null}]")
        .bind("s", service)
        .fetch()
        .rowsUpdated()
        .block();
    List<LifecycleRule> read = s3.getBucketLifecycleConfiguration(b -> b.bucket("older")).rules();
    assertThat(read).hasSize(1);
    assertThat(read.get(0).filter().prefix()).isEqualTo("logs/");
    assertThat(read.get(0).filter().and()).isNull();
    put("older", "logs/a", "keep/b");
    runAt(inDays(2));
    assertThat(keys("older")).containsExactly("keep/b");
  }

  /**
   * boto3, as a Python user would write it: an And filter reads back, bad filters get S3's codes.
   */
  @Test
  void boto3PutsAndReadsTagAndSizeFilters() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("python3", "-c", "import boto3").start().waitFor() == 0,
        "no python3 with boto3");
    s3.createBucket(b -> b.bucket("boto"));
    String key = S3TestClients.newKey(tenant, service);
    String script =
        """
        import os, boto3, botocore
        s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
            aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
            config=botocore.config.Config(s3={"addressing_style": "path"}))
        rule = {"ID": "r", "Status": "Enabled", "Expiration": {"Days": 3},
            "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "class", "Value": "temp"}],
                "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 1000}}}
        s3.put_bucket_lifecycle_configuration(Bucket="boto",
            LifecycleConfiguration={"Rules": [rule]})
        got = s3.get_bucket_lifecycle_configuration(Bucket="boto")["Rules"][0]["Filter"]
        print("same" if got == rule["Filter"] else "differs: %r" % got)
        for name, f in [("one", {"And": {"Prefix": "a/"}}),
                        ("range", {"ObjectSizeGreaterThan": 5, "ObjectSizeLessThan": 5}),
                        ("negative", {"ObjectSizeLessThan": -2})]:
            bad = dict(rule, Filter=f)
            try:
                s3.put_bucket_lifecycle_configuration(Bucket="boto",
                    LifecycleConfiguration={"Rules": [bad]})
                print(name, "accepted")
            except botocore.exceptions.ClientError as e:
                print(name, e.response["Error"]["Code"])
        """;
    ProcessBuilder builder = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
    builder.environment().put("ENDPOINT", S3TestClients.endpoint(port).toString());
    builder.environment().put("KEY", key);
    builder.environment().put("SECRET", S3TestClients.secret(key));
    Process process = builder.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    // Both sizes in one Filter (not in And) is MalformedXML; boto3 sends them as given.
    assertThat(output.lines())
        .containsExactly(
            "same", "one MalformedXML", "range MalformedXML", "negative InvalidArgument");
  }

  String expiration(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).expiration();
  }

  @Test
  void noncurrentVersionsExpireByTheirOwnTags() {
    s3.createBucket(b -> b.bucket("versioned"));
    s3.putBucketVersioning(
        b ->
            b.bucket("versioned")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    configure(
        "versioned",
        LifecycleRule.builder()
            .id("scratch")
            .filter(f -> f.tag(Tag.builder().key("scratch").value("yes").build()))
            .status(ExpirationStatus.ENABLED)
            .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
            .build());
    put("versioned", "doc", 5, "scratch=yes");
    put("versioned", "doc", 5, null);
    put("versioned", "doc", 5, "scratch=yes"); // current: never touched by a noncurrent rule
    List<ObjectVersion> before = versions("doc");
    assertThat(before).hasSize(3);

    runAt(inDays(3));
    // The untagged noncurrent version stays; the tagged one went.
    assertThat(versions("doc"))
        .extracting(ObjectVersion::versionId)
        .containsExactly(before.get(0).versionId(), before.get(1).versionId());
  }

  @Test
  void incompleteMultipartUploadsAreAbortedAfterTheirDays() throws IOException {
    s3.createBucket(b -> b.bucket("uploads"));
    configure(
        "uploads",
        rule("abort", "up/").abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build());
    String stale = s3.createMultipartUpload(b -> b.bucket("uploads").key("up/a")).uploadId();
    s3.uploadPart(
        b -> b.bucket("uploads").key("up/a").uploadId(stale).partNumber(1),
        RequestBody.fromString("part one"));
    String other = s3.createMultipartUpload(b -> b.bucket("uploads").key("other/b")).uploadId();
    long blobs = blobFiles();

    runAt(inDays(1));
    assertThat(uploads()).containsExactlyInAnyOrder(stale, other);
    LifecycleWorker.Report report = runAt(inDays(3));
    assertThat(uploads()).containsExactly(other);
    assertThat(report.uploadsAborted()).isGreaterThanOrEqualTo(1);
    assertThat(blobFiles()).isEqualTo(blobs - 1);
  }

  List<String> uploads() {
    return s3.listMultipartUploads(b -> b.bucket("uploads")).uploads().stream()
        .map(MultipartUpload::uploadId)
        .toList();
  }

  @Test
  void anObjectRewrittenAfterItWasFoundDueIsNotExpired() throws InterruptedException {
    var instance = instances.require(tenant, service).block();
    s3.createBucket(b -> b.bucket("guard"));
    s3.createBucket(b -> b.bucket("guard-versioned"));
    s3.putBucketVersioning(
        b ->
            b.bucket("guard-versioned")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    for (String bucket : List.of("guard", "guard-versioned")) {
      put(bucket, "k");
      Thread.sleep(5);
      Instant foundDue = Instant.now(); // the worker's cutoff: "k" was written before it
      Thread.sleep(5);
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("rewritten"));

      var skipped = objectService.expire(instance, bucket, "k", foundDue).block();
      assertThat(skipped.existed()).isFalse();
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("rewritten");
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers()).isEmpty();

      assertThat(objectService.expire(instance, bucket, "k", Instant.now()).block().existed())
          .isTrue();
      assertThat(keys(bucket)).isEmpty();
    }
  }

  @Test
  void aBrokenBucketDoesNotStopTheOthers() {
    s3.createBucket(b -> b.bucket("broken"));
    s3.createBucket(b -> b.bucket("healthy"));
    configure("broken", rule("all", "").expiration(e -> e.days(1)).build());
    configure("healthy", rule("all", "").expiration(e -> e.days(1)).build());
    put("broken", "b");
    put("healthy", "h");
    db.sql(
            "UPDATE storage_bucket_lifecycle SET rules = '\"not rules\"'::jsonb WHERE bucket_id ="
                + " (SELECT id FROM storage_buckets WHERE service_id = :s AND name = 'broken')")
        .bind("s", service)
        .fetch()
        .rowsUpdated()
        .block();

    LifecycleWorker.Report report = runAt(inDays(2));
    assertThat(report.failedBuckets()).isGreaterThanOrEqualTo(1);
    assertThat(keys("healthy")).isEmpty();
    assertThat(keys("broken")).containsExactly("b");
  }

  @Test
  void twoWorkersNeverApplyOneBucketTwice() {
    s3.createBucket(b -> b.bucket("shared"));
    s3.putBucketVersioning(
        b ->
            b.bucket("shared")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    configure("shared", rule("all", "").expiration(e -> e.days(1)).build());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      keys.add(String.format("k%04d", i));
    }
    put("shared", keys.toArray(String[]::new));

    // Another instance holds the bucket: this worker leaves it alone.
    setLease("shared", "other-instance", "now() + interval '1 hour'");
    runAt(inDays(2));
    assertThat(keys("shared")).hasSize(450);
    setLease("shared", null, "NULL");

    // Two workers (as two instances would) at once: each key gets exactly one delete marker.
    LifecycleWorker second =
        new LifecycleWorker(
            repository,
            instances,
            objectService,
            multipartService,
            Clock.systemUTC(),
            Duration.ofMinutes(5));
    Clock later = Clock.fixed(inDays(2), ZoneOffset.UTC);
    var reports = Mono.zip(worker.run(later), second.run(later)).block(Duration.ofSeconds(120));
    assertThat(reports.getT1().expired() + reports.getT2().expired()).isEqualTo(450);
    assertThat(keys("shared")).isEmpty();
    var listed = s3.listObjectVersions(b -> b.bucket("shared"));
    assertThat(listed.deleteMarkers()).hasSize(450);
    assertThat(listed.versions()).hasSize(450);
  }

  void setLease(String bucket, String owner, String until) {
    db.sql(
            "UPDATE storage_bucket_lifecycle SET lease_owner = :o, lease_until = "
                + until
                + " WHERE bucket_id = (SELECT id FROM storage_buckets WHERE service_id = :s AND"
                + " name = :n)")
        .bind("o", owner == null ? "" : owner)
        .bind("s", service)
        .bind("n", bucket)
        .fetch()
        .rowsUpdated()
        .block();
  }
}
