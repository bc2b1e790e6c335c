package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static dev.cumulus.storage.s3.S3TestClients.md5;
import static dev.cumulus.storage.s3.S3TestClients.md5Hex;
import static dev.cumulus.storage.s3.S3TestClients.newKey;
import static dev.cumulus.storage.s3.S3TestClients.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 wire protocol with the stock AWS SDK for Java v2: SigV4 (header, presigned, aws-chunked),
 * bucket and object operations, listings with delimiters, conditionals, copies and bad input.
 * Access keys resolve through {@link S3TestClients.Keys}.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3ProtocolIT {

  /** The data directory: blob files are under blobs/<service id>/. */
  static Path DATA;

  /** The x-amz-content-sha256 of every request sent, to show which payload modes were tested. */
  static final List<String> PAYLOAD_MODES = new java.util.concurrent.CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    DATA = StorageTestProperties.register(registry, "s3");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired MeterRegistry meters;

  String tenant;
  String service;
  String accessKey;
  String secret;
  S3Client s3;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    instances.created(service, "s3storage", tenant, "s3-it").block(Duration.ofSeconds(10));
    accessKey = newKey(tenant, service);
    secret = secret(accessKey);
    s3 = client(accessKey, secret, false);
  }

  URI endpoint() {
    return S3TestClients.endpoint(port);
  }

  /** A client whose requests' payload modes are noted in {@link #PAYLOAD_MODES}. */
  S3Client client(String key, String secretKey, boolean chunked) {
    return S3TestClients.builder(port, key, secretKey)
        .serviceConfiguration(
            software.amazon.awssdk.services.s3.S3Configuration.builder()
                .chunkedEncodingEnabled(chunked)
                .build())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            o ->
                o.addExecutionInterceptor(
                    new ExecutionInterceptor() {
                      @Override
                      public void beforeTransmission(
                          Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        context
                            .httpRequest()
                            .firstMatchingHeader("x-amz-content-sha256")
                            .ifPresent(PAYLOAD_MODES::add);
                      }
                    }))
        .build();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void bucketsCanBeCreatedFoundListedAndDeletedOnlyWhenEmpty() {
    s3.createBucket(b -> b.bucket("photos"));
    s3.headBucket(b -> b.bucket("photos"));
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("photos");
    assertThat(s3.getBucketLocation(b -> b.bucket("photos")).locationConstraintAsString())
        .isEmpty();
    assertThat(s3.getBucketVersioning(b -> b.bucket("photos")).statusAsString()).isNull();

    assertS3Error(() -> s3.createBucket(b -> b.bucket("photos")), 409, "BucketAlreadyOwnedByYou");
    assertS3Error(() -> s3.createBucket(b -> b.bucket("xn--bad")), 400, "InvalidBucketName");
    assertS3Error(() -> s3.headBucket(b -> b.bucket("nope")), 404, null);

    s3.putObject(b -> b.bucket("photos").key("a.txt"), RequestBody.fromString("a"));
    assertS3Error(() -> s3.deleteBucket(b -> b.bucket("photos")), 409, "BucketNotEmpty");
    s3.deleteObject(b -> b.bucket("photos").key("a.txt"));
    s3.deleteBucket(b -> b.bucket("photos"));
    assertThat(s3.listBuckets().buckets()).isEmpty();
  }

  @Test
  void objectsRoundTripWithMetadataRangesAndConditionals() {
    s3.createBucket(b -> b.bucket("docs"));
    String text = "hello, cumulus: the quick brown fox";
    String etag =
        s3.putObject(
                b ->
                    b.bucket("docs")
                        .key("dir/hello world+ü.txt")
                        .contentType("text/plain")
                        .metadata(Map.of("owner", "ada", "purpose", "test")),
                RequestBody.fromString(text))
            .eTag();
    assertThat(etag).isEqualTo("\"" + md5Hex(text.getBytes(StandardCharsets.UTF_8)) + "\"");

    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("docs").key("dir/hello world+ü.txt"));
    assertThat(got.asUtf8String()).isEqualTo(text);
    assertThat(got.response().contentType()).startsWith("text/plain");
    assertThat(got.response().metadata())
        .containsEntry("owner", "ada")
        .containsEntry("purpose", "test");
    assertThat(got.response().eTag()).isEqualTo(etag);

    HeadObjectResponse head = s3.headObject(b -> b.bucket("docs").key("dir/hello world+ü.txt"));
    assertThat(head.contentLength()).isEqualTo(text.length());

    assertThat(
            s3.getObjectAsBytes(
                    b -> b.bucket("docs").key("dir/hello world+ü.txt").range("bytes=7-13"))
                .asUtf8String())
        .isEqualTo("cumulus");
    assertS3Error(
        () ->
            s3.getObjectAsBytes(
                b -> b.bucket("docs").key("dir/hello world+ü.txt").range("bytes=999-")),
        416,
        "InvalidRange");

    assertS3Error(
        () ->
            s3.getObjectAsBytes(
                b -> b.bucket("docs").key("dir/hello world+ü.txt").ifMatch("\"nope\"")),
        412,
        "PreconditionFailed");
    assertS3Error(
        () ->
            s3.getObjectAsBytes(
                b -> b.bucket("docs").key("dir/hello world+ü.txt").ifNoneMatch(etag)),
        304,
        null);
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket("docs").key("dir/hello world+ü.txt").ifMatch(etag))
                .asUtf8String())
        .isEqualTo(text);

    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("docs").key("missing")))
        .isInstanceOf(NoSuchKeyException.class);
    // S3 deletes are idempotent.
    s3.deleteObject(b -> b.bucket("docs").key("missing"));
  }

  /**
   * A Content-Type no client could parse is refused at upload (it is sent back on every read, so
   * storing it would break the object for good: issue 21); a valid one round-trips.
   */
  @Test
  void anUnparsableContentTypeIsRefusedAtUpload() {
    s3.createBucket(b -> b.bucket("types"));
    for (String bad : List.of("not a type", "text/", "*/*", "x".repeat(300) + "/y")) {
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket("types").key("k").contentType(bad), RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(
          () -> s3.createMultipartUpload(b -> b.bucket("types").key("m").contentType(bad)),
          400,
          "InvalidArgument");
    }
    assertS3Error(() -> s3.headObject(b -> b.bucket("types").key("k")), 404, null);
    s3.putObject(
        b -> b.bucket("types").key("k").contentType("text/plain; charset=utf-8"),
        RequestBody.fromString("x"));
    assertThat(s3.headObject(b -> b.bucket("types").key("k")).contentType())
        .isEqualTo("text/plain;charset=utf-8");
  }

  @Test
  void largeUploadsStreamSignedChunkedOrPlainAndArriveIntact() {
    s3.createBucket(b -> b.bucket("big"));
    byte[] data = new byte[5 * 1024 * 1024 + 123];
    new Random(7).nextBytes(data);
    for (boolean chunked : List.of(true, false)) {
      S3Client client = client(accessKey, secret, chunked);
      String key = "blob-" + chunked;
      client.putObject(
          b -> b.bucket("big").key(key),
          RequestBody.fromInputStream(new ByteArrayInputStream(data), data.length));
      byte[] back = client.getObjectAsBytes(b -> b.bucket("big").key(key)).asByteArray();
      assertThat(md5Hex(back)).isEqualTo(md5Hex(data));
    }
    assertThat(PAYLOAD_MODES).anyMatch(mode -> mode.startsWith("STREAMING-"));
    assertThat(PAYLOAD_MODES).anyMatch(mode -> mode.matches("[0-9a-f]{64}"));
  }

  @Test
  void listingsRollUpAtTheDelimiterAndPageWithContinuationTokens() {
    s3.createBucket(b -> b.bucket("tree"));
    for (String key : List.of("a/1", "a/2", "a/b/3", "b/1", "c", "d", "e/1")) {
      s3.putObject(b -> b.bucket("tree").key(key), RequestBody.fromString(key));
    }
    ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("tree").delimiter("/"));
    assertThat(top.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("a/", "b/", "e/");
    assertThat(top.contents()).extracting(S3Object::key).containsExactly("c", "d");
    assertThat(top.keyCount()).isEqualTo(5);

    ListObjectsV2Response inA = s3.listObjectsV2(b -> b.bucket("tree").prefix("a/").delimiter("/"));
    assertThat(inA.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2");
    assertThat(inA.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/b/");

    // One entry per page: prefixes count once, and paging visits everything exactly once.
    List<String> paged =
        s3.listObjectsV2Paginator(b -> b.bucket("tree").delimiter("/").maxKeys(1)).stream()
            .flatMap(
                page ->
                    java.util.stream.Stream.concat(
                        page.commonPrefixes().stream().map(CommonPrefix::prefix),
                        page.contents().stream().map(S3Object::key)))
            .toList();
    assertThat(paged).containsExactly("a/", "b/", "c", "d", "e/");

    assertThat(
            s3.listObjectsV2(b -> b.bucket("tree").startAfter("b/1")).contents().stream()
                .map(S3Object::key))
        .containsExactly("c", "d", "e/1");
    assertThat(s3.listObjects(b -> b.bucket("tree").prefix("a/")).contents())
        .extracting(S3Object::key)
        .containsExactly("a/1", "a/2", "a/b/3");
  }

  @Test
  void copyAndMultiDelete() {
    s3.createBucket(b -> b.bucket("src"));
    s3.createBucket(b -> b.bucket("dst"));
    s3.putObject(
        b -> b.bucket("src").key("orig").contentType("text/csv").metadata(Map.of("k", "v")),
        RequestBody.fromString("a,b,c"));
    s3.copyObject(
        b ->
            b.sourceBucket("src")
                .sourceKey("orig")
                .destinationBucket("dst")
                .destinationKey("copy"));
    ResponseBytes<GetObjectResponse> copy = s3.getObjectAsBytes(b -> b.bucket("dst").key("copy"));
    assertThat(copy.asUtf8String()).isEqualTo("a,b,c");
    assertThat(copy.response().metadata()).containsEntry("k", "v");
    assertThat(copy.response().contentType()).startsWith("text/csv");

    s3.copyObject(
        b ->
            b.sourceBucket("src")
                .sourceKey("orig")
                .destinationBucket("dst")
                .destinationKey("replaced")
                .metadataDirective("REPLACE")
                .contentType("application/json")
                .metadata(Map.of("new", "1")));
    HeadObjectResponse replaced = s3.headObject(b -> b.bucket("dst").key("replaced"));
    assertThat(replaced.metadata()).containsExactly(Map.entry("new", "1"));
    assertThat(replaced.contentType()).isEqualTo("application/json");

    var result =
        s3.deleteObjects(
            b ->
                b.bucket("dst")
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("copy").build(),
                                ObjectIdentifier.builder().key("replaced").build(),
                                ObjectIdentifier.builder().key("never-existed").build())));
    assertThat(result.deleted()).hasSize(3);
    assertThat(result.errors()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("dst")).contents()).isEmpty();
  }

  /**
   * Objects up to cumulus.storage.inline-threshold (32 KiB by default) keep their bytes in their
   * metadata row: no file. Everything S3 does with bytes works on both kinds, and replacing or
   * deleting one never leaves a file behind.
   */
  @Test
  void smallObjectsKeepTheirBytesInTheirRowAndLargerOnesInAFile() throws IOException {
    s3.createBucket(b -> b.bucket("sizes"));
    byte[] small = new byte[20_000];
    byte[] large = new byte[40_000];
    new Random(21).nextBytes(small);
    new Random(22).nextBytes(large);

    var put = s3.putObject(b -> b.bucket("sizes").key("small"), RequestBody.fromBytes(small));
    s3.putObject(b -> b.bucket("sizes").key("large"), RequestBody.fromBytes(large));
    s3.putObject(b -> b.bucket("sizes").key("empty"), RequestBody.empty());

    assertThat(put.eTag()).isEqualTo("\"" + md5Hex(small) + "\"");
    assertThat(blobFiles()).hasSize(1);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key("small")).asByteArray())
        .isEqualTo(small);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key("empty")).asByteArray()).isEmpty();
    ResponseBytes<GetObjectResponse> range =
        s3.getObjectAsBytes(b -> b.bucket("sizes").key("small").range("bytes=100-199"));
    assertThat(range.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(small, 100, 200));
    assertThat(range.response().contentRange()).isEqualTo("bytes 100-199/20000");
    HeadObjectResponse head = s3.headObject(b -> b.bucket("sizes").key("small"));
    assertThat(head.contentLength()).isEqualTo(20_000L);
    assertThat(head.eTag()).isEqualTo(put.eTag());

    // A copy of a small object is small too.
    s3.copyObject(
        b ->
            b.sourceBucket("sizes")
                .sourceKey("small")
                .destinationBucket("sizes")
                .destinationKey("copy"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key("copy")).asByteArray())
        .isEqualTo(small);
    assertThat(blobFiles()).hasSize(1);

    // Small over large, large over small: one file each way, none left over.
    s3.putObject(b -> b.bucket("sizes").key("large"), RequestBody.fromBytes(small));
    assertThat(blobFiles()).isEmpty();
    s3.putObject(b -> b.bucket("sizes").key("small"), RequestBody.fromBytes(large));
    assertThat(blobFiles()).hasSize(1);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key("large")).asByteArray())
        .isEqualTo(small);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key("small")).asByteArray())
        .isEqualTo(large);

    s3.deleteObject(b -> b.bucket("sizes").key("small"));
    s3.deleteObject(b -> b.bucket("sizes").key("large"));
    assertThat(blobFiles()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("sizes")).contents())
        .extracting(S3Object::key, S3Object::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("copy", 20_000L),
            org.assertj.core.groups.Tuple.tuple("empty", 0L));
  }

  /** The instance's blob files. */
  List<Path> blobFiles() throws IOException {
    return BlobFiles.of(DATA, service);
  }

  @Test
  void multipartUploadsAssembleInOrderWithS3sEtagAndCanBeAbortedOrListed() {
    s3.createBucket(b -> b.bucket("mpu"));
    int partSize = 5 * 1024 * 1024;
    byte[] data = new byte[2 * partSize + 1000];
    new Random(11).nextBytes(data);
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("video.bin")
                        .contentType("video/mp4")
                        .metadata(Map.of("a", "b")))
            .uploadId();
    List<CompletedPart> parts = new java.util.ArrayList<>();
    List<byte[]> md5s = new java.util.ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      int from = (n - 1) * partSize;
      byte[] chunk =
          java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize));
      int number = n;
      String etag =
          s3.uploadPart(
                  b -> b.bucket("mpu").key("video.bin").uploadId(uploadId).partNumber(number),
                  RequestBody.fromBytes(chunk))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      md5s.add(md5(chunk));
    }
    assertThat(s3.listParts(b -> b.bucket("mpu").key("video.bin").uploadId(uploadId)).parts())
        .extracting(p -> p.partNumber())
        .containsExactly(1, 2, 3);
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads())
        .extracting(u -> u.uploadId())
        .containsExactly(uploadId);
    // Not visible before Complete.
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("mpu").key("video.bin")))
        .isInstanceOf(NoSuchKeyException.class);

    // Parts must be listed in ascending order with the ETags they got; a refused Complete
    // leaves the upload usable.
    assertS3Error(
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("video.bin")
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts.get(2), parts.get(2)))),
        400,
        "InvalidPartOrder");
    assertS3Error(
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("video.bin")
                        .uploadId(uploadId)
                        .multipartUpload(
                            m ->
                                m.parts(
                                    parts.get(0),
                                    CompletedPart.builder()
                                        .partNumber(2)
                                        .eTag("\"wrong\"")
                                        .build()))),
        400,
        "InvalidPart");

    String etag =
        s3.completeMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("video.bin")
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)))
            .eTag();
    java.io.ByteArrayOutputStream concatenated = new java.io.ByteArrayOutputStream();
    md5s.forEach(concatenated::writeBytes);
    assertThat(etag).isEqualTo("\"" + md5Hex(concatenated.toByteArray()) + "-3\"");
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("mpu").key("video.bin"));
    assertThat(md5Hex(got.asByteArray())).isEqualTo(md5Hex(data));
    assertThat(got.response().contentType()).isEqualTo("video/mp4");
    assertThat(got.response().metadata()).containsEntry("a", "b");
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads()).isEmpty();
    assertS3Error(
        () -> s3.listParts(b -> b.bucket("mpu").key("video.bin").uploadId(uploadId)),
        404,
        "NoSuchUpload");

    // UploadPartCopy from the finished object, then Abort: nothing remains.
    String second = s3.createMultipartUpload(b -> b.bucket("mpu").key("copy.bin")).uploadId();
    s3.uploadPartCopy(
        b ->
            b.sourceBucket("mpu")
                .sourceKey("video.bin")
                .copySourceRange("bytes=0-99")
                .destinationBucket("mpu")
                .destinationKey("copy.bin")
                .uploadId(second)
                .partNumber(1));
    assertThat(s3.listParts(b -> b.bucket("mpu").key("copy.bin").uploadId(second)).parts())
        .singleElement()
        .satisfies(p -> assertThat(p.size()).isEqualTo(100));
    s3.abortMultipartUpload(b -> b.bucket("mpu").key("copy.bin").uploadId(second));
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads()).isEmpty();
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("mpu").key("copy.bin")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void wrongCredentialsAndBadInputAreRefusedWithS3Codes() {
    s3.createBucket(b -> b.bucket("guarded"));
    assertS3Error(
        () -> client(accessKey, "wrong-secret", false).listBuckets(), 403, "SignatureDoesNotMatch");
    assertS3Error(
        () -> client("CKUNKNOWNUNKNOWN0000", secret, false).listBuckets(),
        403,
        "InvalidAccessKeyId");

    // A wrong Content-MD5 stores nothing.
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("guarded").key("x").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                RequestBody.fromString("not empty")),
        400,
        "BadDigest");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("guarded").key("x")))
        .isInstanceOf(NoSuchKeyException.class);

    String longKey = "k".repeat(1025);
    assertS3Error(
        () -> s3.putObject(b -> b.bucket("guarded").key(longKey), RequestBody.fromString("x")),
        400,
        "KeyTooLongError");
  }

  /**
   * A request refused before its body is read (here: before its signature is checked) must not
   * leave its connection to the next request: if the client has not sent the body (it waits for 100
   * Continue) or the server does not drain it, the next request's bytes are taken for the body and
   * the client waits out its timeout. The error closes the connection: the server ends it once the
   * response is out. (The 30 s SDK stalls first blamed on this were mostly Reactor Netty's own
   * keep-alive bug, reactor-netty#4361: see PlatformWebIT.)
   */
  @Test
  void anErrorToARequestWithAnUnreadBodyClosesTheConnection() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("PUT /s3/guarded/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] answer = socket.getInputStream().readAllBytes(); // ends only when the server closes

      String head = new String(answer, StandardCharsets.ISO_8859_1);
      assertThat(head).startsWith("HTTP/1.1 403").containsIgnoringCase("connection: close");
    }
  }

  /**
   * A refused request whose small body is still on its way when the server decides: the server
   * reads that body before it answers and closes. A server that closed at once would answer the
   * body's bytes with a reset, and the client's next write fails before it reads the 403 (the SDK's
   * URL connection client saw "Error writing request body to server" on all four attempts of a
   * refused PutObject in CI).
   */
  @Test
  void aRefusedSmallBodyIsReadBeforeTheConnectionCloses() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      var out = socket.getOutputStream();
      out.write(
          "PUT /s3/guarded/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(300); // the server has decided long before the body's first half comes
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200); // a server that closed at once has reset the connection by now
      out.write("world".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] answer = socket.getInputStream().readAllBytes();

      String head = new String(answer, StandardCharsets.ISO_8859_1);
      assertThat(head).startsWith("HTTP/1.1 403").containsIgnoringCase("connection: close");
    }
  }

  @Test
  void tenantsCannotReachEachOthersBuckets() {
    s3.createBucket(b -> b.bucket("mine"));
    s3.putObject(b -> b.bucket("mine").key("secret.txt"), RequestBody.fromString("s"));

    String otherTenant = "t-" + UUID.randomUUID();
    String otherService = UUID.randomUUID().toString();
    instances
        .created(otherService, "s3storage", otherTenant, "other")
        .block(Duration.ofSeconds(10));
    String otherKey = newKey(otherTenant, otherService);
    S3Client other = client(otherKey, secret(otherKey), false);

    assertThat(other.listBuckets().buckets()).isEmpty();
    assertS3Error(() -> other.listObjectsV2(b -> b.bucket("mine")), 404, "NoSuchBucket");
    assertS3Error(
        () -> other.getObjectAsBytes(b -> b.bucket("mine").key("secret.txt")), 404, "NoSuchBucket");
    // The same bucket name is free in the other instance: namespaces are per instance.
    other.createBucket(b -> b.bucket("mine"));
    assertThat(other.listObjectsV2(b -> b.bucket("mine")).contents()).isEmpty();
  }

  @Test
  void requestsAreTimedPerOperationAndUnsupportedOperationsAreNotImplemented() {
    s3.createBucket(b -> b.bucket("metered"));
    s3.putObject(b -> b.bucket("metered").key("k"), RequestBody.fromString("v"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("metered").key("k")).asUtf8String())
        .isEqualTo("v");
    assertS3Error(() -> s3.getBucketWebsite(b -> b.bucket("metered")), 501, "NotImplemented");
    assertS3Error(() -> s3.getBucketLogging(b -> b.bucket("metered")), 501, "NotImplemented");

    for (String api : List.of("CreateBucket", "PutObject", "GetObject")) {
      assertThat(requests(api, 200)).as(api).isPositive();
    }
    assertThat(requests("NotImplemented", 501)).isGreaterThanOrEqualTo(2);
  }

  long requests(String api, int status) {
    return meters
        .get("cumulus.s3.requests")
        .tags("api", api, "status", Integer.toString(status))
        .timer()
        .count();
  }

  @Test
  void presignedUrlsWorkUntilTheyExpire() throws Exception {
    s3.createBucket(b -> b.bucket("shared"));
    s3.putObject(b -> b.bucket("shared").key("report.txt"), RequestBody.fromString("q3 numbers"));
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .build())
            .build()) {
      URI url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("shared").key("report.txt")))
              .url()
              .toURI();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("q3 numbers");

      URI tampered = URI.create(url.toString().replace("report.txt", "other.txt"));
      HttpResponse<String> refused =
          http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");

      URI shortLived =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofSeconds(1))
                          .getObjectRequest(g -> g.bucket("shared").key("report.txt")))
              .url()
              .toURI();
      // Served until its second has passed, refused from then on.
      HttpResponse<String> expired =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      http.send(
                          HttpRequest.newBuilder(shortLived).build(),
                          HttpResponse.BodyHandlers.ofString()),
                  response -> response.statusCode() != 200);
      assertThat(expired.statusCode()).isEqualTo(403);
      assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("expired");
    }
  }

  /**
   * A signed request's body is bound to its signature: a DeleteObjects replayed with another body
   * (same length, same headers) deletes nothing. The SDK cannot send such a request, so it is
   * signed with the SDK's own signer and sent by hand.
   */
  @Test
  void aSignedXmlBodyCannotBeSwappedForAnother() throws Exception {
    String bucket = "swap-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("gone"), RequestBody.fromString("delete me"));
    s3.putObject(b -> b.bucket(bucket).key("keep"), RequestBody.fromString("keep me"));
    String signedBody = "<Delete><Object><Key>gone</Key></Object></Delete>";
    String swappedBody = "<Delete><Object><Key>keep</Key></Object></Delete>";
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create(endpoint() + "/" + bucket))
            .putRawQueryParameter("delete", "")
            .putHeader("Content-Type", "application/xml")
            .putHeader(
                "Content-MD5",
                java.util.Base64.getEncoder()
                    .encodeToString(md5(signedBody.getBytes(StandardCharsets.UTF_8))))
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKey, secret))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromUtf8String(signedBody))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
            .request();

    HttpResponse<String> swapped = send(signed, swappedBody);
    assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(400);
    assertThat(swapped.body()).containsAnyOf("XAmzContentSHA256Mismatch", "BadDigest");
    assertThat(keysOf(bucket)).containsExactly("gone", "keep");

    HttpResponse<String> original = send(signed, signedBody);
    assertThat(original.statusCode()).as(original.body()).isEqualTo(200);
    assertThat(original.body()).contains("<Deleted><Key>gone</Key>");
    assertThat(keysOf(bucket)).containsExactly("keep");
  }

  /** Sends a signed request's method, URI and headers with the given body. */
  private static HttpResponse<String> send(SdkHttpRequest signed, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri())
            .method(signed.method().name(), HttpRequest.BodyPublishers.ofString(body));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
            values.forEach(v -> request.header(name, v));
          }
        });
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> keysOf(String bucket) {
    return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  @Test
  void unsignedRequestsAreDeniedInS3Xml() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(endpoint() + "/any-bucket")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("xml"));
    assertThat(response.body()).contains("<Error><Code>AccessDenied</Code>");
  }
}
