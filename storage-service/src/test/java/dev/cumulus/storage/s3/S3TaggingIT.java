package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * S3 object tagging with the AWS SDK v2: Get/Put/DeleteObjectTagging (also of older versions),
 * x-amz-tagging on PutObject, CopyObject (with x-amz-tagging-directive) and CreateMultipartUpload,
 * x-amz-tagging-count on GET and HEAD, Get/Put/DeleteBucketTagging, and AWS's limits and error
 * codes.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3TaggingIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3tags");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  S3Client s3;

  @BeforeEach
  void bucket() {
    s3 =
        S3TestClients.clientForNewInstance(
            instances,
            port,
            "t-" + UUID.randomUUID(),
            UUID.randomUUID().toString(),
            "tagging",
            UrlConnectionHttpClient.create());
    s3.createBucket(b -> b.bucket("tags"));
  }

  Map<String, String> tagsOf(String key, String versionId) {
    Map<String, String> tags = new LinkedHashMap<>();
    s3.getObjectTagging(b -> b.bucket("tags").key(key).versionId(versionId))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  @Test
  void tagsArePutReadCountedAndDeleted() {
    s3.putObject(b -> b.bucket("tags").key("k"), RequestBody.fromString("x"));
    assertThat(tagsOf("k", null)).isEmpty();
    assertThat(s3.headObject(b -> b.bucket("tags").key("k")).tagCount()).isNull();

    s3.putObjectTagging(
        b ->
            b.bucket("tags")
                .key("k")
                .tagging(t -> t.tagSet(tag("project", "blue sky"), tag("owner", "ada@x.org"))));
    assertThat(tagsOf("k", null))
        .containsExactlyInAnyOrderEntriesOf(Map.of("project", "blue sky", "owner", "ada@x.org"));
    assertThat(s3.headObject(b -> b.bucket("tags").key("k")).tagCount()).isEqualTo(2);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("tags").key("k")).response().tagCount())
        .isEqualTo(2);

    // A new set replaces the old one whole.
    s3.putObjectTagging(b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(tag("only", ""))));
    assertThat(tagsOf("k", null)).containsExactlyEntriesOf(Map.of("only", ""));

    s3.deleteObjectTagging(b -> b.bucket("tags").key("k"));
    assertThat(tagsOf("k", null)).isEmpty();
    assertThat(s3.headObject(b -> b.bucket("tags").key("k")).tagCount()).isNull();

    assertS3Error(() -> tagsOf("missing", null), 404, "NoSuchKey");
    assertS3Error(
        () ->
            s3.putObjectTagging(
                b -> b.bucket("tags").key("missing").tagging(t -> t.tagSet(tag("a", "b")))),
        404,
        "NoSuchKey");
  }

  @Test
  void eachVersionHasItsOwnTags() {
    s3.putBucketVersioning(
        b ->
            b.bucket("tags")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    String v1 =
        s3.putObject(b -> b.bucket("tags").key("v").tagging("gen=1"), RequestBody.fromString("1"))
            .versionId();
    String v2 =
        s3.putObject(b -> b.bucket("tags").key("v").tagging("gen=2"), RequestBody.fromString("2"))
            .versionId();
    assertThat(tagsOf("v", null)).containsExactlyEntriesOf(Map.of("gen", "2"));
    assertThat(tagsOf("v", v1)).containsExactlyEntriesOf(Map.of("gen", "1"));

    String tagged =
        s3.putObjectTagging(
                b ->
                    b.bucket("tags")
                        .key("v")
                        .versionId(v1)
                        .tagging(t -> t.tagSet(tag("gen", "one"))))
            .versionId();
    assertThat(tagged).isEqualTo(v1);
    assertThat(tagsOf("v", v1)).containsExactlyEntriesOf(Map.of("gen", "one"));
    assertThat(tagsOf("v", v2)).containsExactlyEntriesOf(Map.of("gen", "2"));

    assertThat(s3.deleteObjectTagging(b -> b.bucket("tags").key("v").versionId(v2)).versionId())
        .isEqualTo(v2);
    assertThat(tagsOf("v", v2)).isEmpty();
    assertThat(tagsOf("v", v1)).containsExactlyEntriesOf(Map.of("gen", "one"));
    assertS3Error(() -> tagsOf("v", "no-such-version"), 404, "NoSuchVersion");
  }

  @Test
  void theTaggingHeaderTagsPutsCopiesAndMultipartUploads() {
    s3.putObject(
        b -> b.bucket("tags").key("src").tagging("a=1&b=two%20words&empty="),
        RequestBody.fromString("source"));
    assertThat(tagsOf("src", null))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "two words", "empty", ""));

    // COPY, the default, keeps the source's tags; REPLACE takes the header's.
    s3.copyObject(
        b ->
            b.sourceBucket("tags").sourceKey("src").destinationBucket("tags").destinationKey("c1"));
    assertThat(tagsOf("c1", null)).hasSize(3);
    s3.copyObject(
        b ->
            b.sourceBucket("tags")
                .sourceKey("src")
                .destinationBucket("tags")
                .destinationKey("c2")
                .taggingDirective(TaggingDirective.REPLACE)
                .tagging("fresh=yes"));
    assertThat(tagsOf("c2", null)).containsExactlyEntriesOf(Map.of("fresh", "yes"));
    s3.copyObject(
        b ->
            b.sourceBucket("tags")
                .sourceKey("src")
                .destinationBucket("tags")
                .destinationKey("c3")
                .taggingDirective(TaggingDirective.REPLACE));
    assertThat(tagsOf("c3", null)).isEmpty();

    String upload =
        s3.createMultipartUpload(b -> b.bucket("tags").key("mp").tagging("stage=done")).uploadId();
    String etag =
        s3.uploadPart(
                b -> b.bucket("tags").key("mp").uploadId(upload).partNumber(1),
                RequestBody.fromString("part"))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("tags")
                .key("mp")
                .uploadId(upload)
                .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(etag))));
    assertThat(tagsOf("mp", null)).containsExactlyEntriesOf(Map.of("stage", "done"));
    assertThat(s3.headObject(b -> b.bucket("tags").key("mp")).tagCount()).isEqualTo(1);
  }

  @Test
  void awsLimitsAndErrorCodes() {
    s3.putObject(b -> b.bucket("tags").key("k"), RequestBody.fromString("x"));
    List<Tag> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(tag("k" + i, "v"));
    }
    assertS3Error(
        () -> s3.putObjectTagging(b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(eleven))),
        400,
        "BadRequest");
    s3.putObjectTagging(
        b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(eleven.subList(0, 10))));
    assertThat(tagsOf("k", null)).hasSize(10);

    List<Map.Entry<List<Tag>, String>> refused =
        List.of(
            Map.entry(List.of(tag("k".repeat(129), "v")), "InvalidTag"),
            Map.entry(List.of(tag("k", "v".repeat(257))), "InvalidTag"),
            Map.entry(List.of(tag("", "v")), "InvalidTag"),
            Map.entry(List.of(tag("aws:reserved", "v")), "InvalidTag"),
            Map.entry(List.of(tag("bad*key", "v")), "InvalidTag"),
            Map.entry(List.of(tag("k", "bad<value>")), "InvalidTag"),
            Map.entry(List.of(tag("same", "1"), tag("same", "2")), "InvalidTag"));
    for (Map.Entry<List<Tag>, String> bad : refused) {
      assertS3Error(
          () ->
              s3.putObjectTagging(
                  b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(bad.getKey()))),
          400,
          bad.getValue());
    }
    // The longest key and value AWS takes, in characters, not bytes.
    s3.putObjectTagging(
        b ->
            b.bucket("tags")
                .key("k")
                .tagging(t -> t.tagSet(tag("ü".repeat(128), "ß".repeat(256)))));
    assertThat(tagsOf("k", null))
        .containsExactlyEntriesOf(Map.of("ü".repeat(128), "ß".repeat(256)));
    // Refused calls changed nothing.
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("tags").key("k").tagging("a=1&a=2"), RequestBody.fromString("y")),
        400,
        "InvalidTag");
    assertS3Error(
        () ->
            s3.putObject(
                b -> b.bucket("tags").key("k2").tagging("aws:x=1"), RequestBody.fromString("y")),
        400,
        "InvalidTag");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("tags").key("k")).asUtf8String()).isEqualTo("x");
    assertS3Error(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("tags")
                        .sourceKey("k")
                        .destinationBucket("tags")
                        .destinationKey("c")
                        .taggingDirective("MOVE")),
        400,
        "InvalidArgument");
    assertS3Error(
        () -> s3.getObjectTagging(b -> b.bucket("no-such-bucket").key("k")), 404, "NoSuchBucket");
  }

  Map<String, String> bucketTags(String bucket) {
    Map<String, String> tags = new LinkedHashMap<>();
    s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  @Test
  void bucketTagsArePutReadReplacedAndDeleted() {
    // A bucket without tags: 404 NoSuchTagSet, as AWS answers.
    assertS3Error(() -> bucketTags("tags"), 404, "NoSuchTagSet");

    s3.putBucketTagging(
        b ->
            b.bucket("tags")
                .tagging(t -> t.tagSet(tag("cost-center", "r+d 42"), tag("team", "ada@x.org"))));
    assertThat(bucketTags("tags"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("cost-center", "r+d 42", "team", "ada@x.org"));

    // A new set replaces the old one whole.
    s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(tag("only", ""))));
    assertThat(bucketTags("tags")).containsExactlyEntriesOf(Map.of("only", ""));

    // Bucket tags are not the objects' tags.
    s3.putObject(b -> b.bucket("tags").key("k"), RequestBody.fromString("x"));
    assertThat(tagsOf("k", null)).isEmpty();
    assertThat(s3.headObject(b -> b.bucket("tags").key("k")).tagCount()).isNull();

    s3.deleteBucketTagging(b -> b.bucket("tags"));
    assertS3Error(() -> bucketTags("tags"), 404, "NoSuchTagSet");
    // Deleting again is no error.
    s3.deleteBucketTagging(b -> b.bucket("tags"));

    // An empty tag set leaves the bucket without one.
    s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(tag("a", "1"))));
    s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(List.of())));
    assertS3Error(() -> bucketTags("tags"), 404, "NoSuchTagSet");

    // Another bucket of the instance keeps its own.
    s3.createBucket(b -> b.bucket("other"));
    s3.putBucketTagging(b -> b.bucket("other").tagging(t -> t.tagSet(tag("mine", "yes"))));
    assertThat(bucketTags("other")).containsExactlyEntriesOf(Map.of("mine", "yes"));
    assertS3Error(() -> bucketTags("tags"), 404, "NoSuchTagSet");

    for (Runnable call :
        List.<Runnable>of(
            () -> bucketTags("no-such-bucket"),
            () ->
                s3.putBucketTagging(
                    b -> b.bucket("no-such-bucket").tagging(t -> t.tagSet(tag("a", "1")))),
            () -> s3.deleteBucketTagging(b -> b.bucket("no-such-bucket")))) {
      assertS3Error(call, 404, "NoSuchBucket");
    }
  }

  @Test
  void bucketTagsFollowAwsLimitsAndErrorCodes() {
    List<Tag> fiftyOne = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      fiftyOne.add(tag("key-" + i, "value " + i));
    }
    assertS3Error(
        () -> s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(fiftyOne))),
        400,
        "BadRequest");
    assertS3Error(() -> bucketTags("tags"), 404, "NoSuchTagSet");
    s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(fiftyOne.subList(0, 50))));
    assertThat(bucketTags("tags")).hasSize(50).containsEntry("key-49", "value 49");

    // The character and length rules are the objects' tags'.
    List<List<Tag>> refused =
        List.of(
            List.of(tag("k".repeat(129), "v")),
            List.of(tag("k", "v".repeat(257))),
            List.of(tag("", "v")),
            List.of(tag("aws:createdBy", "v")),
            List.of(tag("bad*key", "v")),
            List.of(tag("k", "bad<value>")),
            List.of(tag("same", "1"), tag("other", "x"), tag("same", "2")));
    for (List<Tag> bad : refused) {
      assertS3Error(
          () -> s3.putBucketTagging(b -> b.bucket("tags").tagging(t -> t.tagSet(bad))),
          400,
          "InvalidTag");
    }
    // Refused calls changed nothing.
    assertThat(bucketTags("tags")).hasSize(50);

    s3.putBucketTagging(
        b -> b.bucket("tags").tagging(t -> t.tagSet(tag("ü".repeat(128), "ß".repeat(256)))));
    assertThat(bucketTags("tags"))
        .containsExactlyEntriesOf(Map.of("ü".repeat(128), "ß".repeat(256)));
  }
}
