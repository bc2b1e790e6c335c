package dev.cumulus.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bad input and calls this endpoint does not serve, with the stock AWS SDK v2: each gets S3's 4xx
 * (or 501 NotImplemented, or the right answer), never a 500. Every case has a bucket {@code bkt}
 * holding object {@code k}; a status of 200 means the call must succeed.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3BadInputIT {

  private static final String NUL = "a\0b";

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3bad");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  S3Client s3;

  @BeforeEach
  void bucketWithObject() {
    s3 =
        S3TestClients.clientForNewInstance(
            instances,
            port,
            "t-" + UUID.randomUUID(),
            UUID.randomUUID().toString(),
            "bad-input",
            UrlConnectionHttpClient.create());
    s3.createBucket(b -> b.bucket("bkt"));
    s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromString("hello"));
  }

  static Arguments answer(String name, Consumer<S3Client> call, int status, String code) {
    return Arguments.of(name, call, status, code);
  }

  static Stream<Arguments> cases() {
    String nulToken =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(NUL.getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        answer("GetObjectAcl", s -> s.getObjectAcl(b -> b.bucket("bkt").key("k")), 200, null),
        answer("GetBucketAcl", s -> s.getBucketAcl(b -> b.bucket("bkt")), 200, null),
        answer(
            "GetObjectTagging", s -> s.getObjectTagging(b -> b.bucket("bkt").key("k")), 200, null),
        answer(
            "GetObjectLockConfiguration, missing bucket",
            s -> s.getObjectLockConfiguration(b -> b.bucket("no-such-bucket")),
            404,
            "NoSuchBucket"),
        answer(
            "GetObjectRetention, missing bucket",
            s -> s.getObjectRetention(b -> b.bucket("no-such-bucket").key("k")),
            404,
            "NoSuchBucket"),
        answer(
            "GetObjectLegalHold, missing bucket",
            s -> s.getObjectLegalHold(b -> b.bucket("no-such-bucket").key("k")),
            404,
            "NoSuchBucket"),
        answer(
            "PutObjectLegalHold, missing bucket",
            s ->
                s.putObjectLegalHold(
                    b -> b.bucket("no-such-bucket").key("k").legalHold(h -> h.status("ON"))),
            404,
            "NoSuchBucket"),
        answer(
            "PutObjectRetention, missing bucket",
            s ->
                s.putObjectRetention(
                    b ->
                        b.bucket("no-such-bucket")
                            .key("k")
                            .retention(
                                r ->
                                    r.mode("GOVERNANCE")
                                        .retainUntilDate(java.time.Instant.now().plusSeconds(99)))),
            404,
            "NoSuchBucket"),
        answer(
            "PutObjectLockConfiguration, missing bucket",
            s ->
                s.putObjectLockConfiguration(
                    b ->
                        b.bucket("no-such-bucket")
                            .objectLockConfiguration(c -> c.objectLockEnabled("Enabled"))),
            404,
            "NoSuchBucket"),
        answer(
            "NUL in prefix",
            s -> s.listObjectsV2(b -> b.bucket("bkt").prefix(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in delimiter",
            s -> s.listObjectsV2(b -> b.bucket("bkt").delimiter(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in start-after",
            s -> s.listObjectsV2(b -> b.bucket("bkt").startAfter(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in continuation-token",
            s -> s.listObjectsV2(b -> b.bucket("bkt").continuationToken(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL behind a continuation-token",
            s -> s.listObjectsV2(b -> b.bucket("bkt").continuationToken(nulToken)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in marker",
            s -> s.listObjects(b -> b.bucket("bkt").marker(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in KeyMarker",
            s -> s.listObjectVersions(b -> b.bucket("bkt").keyMarker(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in VersionIdMarker",
            s -> s.listObjectVersions(b -> b.bucket("bkt").keyMarker("k").versionIdMarker(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in upload KeyMarker",
            s -> s.listMultipartUploads(b -> b.bucket("bkt").keyMarker(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in GetObject versionId",
            s -> s.getObject(b -> b.bucket("bkt").key("k").versionId(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in HeadObject versionId",
            s -> s.headObject(b -> b.bucket("bkt").key("k").versionId(NUL)),
            400,
            null),
        answer(
            "NUL in DeleteObject versionId",
            s -> s.deleteObject(b -> b.bucket("bkt").key("k").versionId(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in ListParts uploadId",
            s -> s.listParts(b -> b.bucket("bkt").key("k").uploadId(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in UploadPart uploadId",
            s ->
                s.uploadPart(
                    b -> b.bucket("bkt").key("k").uploadId(NUL).partNumber(1),
                    RequestBody.fromString("part")),
            400,
            "InvalidArgument"),
        answer(
            "NUL in AbortMultipartUpload uploadId",
            s -> s.abortMultipartUpload(b -> b.bucket("bkt").key("k").uploadId(NUL)),
            400,
            "InvalidArgument"),
        answer(
            "NUL in CompleteMultipartUpload uploadId",
            s ->
                s.completeMultipartUpload(
                    b ->
                        b.bucket("bkt")
                            .key("k")
                            .uploadId(NUL)
                            .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag("\"0\"")))),
            400,
            "InvalidArgument"),
        answer(
            "NUL in x-amz-copy-source",
            s ->
                s.copyObject(
                    b ->
                        b.sourceBucket("bkt")
                            .sourceKey(NUL)
                            .destinationBucket("bkt")
                            .destinationKey("c")),
            400,
            "InvalidArgument"),
        answer(
            "NUL in x-amz-copy-source versionId",
            s ->
                s.copyObject(
                    b ->
                        b.sourceBucket("bkt")
                            .sourceKey("k")
                            .sourceVersionId(NUL)
                            .destinationBucket("bkt")
                            .destinationKey("c")),
            400,
            "InvalidArgument"),
        answer(
            "NUL in UploadPartCopy x-amz-copy-source",
            s -> {
              String upload = s.createMultipartUpload(b -> b.bucket("bkt").key("m")).uploadId();
              s.uploadPartCopy(
                  b ->
                      b.sourceBucket("bkt")
                          .sourceKey(NUL)
                          .destinationBucket("bkt")
                          .destinationKey("m")
                          .uploadId(upload)
                          .partNumber(1));
            },
            400,
            "InvalidArgument"),
        answer(
            "an empty object PUT twice",
            s -> {
              s.putObject(b -> b.bucket("bkt").key("empty"), RequestBody.empty());
              s.putObject(b -> b.bucket("bkt").key("empty"), RequestBody.empty());
              assertThat(s.getObjectAsBytes(b -> b.bucket("bkt").key("empty")).asByteArray())
                  .isEmpty();
            },
            200,
            null),
        answer(
            "a metadata-replacing copy onto itself without Content-Type",
            s -> {
              s.copyObject(
                  b ->
                      b.sourceBucket("bkt")
                          .sourceKey("k")
                          .destinationBucket("bkt")
                          .destinationKey("k")
                          .metadataDirective("REPLACE")
                          .metadata(java.util.Map.of("colour", "blue")));
              var head = s.headObject(b -> b.bucket("bkt").key("k"));
              assertThat(head.contentType()).isEqualTo("application/octet-stream");
              assertThat(head.metadata()).containsEntry("colour", "blue");
            },
            200,
            null),
        answer(
            "a copy onto itself that changes nothing",
            s ->
                s.copyObject(
                    b ->
                        b.sourceBucket("bkt")
                            .sourceKey("k")
                            .destinationBucket("bkt")
                            .destinationKey("k")),
            400,
            "InvalidRequest"),
        answer(
            "a copy onto itself that replaces its tags",
            s ->
                s.copyObject(
                    b ->
                        b.sourceBucket("bkt")
                            .sourceKey("k")
                            .destinationBucket("bkt")
                            .destinationKey("k")
                            .taggingDirective("REPLACE")
                            .tagging("state=copied")),
            200,
            null),
        answer(
            "a metadata-replacing copy with a wildcard Content-Type",
            s ->
                s.copyObject(
                    b ->
                        b.sourceBucket("bkt")
                            .sourceKey("k")
                            .destinationBucket("bkt")
                            .destinationKey("c")
                            .metadataDirective("REPLACE")
                            .contentType("*/*")),
            400,
            "InvalidArgument"),
        answer(
            "GetObjectAcl of a missing key",
            s -> s.getObjectAcl(b -> b.bucket("bkt").key("none")),
            404,
            "NoSuchKey"),
        answer(
            "GetObjectLockConfiguration",
            s -> s.getObjectLockConfiguration(b -> b.bucket("bkt")),
            404,
            "ObjectLockConfigurationNotFoundError"),
        answer(
            "GetObjectRetention",
            s -> s.getObjectRetention(b -> b.bucket("bkt").key("k")),
            400,
            "InvalidRequest"),
        answer(
            "an unknown sub-resource",
            s -> s.getObjectTorrent(b -> b.bucket("bkt").key("k")),
            501,
            "NotImplemented"),
        answer(
            "an unserved bucket configuration",
            s -> s.getBucketWebsite(b -> b.bucket("bkt")),
            501,
            "NotImplemented"),
        answer(
            "an unserved configuration of a missing bucket",
            s -> s.getBucketWebsite(b -> b.bucket("no-such-bucket")),
            404,
            "NoSuchBucket"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithS3sCodeNeverA500(String name, Consumer<S3Client> call, int status, String code) {
    try {
      call.accept(s3);
    } catch (S3Exception e) {
      String got = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      assertThat(e.statusCode()).as(name + ": " + e.getMessage()).isEqualTo(status);
      if (code != null) {
        assertThat(got).as(name).isEqualTo(code);
      }
      return;
    }
    if (status != 200) {
      fail(name + " succeeded; expected " + status + " " + code);
    }
  }
}
