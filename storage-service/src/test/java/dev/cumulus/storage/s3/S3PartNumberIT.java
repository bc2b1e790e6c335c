package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * GetObject and HeadObject with {@code partNumber}, with the AWS SDK v2: an object completed from a
 * multipart upload keeps its part boundaries (part N is the N-th part its Complete listed), each
 * read is a ranged 206 with {@code x-amz-mp-parts-count}; an object written in one part has one
 * part, the whole object; a part past the last is 416 InvalidPartNumber.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3PartNumberIT {

  private static final int MIB = 1024 * 1024;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3parts");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  S3Client s3;
  final Random random = new Random(31);

  @BeforeEach
  void bucket() {
    s3 =
        S3TestClients.clientForNewInstance(
            instances,
            port,
            "t-" + UUID.randomUUID(),
            UUID.randomUUID().toString(),
            "parts",
            UrlConnectionHttpClient.create());
    s3.createBucket(b -> b.bucket("parts"));
  }

  byte[] bytes(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  /** Uploads {@code parts} as parts 1..n of a multipart upload of {@code key} and completes it. */
  void multipart(
      String key, List<byte[]> parts, Consumer<CreateMultipartUploadRequest.Builder> create) {
    String upload =
        s3.createMultipartUpload(
                b -> {
                  b.bucket("parts").key(key);
                  create.accept(b);
                })
            .uploadId();
    List<CompletedPart> completed = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int number = i + 1;
      String etag =
          s3.uploadPart(
                  b -> b.bucket("parts").key(key).uploadId(upload).partNumber(number),
                  RequestBody.fromBytes(parts.get(number - 1)))
              .eTag();
      completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        b -> b.bucket("parts").key(key).uploadId(upload).multipartUpload(u -> u.parts(completed)));
  }

  ResponseBytes<GetObjectResponse> part(String key, String versionId, int partNumber) {
    return s3.getObjectAsBytes(
        b -> b.bucket("parts").key(key).versionId(versionId).partNumber(partNumber));
  }

  @Test
  void eachPartOfAMultipartObjectIsReadOnItsOwn() {
    List<byte[]> parts = List.of(bytes(5 * MIB), bytes(5 * MIB + 7), bytes(1000));
    multipart("big", parts, b -> {});
    long size = 10L * MIB + 7 + 1000;

    long first = 0;
    for (int n = 1; n <= 3; n++) {
      ResponseBytes<GetObjectResponse> got = part("big", null, n);
      byte[] expected = parts.get(n - 1);
      assertThat(got.asByteArray()).as("part %d", n).isEqualTo(expected);
      assertThat(got.response().sdkHttpResponse().statusCode()).isEqualTo(206);
      assertThat(got.response().partsCount()).isEqualTo(3);
      assertThat(got.response().contentLength()).isEqualTo(expected.length);
      assertThat(got.response().contentRange())
          .isEqualTo("bytes " + first + "-" + (first + expected.length - 1) + "/" + size);
      // The ETag is the whole object's (the multipart one).
      assertThat(got.response().eTag()).endsWith("-3\"");
      first += expected.length;
    }

    HeadObjectResponse head = s3.headObject(b -> b.bucket("parts").key("big").partNumber(2));
    assertThat(head.partsCount()).isEqualTo(3);
    assertThat(head.contentLength()).isEqualTo(5L * MIB + 7);
    assertThat(head.contentRange()).isEqualTo("bytes 5242880-10485766/" + size);
    // Without partNumber: the whole object, no parts count.
    HeadObjectResponse whole = s3.headObject(b -> b.bucket("parts").key("big"));
    assertThat(whole.partsCount()).isNull();
    assertThat(whole.contentLength()).isEqualTo(size);

    assertS3Error(() -> part("big", null, 4), 416, "InvalidPartNumber");
    assertS3Error(() -> s3.headObject(b -> b.bucket("parts").key("big").partNumber(4)), 416, null);
  }

  @Test
  void partNumbersCountThePartsTheCompleteListedInOrder() {
    // Parts 2, 5 and 9 of an upload (and a part 7 left out) are the object's parts 1, 2 and 3.
    String upload = s3.createMultipartUpload(b -> b.bucket("parts").key("gaps")).uploadId();
    List<byte[]> bodies = List.of(bytes(5 * MIB), bytes(5 * MIB), bytes(5 * MIB), bytes(99));
    int[] numbers = {2, 5, 7, 9};
    List<CompletedPart> listed = new ArrayList<>();
    for (int i = 0; i < numbers.length; i++) {
      int number = numbers[i];
      byte[] body = bodies.get(i);
      String etag =
          s3.uploadPart(
                  b -> b.bucket("parts").key("gaps").uploadId(upload).partNumber(number),
                  RequestBody.fromBytes(body))
              .eTag();
      if (number != 7) {
        listed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
    }
    s3.completeMultipartUpload(
        b -> b.bucket("parts").key("gaps").uploadId(upload).multipartUpload(u -> u.parts(listed)));

    assertThat(part("gaps", null, 1).asByteArray()).isEqualTo(bodies.get(0));
    assertThat(part("gaps", null, 2).asByteArray()).isEqualTo(bodies.get(1));
    ResponseBytes<GetObjectResponse> last = part("gaps", null, 3);
    assertThat(last.asByteArray()).isEqualTo(bodies.get(3));
    assertThat(last.response().partsCount()).isEqualTo(3);
    assertS3Error(() -> part("gaps", null, 4), 416, "InvalidPartNumber");
  }

  @Test
  void anObjectWrittenInOnePartHasOnePartTheWholeObject() {
    byte[] body = bytes(3000);
    s3.putObject(b -> b.bucket("parts").key("small"), RequestBody.fromBytes(body));
    ResponseBytes<GetObjectResponse> got = part("small", null, 1);
    assertThat(got.asByteArray()).isEqualTo(body);
    assertThat(got.response().partsCount()).isNull();
    assertThat(got.response().contentLength()).isEqualTo(3000L);
    assertS3Error(() -> part("small", null, 2), 416, "InvalidPartNumber");

    // A copy of a multipart object is written in one part.
    multipart("mp", List.of(bytes(5 * MIB), bytes(10)), b -> {});
    s3.copyObject(
        b ->
            b.sourceBucket("parts")
                .sourceKey("mp")
                .destinationBucket("parts")
                .destinationKey("copy"));
    assertThat(part("copy", null, 1).response().contentLength()).isEqualTo(5L * MIB + 10);
    assertThat(part("copy", null, 1).response().partsCount()).isNull();
    assertS3Error(() -> part("copy", null, 2), 416, "InvalidPartNumber");
  }

  @Test
  void partsOfOlderVersionsAndOfEncryptedObjectsAreKept() {
    s3.putBucketVersioning(
        b ->
            b.bucket("parts")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    List<byte[]> parts = List.of(bytes(5 * MIB), bytes(2 * MIB));
    multipart("v", parts, b -> b.serverSideEncryption("AES256"));
    String older =
        s3.listObjectVersions(b -> b.bucket("parts").prefix("v")).versions().get(0).versionId();
    s3.putObject(b -> b.bucket("parts").key("v"), RequestBody.fromString("newer"));

    // The current version was written in one part; the older one keeps its two.
    assertS3Error(() -> part("v", null, 2), 416, "InvalidPartNumber");
    ResponseBytes<GetObjectResponse> second = part("v", older, 2);
    assertThat(second.asByteArray()).isEqualTo(parts.get(1));
    assertThat(second.response().partsCount()).isEqualTo(2);
    assertThat(second.response().serverSideEncryptionAsString()).isEqualTo("AES256");
    assertThat(part("v", older, 1).asByteArray()).isEqualTo(parts.get(0));
  }

  @Test
  void aBadPartNumberOrOneWithARangeIsRefused() {
    s3.putObject(b -> b.bucket("parts").key("k"), RequestBody.fromString("content"));
    assertS3Error(() -> part("k", null, 0), 400, "InvalidArgument");
    assertS3Error(() -> part("k", null, 10_001), 400, "InvalidArgument");
    assertS3Error(
        () -> s3.getObjectAsBytes(b -> b.bucket("parts").key("k").partNumber(1).range("bytes=0-1")),
        400,
        "InvalidRequest");
    assertS3Error(() -> part("missing", null, 1), 404, "NoSuchKey");
    // Still readable whole.
    assertThat(
            Arrays.equals(
                s3.getObjectAsBytes(b -> b.bucket("parts").key("k")).asByteArray(),
                "content".getBytes()))
        .isTrue();
  }
}
