package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's conditional writes with the AWS SDK v2: {@code If-None-Match: *} and {@code If-Match} on
 * PutObject, CopyObject (the destination's condition) and CompleteMultipartUpload, 412
 * PreconditionFailed when the condition does not hold as the write begins, 409
 * ConditionalRequestConflict when a concurrent writer of the key made it false meanwhile; and
 * exactly one winner among concurrent writers.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3ConditionalWritesIT {

  private static final int WRITERS = 8;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3cond");
    // Every commit a statement of its own, so that concurrent writers meet at the key's lock.
    registry.add("cumulus.storage.commit-batch.max-in-flight", () -> "" + WRITERS);
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  S3Client s3;
  ExecutorService pool;

  @BeforeEach
  void bucket() {
    String tenant = "t-" + UUID.randomUUID();
    String service = UUID.randomUUID().toString();
    instances.created(service, "s3storage", tenant, "conditional").block(Duration.ofSeconds(10));
    String key = S3TestClients.newKey(tenant, service);
    s3 =
        S3TestClients.builder(port, key, S3TestClients.secret(key))
            .httpClient(Apache5HttpClient.builder().maxConnections(WRITERS * 2).build())
            // A 409 is the test's to see, not the SDK's to retry.
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    s3.createBucket(b -> b.bucket("cond"));
    pool = Executors.newFixedThreadPool(WRITERS);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  String read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket("cond").key(key)).asUtf8String();
  }

  @Test
  void ifNoneMatchStarWritesOnlyAKeyWithoutAnObject() {
    s3.putObject(b -> b.bucket("cond").key("k").ifNoneMatch("*"), RequestBody.fromString("one"));
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("k").ifNoneMatch("*"), RequestBody.fromString("two")),
        412,
        "PreconditionFailed");
    assertThat(read("k")).isEqualTo("one");

    s3.deleteObject(b -> b.bucket("cond").key("k"));
    s3.putObject(b -> b.bucket("cond").key("k").ifNoneMatch("*"), RequestBody.fromString("three"));
    assertThat(read("k")).isEqualTo("three");

    // S3 takes only "*" there.
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("k").ifNoneMatch("\"abc\""),
                RequestBody.fromString("four")),
        501,
        "NotImplemented");
  }

  @Test
  void aDeleteMarkerIsNoObjectToIfNoneMatch() {
    s3.putBucketVersioning(
        b ->
            b.bucket("cond")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putObject(b -> b.bucket("cond").key("v"), RequestBody.fromString("first"));
    s3.deleteObject(b -> b.bucket("cond").key("v"));
    s3.putObject(b -> b.bucket("cond").key("v").ifNoneMatch("*"), RequestBody.fromString("again"));
    assertThat(read("v")).isEqualTo("again");
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("v").ifNoneMatch("*"), RequestBody.fromString("no")),
        412,
        "PreconditionFailed");
  }

  @Test
  void ifMatchWritesOnlyOverTheNamedEtag() {
    String first =
        s3.putObject(b -> b.bucket("cond").key("m"), RequestBody.fromString("first")).eTag();
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("m").ifMatch("\"0123456789abcdef0123456789abcdef\""),
                RequestBody.fromString("second")),
        412,
        "PreconditionFailed");
    assertThat(read("m")).isEqualTo("first");

    s3.putObject(b -> b.bucket("cond").key("m").ifMatch(first), RequestBody.fromString("second"));
    assertThat(read("m")).isEqualTo("second");
    // The ETag it matched is gone now.
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("m").ifMatch(first), RequestBody.fromString("third")),
        412,
        "PreconditionFailed");

    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("none").ifMatch(first), RequestBody.fromString("x")),
        404,
        "NoSuchKey");
  }

  @Test
  void completeMultipartUploadIsAConditionalWriteToo() {
    String existing =
        s3.putObject(b -> b.bucket("cond").key("big"), RequestBody.fromString("small")).eTag();
    String upload = s3.createMultipartUpload(b -> b.bucket("cond").key("big")).uploadId();
    String part =
        s3.uploadPart(
                b -> b.bucket("cond").key("big").uploadId(upload).partNumber(1),
                RequestBody.fromString("assembled"))
            .eTag();

    assertS3Error(
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket("cond")
                        .key("big")
                        .uploadId(upload)
                        .ifNoneMatch("*")
                        .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(part)))),
        412,
        "PreconditionFailed");
    assertS3Error(
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket("cond")
                        .key("big")
                        .uploadId(upload)
                        .ifMatch("\"0123456789abcdef0123456789abcdef\"")
                        .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(part)))),
        412,
        "PreconditionFailed");
    // Refused, the upload is still there, parts and all.
    assertThat(read("big")).isEqualTo("small");
    assertThat(s3.listParts(b -> b.bucket("cond").key("big").uploadId(upload)).parts()).hasSize(1);

    s3.completeMultipartUpload(
        b ->
            b.bucket("cond")
                .key("big")
                .uploadId(upload)
                .ifMatch(existing)
                .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(part))));
    assertThat(read("big")).isEqualTo("assembled");

    String fresh = s3.createMultipartUpload(b -> b.bucket("cond").key("new")).uploadId();
    String freshPart =
        s3.uploadPart(
                b -> b.bucket("cond").key("new").uploadId(fresh).partNumber(1),
                RequestBody.fromString("new one"))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("cond")
                .key("new")
                .uploadId(fresh)
                .ifNoneMatch("*")
                .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(freshPart))));
    assertThat(read("new")).isEqualTo("new one");
  }

  @Test
  void copyObjectTakesTheDestinationsIfNoneMatchAndIfMatch() {
    String source =
        s3.putObject(b -> b.bucket("cond").key("src"), RequestBody.fromString("source")).eTag();
    String existing =
        s3.putObject(b -> b.bucket("cond").key("dst"), RequestBody.fromString("old")).eTag();

    // If-None-Match: * over an existing destination.
    assertS3Error(() -> copy("dst", b -> b.ifNoneMatch("*")), 412, "PreconditionFailed");
    // If-Match naming another ETag than the destination's (the source's, for instance).
    assertS3Error(() -> copy("dst", b -> b.ifMatch(source)), 412, "PreconditionFailed");
    assertS3Error(
        () -> copy("dst", b -> b.ifMatch("\"0123456789abcdef0123456789abcdef\"")),
        412,
        "PreconditionFailed");
    assertThat(read("dst")).isEqualTo("old");
    // If-Match on a destination without an object.
    assertS3Error(() -> copy("absent", b -> b.ifMatch(existing)), 404, "NoSuchKey");
    // Only "*" is taken in If-None-Match.
    assertS3Error(() -> copy("dst", b -> b.ifNoneMatch(existing)), 501, "NotImplemented");
    assertThat(
            s3.listObjectsV2(b -> b.bucket("cond")).contents().stream().map(o -> o.key()).toList())
        .containsExactlyInAnyOrder("src", "dst");

    // The conditions that hold let the copy through.
    copy("dst", b -> b.ifMatch(existing));
    assertThat(read("dst")).isEqualTo("source");
    copy("fresh", b -> b.ifNoneMatch("*"));
    assertThat(read("fresh")).isEqualTo("source");
    // The source's own conditions (x-amz-copy-source-if-*) are still the source's.
    copy("dst", b -> b.ifMatch(source).copySourceIfMatch(source));
    assertS3Error(
        () -> copy("other", b -> b.ifNoneMatch("*").copySourceIfNoneMatch(source)),
        412,
        "PreconditionFailed");
  }

  @Test
  void aDeleteMarkerIsNoObjectToACopysIfNoneMatch() {
    s3.putBucketVersioning(
        b ->
            b.bucket("cond")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putObject(b -> b.bucket("cond").key("src"), RequestBody.fromString("source"));
    s3.putObject(b -> b.bucket("cond").key("gone"), RequestBody.fromString("before"));
    s3.deleteObject(b -> b.bucket("cond").key("gone"));
    copy("gone", b -> b.ifNoneMatch("*"));
    assertThat(read("gone")).isEqualTo("source");
  }

  @Test
  void ofConcurrentIfNoneMatchCopiesToOneKeyExactlyOneWins() throws Exception {
    for (int i = 0; i < WRITERS; i++) {
      int n = i;
      s3.putObject(b -> b.bucket("cond").key("src-" + n), RequestBody.fromString("copy " + n));
    }
    List<Integer> statuses =
        race(
            i ->
                () -> {
                  try {
                    s3.copyObject(
                        b ->
                            b.sourceBucket("cond")
                                .sourceKey("src-" + i)
                                .destinationBucket("cond")
                                .destinationKey("copied")
                                .ifNoneMatch("*"));
                    return 200;
                  } catch (S3Exception e) {
                    return e.statusCode();
                  }
                });
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).allMatch(s -> s == 200 || s == 412 || s == 409);
    assertThat(read("copied")).isEqualTo("copy " + statuses.indexOf(200));
  }

  /** CopyObject of "src" onto {@code destination}, with the conditions {@code conditions} adds. */
  void copy(
      String destination,
      java.util.function.Consumer<
              software.amazon.awssdk.services.s3.model.CopyObjectRequest.Builder>
          conditions) {
    s3.copyObject(
        b -> {
          b.sourceBucket("cond")
              .sourceKey("src")
              .destinationBucket("cond")
              .destinationKey(destination);
          conditions.accept(b);
        });
  }

  @Test
  void ofConcurrentIfNoneMatchWritersOfOneKeyExactlyOneWins() throws Exception {
    List<Integer> statuses = race(i -> () -> put("race", "writer " + i, null));
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).allMatch(s -> s == 200 || s == 412 || s == 409);
    int winner = statuses.indexOf(200);
    assertThat(read("race")).isEqualTo("writer " + winner);
  }

  @Test
  void ofConcurrentIfMatchWritersOverOneEtagExactlyOneWins() throws Exception {
    String etag =
        s3.putObject(b -> b.bucket("cond").key("cas"), RequestBody.fromString("start")).eTag();
    List<Integer> statuses = race(i -> () -> put("cas", "writer " + i, etag));
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).allMatch(s -> s == 200 || s == 412 || s == 409);
    assertThat(read("cas")).isEqualTo("writer " + statuses.indexOf(200));
  }

  /** A conditional PUT's status: If-Match {@code etag}, or If-None-Match: * when it is null. */
  int put(String key, String body, String etag) {
    try {
      s3.putObject(
          b -> {
            b.bucket("cond").key(key);
            if (etag == null) {
              b.ifNoneMatch("*");
            } else {
              b.ifMatch(etag);
            }
          },
          RequestBody.fromString(body));
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }

  /** Runs {@link #WRITERS} calls at once; their results in writer order. */
  List<Integer> race(java.util.function.IntFunction<Callable<Integer>> writer) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      Callable<Integer> call = writer.apply(i);
      results.add(
          pool.submit(
              () -> {
                start.await();
                return call.call();
              }));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> result : results) {
      statuses.add(result.get(60, TimeUnit.SECONDS));
    }
    return statuses;
  }
}
