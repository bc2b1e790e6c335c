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
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;

/**
 * GetObject and HeadObject with {@code partNumber}, with the AWS SDK v2: an object completed from a
 * multipart upload keeps its part boundaries (part N is the N-th part its Complete listed), each
 * read is a ranged 206 with {@code x-amz-mp-parts-count}; an object written in one part has one
 * part, the whole object; a part past the last is 416 InvalidPartNumber. Also what S3 keeps of an
 * object's checksums and parts: {@code x-amz-checksum-*} returned with {@code x-amz-checksum-mode},
 * composite checksums of multipart objects, and GetObjectAttributes.
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
  String tenant;
  String service;
  final Random random = new Random(31);

  @BeforeEach
  void bucket() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "parts", UrlConnectionHttpClient.create());
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

  // --- Checksums kept and returned; GetObjectAttributes
  // --------------------------------------------

  static String checksum(String algorithm, byte[] bytes) {
    try {
      byte[] digest =
          switch (algorithm) {
            case "CRC32", "CRC32C" -> {
              java.util.zip.Checksum crc =
                  algorithm.equals("CRC32")
                      ? new java.util.zip.CRC32()
                      : new java.util.zip.CRC32C();
              crc.update(bytes);
              yield java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            case "SHA1" -> java.security.MessageDigest.getInstance("SHA-1").digest(bytes);
            default -> java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
          };
      return java.util.Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String returned(String algorithm, HeadObjectResponse head) {
    return switch (algorithm) {
      case "CRC32" -> head.checksumCRC32();
      case "CRC32C" -> head.checksumCRC32C();
      case "SHA1" -> head.checksumSHA1();
      default -> head.checksumSHA256();
    };
  }

  @Test
  void theChecksumAPutSentIsKeptAndReturnedWhenAskedFor() {
    byte[] body = bytes(100_000);
    for (String algorithm : List.of("CRC32", "CRC32C", "SHA1", "SHA256")) {
      String key = "sum-" + algorithm;
      // The SDK computes the checksum and sends it (a trailer of its aws-chunked body).
      s3.putObject(
          b -> b.bucket("parts").key(key).checksumAlgorithm(algorithm),
          RequestBody.fromBytes(body));
      HeadObjectResponse head =
          s3.headObject(b -> b.bucket("parts").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(returned(algorithm, head)).as(algorithm).isEqualTo(checksum(algorithm, body));
      assertThat(head.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
      assertThat(returned(algorithm, s3.headObject(b -> b.bucket("parts").key(key)))).isNull();
      // The SDK checks the returned checksum against the bytes it reads.
      var got =
          s3.getObjectAsBytes(b -> b.bucket("parts").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).isEqualTo(body);
      assertThat(got.response().checksumTypeAsString()).isEqualTo("FULL_OBJECT");
    }
    // A checksum sent as a header is kept as well; a range is returned without one.
    String sha = checksum("SHA256", body);
    s3.putObject(
        b -> b.bucket("parts").key("header-sum").checksumSHA256(sha), RequestBody.fromBytes(body));
    assertThat(
            s3.headObject(
                    b -> b.bucket("parts").key("header-sum").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256())
        .isEqualTo(sha);
    assertThat(
            s3.getObjectAsBytes(
                    b ->
                        b.bucket("parts")
                            .key("header-sum")
                            .range("bytes=0-99")
                            .checksumMode(ChecksumMode.ENABLED))
                .response()
                .checksumSHA256())
        .isNull();
    // A copy of the same bytes keeps it.
    s3.copyObject(
        b ->
            b.sourceBucket("parts")
                .sourceKey("header-sum")
                .destinationBucket("parts")
                .destinationKey("copied-sum"));
    assertThat(
            s3.headObject(
                    b -> b.bucket("parts").key("copied-sum").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256())
        .isEqualTo(sha);
  }

  /** boto3 as its users write it: the checksum it sends is kept and returned when asked for. */
  @Test
  void boto3SendsChecksumsAndReadsThemBackWhenAsked() throws Exception {
    S3TestClients.assumeBoto3();
    String output =
        S3TestClients.python(
            """
            import os, base64, hashlib, zlib, boto3, botocore
            from botocore.exceptions import ClientError
            s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
                config=botocore.config.Config(s3={"addressing_style": "path"}))
            body = os.urandom(100000)
            sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
            crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
            put = s3.put_object(Bucket="parts", Key="boto-sha", Body=body, ChecksumAlgorithm="SHA256")
            print("put", put.get("ChecksumSHA256") == sha)
            head = s3.head_object(Bucket="parts", Key="boto-sha", ChecksumMode="ENABLED")
            print("head", head.get("ChecksumSHA256") == sha, head.get("ChecksumType"))
            print("head unasked", "ChecksumSHA256" in s3.head_object(Bucket="parts", Key="boto-sha"))
            # boto3 checks the returned checksum against the bytes it reads.
            got = s3.get_object(Bucket="parts", Key="boto-sha", ChecksumMode="ENABLED")
            print("get", got["Body"].read() == body, got.get("ChecksumSHA256") == sha)
            s3.put_object(Bucket="parts", Key="boto-crc", Body=body, ChecksumCRC32=crc)
            head = s3.head_object(Bucket="parts", Key="boto-crc", ChecksumMode="ENABLED")
            print("crc", head.get("ChecksumCRC32") == crc)
            def code(call):
                try:
                    call()
                    return "ok"
                except ClientError as e:
                    return "%s %s" % (e.response["Error"]["Code"],
                                      e.response["ResponseMetadata"]["HTTPStatusCode"])
            print("wrong", code(lambda: s3.put_object(Bucket="parts", Key="boto-bad", Body=body,
                                                      ChecksumCRC32="AAAAAA==")))
            print("stored", code(lambda: s3.head_object(Bucket="parts", Key="boto-bad")))
            """,
            S3TestClients.boto3Environment(port, tenant, service));
    assertThat(output.lines())
        .containsExactly(
            "put True",
            "head True FULL_OBJECT",
            "head unasked False",
            "get True True",
            "crc True",
            "wrong BadDigest 400",
            "stored 404 404");
  }

  @Test
  void aMultipartObjectHasS3sCompositeChecksumAndItsAttributes() {
    byte[] part1 = bytes(5 * MIB);
    byte[] part2 = bytes(1000);
    String upload =
        s3.createMultipartUpload(b -> b.bucket("parts").key("composite").checksumAlgorithm("CRC32"))
            .uploadId();
    assertS3Error(
        () ->
            s3.uploadPart(
                b ->
                    b.bucket("parts")
                        .key("composite")
                        .uploadId(upload)
                        .partNumber(1)
                        .checksumAlgorithm("SHA256"),
                RequestBody.fromBytes(part2)),
        400,
        "InvalidRequest");
    List<CompletedPart> completed = new ArrayList<>();
    List<byte[]> parts = List.of(part1, part2);
    for (int i = 0; i < 2; i++) {
      int number = i + 1;
      var part =
          s3.uploadPart(
              b ->
                  b.bucket("parts")
                      .key("composite")
                      .uploadId(upload)
                      .partNumber(number)
                      .checksumAlgorithm("CRC32"),
              RequestBody.fromBytes(parts.get(number - 1)));
      assertThat(part.checksumCRC32()).isEqualTo(checksum("CRC32", parts.get(number - 1)));
      completed.add(
          CompletedPart.builder()
              .partNumber(number)
              .eTag(part.eTag())
              .checksumCRC32(part.checksumCRC32())
              .build());
    }
    s3.completeMultipartUpload(
        b ->
            b.bucket("parts")
                .key("composite")
                .uploadId(upload)
                .multipartUpload(u -> u.parts(completed)));
    // CRC32 of the parts' binary CRC32s, then -N: S3's composite checksum.
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(java.util.Base64.getDecoder().decode(checksum("CRC32", part)));
    }
    String composite = checksum("CRC32", joined.toByteArray()) + "-2";
    HeadObjectResponse head =
        s3.headObject(b -> b.bucket("parts").key("composite").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumCRC32()).isEqualTo(composite);
    assertThat(head.checksumTypeAsString()).isEqualTo("COMPOSITE");

    var attributes =
        s3.getObjectAttributes(
            b ->
                b.bucket("parts")
                    .key("composite")
                    .objectAttributes(
                        ObjectAttributes.E_TAG,
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.STORAGE_CLASS,
                        ObjectAttributes.OBJECT_SIZE));
    assertThat(attributes.eTag()).isEqualTo(head.eTag().replace("\"", ""));
    assertThat(attributes.checksum().checksumCRC32()).isEqualTo(composite);
    assertThat(attributes.objectSize()).isEqualTo(5L * MIB + 1000);
    assertThat(attributes.storageClassAsString()).isEqualTo("STANDARD");
    assertThat(attributes.objectParts().totalPartsCount()).isEqualTo(2);
    assertThat(attributes.objectParts().parts())
        .extracting(p -> p.partNumber() + ":" + p.size())
        .containsExactly("1:" + 5 * MIB, "2:1000");
    var firstPage =
        s3.getObjectAttributes(
            b ->
                b.bucket("parts")
                    .key("composite")
                    .maxParts(1)
                    .objectAttributes(ObjectAttributes.OBJECT_PARTS));
    assertThat(firstPage.objectParts().isTruncated()).isTrue();
    assertThat(firstPage.objectParts().nextPartNumberMarker()).isEqualTo(1);
    assertThat(firstPage.objectParts().parts()).hasSize(1);
    assertThat(firstPage.eTag()).isNull();
    var secondPage =
        s3.getObjectAttributes(
            b ->
                b.bucket("parts")
                    .key("composite")
                    .partNumberMarker(1)
                    .objectAttributes(ObjectAttributes.OBJECT_PARTS));
    assertThat(secondPage.objectParts().isTruncated()).isFalse();
    assertThat(secondPage.objectParts().parts()).extracting(p -> p.partNumber()).containsExactly(2);

    // An object written whole: no ObjectParts; a full-object checksum.
    s3.putObject(
        b -> b.bucket("parts").key("whole").checksumAlgorithm("SHA1"),
        RequestBody.fromBytes(part2));
    var whole =
        s3.getObjectAttributes(
            b ->
                b.bucket("parts")
                    .key("whole")
                    .objectAttributes(
                        ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_SIZE));
    assertThat(whole.objectParts()).isNull();
    assertThat(whole.checksum().checksumSHA1()).isEqualTo(checksum("SHA1", part2));
    assertThat(whole.objectSize()).isEqualTo(1000);
    assertS3Error(
        () ->
            s3.getObjectAttributes(
                b -> b.bucket("parts").key("whole").objectAttributesWithStrings("Colour")),
        400,
        "InvalidArgument");
    assertS3Error(
        () ->
            s3.getObjectAttributes(
                b -> b.bucket("parts").key("absent").objectAttributes(ObjectAttributes.E_TAG)),
        404,
        "NoSuchKey");
  }

  @Test
  void uploadPartCopyTakesOnlyAFirstLastRangeInsideItsSource() {
    s3.putObject(b -> b.bucket("parts").key("src"), RequestBody.fromBytes(bytes(1000)));
    String upload = s3.createMultipartUpload(b -> b.bucket("parts").key("dst")).uploadId();
    for (String range : List.of("bytes=0-1000", "bytes=-10", "bytes=10-", "0-9")) {
      assertS3Error(
          () ->
              s3.uploadPartCopy(
                  b ->
                      b.sourceBucket("parts")
                          .sourceKey("src")
                          .copySourceRange(range)
                          .destinationBucket("parts")
                          .destinationKey("dst")
                          .uploadId(upload)
                          .partNumber(1)),
          400,
          "InvalidArgument");
    }
    var copied =
        s3.uploadPartCopy(
            b ->
                b.sourceBucket("parts")
                    .sourceKey("src")
                    .copySourceRange("bytes=0-999")
                    .destinationBucket("parts")
                    .destinationKey("dst")
                    .uploadId(upload)
                    .partNumber(1));
    assertThat(copied.copyPartResult().eTag()).isNotBlank();
  }
}
