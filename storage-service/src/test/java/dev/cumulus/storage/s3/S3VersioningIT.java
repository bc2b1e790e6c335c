package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.IOException;
import java.util.List;
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
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 object versioning with the stock AWS SDK v2: states, versions, delete markers, listings. */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3VersioningIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3v");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  S3Client s3;

  @BeforeEach
  void instance() {
    String tenant = "t-" + UUID.randomUUID();
    String service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "s3-versioning-it", UrlConnectionHttpClient.create());
  }

  void versioned(String bucket, BucketVersioningStatus status) {
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(status)));
  }

  String put(String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  String read(String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void versioningCanBeEnabledSuspendedAndReported() {
    s3.createBucket(b -> b.bucket("states"));
    assertThat(s3.getBucketVersioning(b -> b.bucket("states")).status()).isNull();
    versioned("states", BucketVersioningStatus.ENABLED);
    assertThat(s3.getBucketVersioning(b -> b.bucket("states")).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    versioned("states", BucketVersioningStatus.SUSPENDED);
    assertThat(s3.getBucketVersioning(b -> b.bucket("states")).status())
        .isEqualTo(BucketVersioningStatus.SUSPENDED);
    assertS3Error(() -> versioned("nope", BucketVersioningStatus.ENABLED), 404, "NoSuchBucket");
  }

  @Test
  void everyOverwriteKeepsAVersionReadableById() {
    s3.createBucket(b -> b.bucket("vers"));
    versioned("vers", BucketVersioningStatus.ENABLED);
    String v1 = put("vers", "doc.txt", "one");
    String v2 = put("vers", "doc.txt", "two!");
    String v3 = put("vers", "doc.txt", "three");
    assertThat(java.util.Arrays.asList(v1, v2, v3))
        .doesNotHaveDuplicates()
        .doesNotContainNull()
        .doesNotContain("null");

    ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket("vers"));
    assertThat(listed.versions()).extracting(ObjectVersion::versionId).containsExactly(v3, v2, v1);
    assertThat(listed.versions())
        .extracting(ObjectVersion::isLatest)
        .containsExactly(true, false, false);
    assertThat(listed.versions()).extracting(ObjectVersion::size).containsExactly(5L, 4L, 3L);
    assertThat(listed.deleteMarkers()).isEmpty();

    assertThat(read("vers", "doc.txt", v1)).isEqualTo("one");
    assertThat(read("vers", "doc.txt", v2)).isEqualTo("two!");
    assertThat(read("vers", "doc.txt", null)).isEqualTo("three");
    assertThat(s3.headObject(b -> b.bucket("vers").key("doc.txt").versionId(v1)).versionId())
        .isEqualTo(v1);
    assertThat(s3.getObject(b -> b.bucket("vers").key("doc.txt")).response().versionId())
        .isEqualTo(v3);
    assertThat(s3.listObjectsV2(b -> b.bucket("vers")).contents()).hasSize(1);

    // Permanently deleting the current version makes the previous one current again.
    s3.deleteObject(b -> b.bucket("vers").key("doc.txt").versionId(v3));
    assertThat(read("vers", "doc.txt", null)).isEqualTo("two!");
    assertThat(s3.listObjectVersions(b -> b.bucket("vers")).versions())
        .extracting(ObjectVersion::versionId, ObjectVersion::isLatest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(v2, true),
            org.assertj.core.groups.Tuple.tuple(v1, false));

    assertS3Error(() -> read("vers", "doc.txt", v3), 404, "NoSuchVersion");
    assertS3Error(() -> read("vers", "doc.txt", "no-such-version"), 404, "NoSuchVersion");
  }

  @Test
  void deleteMarkersHideTheKeyUntilTheyAreDeleted() {
    s3.createBucket(b -> b.bucket("marks"));
    versioned("marks", BucketVersioningStatus.ENABLED);
    String v1 = put("marks", "a/key.txt", "kept");
    var deleted = s3.deleteObject(b -> b.bucket("marks").key("a/key.txt"));
    assertThat(deleted.deleteMarker()).isTrue();
    String marker = deleted.versionId();
    assertThat(marker).isNotEqualTo(v1);

    assertThatThrownBy(() -> read("marks", "a/key.txt", null))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
              assertThat(
                      e.awsErrorDetails()
                          .sdkHttpResponse()
                          .firstMatchingHeader("x-amz-delete-marker"))
                  .contains("true");
            });
    assertS3Error(() -> s3.headObject(b -> b.bucket("marks").key("a/key.txt")), 404, null);
    assertThat(s3.listObjectsV2(b -> b.bucket("marks")).contents()).isEmpty();
    assertThat(read("marks", "a/key.txt", v1)).isEqualTo("kept");

    ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket("marks"));
    assertThat(listed.deleteMarkers())
        .extracting(DeleteMarkerEntry::versionId, DeleteMarkerEntry::isLatest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(marker, true));
    assertThat(listed.versions())
        .extracting(ObjectVersion::versionId, ObjectVersion::isLatest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(v1, false));
    assertThat(s3.listObjectVersions(b -> b.bucket("marks").delimiter("/")).commonPrefixes())
        .extracting(p -> p.prefix())
        .containsExactly("a/");

    // The bucket still holds versions: it cannot be deleted.
    assertS3Error(() -> s3.deleteBucket(b -> b.bucket("marks")), 409, "BucketNotEmpty");

    var unmarked = s3.deleteObject(b -> b.bucket("marks").key("a/key.txt").versionId(marker));
    assertThat(unmarked.deleteMarker()).isTrue();
    assertThat(read("marks", "a/key.txt", null)).isEqualTo("kept");
    assertThat(s3.listObjectsV2(b -> b.bucket("marks")).contents()).hasSize(1);

    s3.deleteObject(b -> b.bucket("marks").key("a/key.txt").versionId(v1));
    assertThat(s3.listObjectVersions(b -> b.bucket("marks")).versions()).isEmpty();
    s3.deleteBucket(b -> b.bucket("marks"));
  }

  @Test
  void versionListingsPageWithKeyAndVersionMarkers() {
    s3.createBucket(b -> b.bucket("pages"));
    versioned("pages", BucketVersioningStatus.ENABLED);
    put("pages", "a", "1");
    put("pages", "a", "2");
    put("pages", "b", "3");
    s3.deleteObject(b -> b.bucket("pages").key("b"));
    put("pages", "c", "4");
    List<String> seen = new java.util.ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    for (int pages = 0; pages < 10; pages++) {
      String k = keyMarker;
      String v = versionMarker;
      ListObjectVersionsResponse page =
          s3.listObjectVersions(b -> b.bucket("pages").maxKeys(2).keyMarker(k).versionIdMarker(v));
      page.versions().forEach(o -> seen.add(o.key() + ":" + o.versionId()));
      page.deleteMarkers().forEach(o -> seen.add(o.key() + ":" + o.versionId()));
      if (!page.isTruncated()) {
        break;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void suspendedBucketsWriteTheNullVersion() {
    s3.createBucket(b -> b.bucket("susp"));
    versioned("susp", BucketVersioningStatus.ENABLED);
    String kept = put("susp", "k", "enabled");
    versioned("susp", BucketVersioningStatus.SUSPENDED);
    assertThat(put("susp", "k", "first null")).isEqualTo("null");
    assertThat(put("susp", "k", "second null")).isEqualTo("null");
    assertThat(read("susp", "k", null)).isEqualTo("second null");
    assertThat(read("susp", "k", "null")).isEqualTo("second null");
    assertThat(s3.listObjectVersions(b -> b.bucket("susp")).versions())
        .extracting(ObjectVersion::versionId)
        .containsExactly("null", kept);
    assertThat(read("susp", "k", kept)).isEqualTo("enabled");
  }

  @Test
  void unversionedBucketsShowNoVersionIdsAndOverwriteInPlace() {
    s3.createBucket(b -> b.bucket("plain"));
    assertThat(put("plain", "k", "one")).isNull();
    assertThat(put("plain", "k", "two")).isNull();
    assertThat(s3.getObject(b -> b.bucket("plain").key("k")).response().versionId()).isNull();
    assertThat(s3.listObjectVersions(b -> b.bucket("plain")).versions())
        .extracting(ObjectVersion::versionId)
        .containsExactly("null");
    var deleted = s3.deleteObject(b -> b.bucket("plain").key("k"));
    assertThat(deleted.deleteMarker()).isNull();
    assertThat(s3.listObjectVersions(b -> b.bucket("plain")).versions()).isEmpty();
    s3.deleteBucket(b -> b.bucket("plain"));
  }

  @Test
  void copiesAndMultiDeletesHonourVersionIds() {
    s3.createBucket(b -> b.bucket("copies"));
    versioned("copies", BucketVersioningStatus.ENABLED);
    String v1 = put("copies", "src", "old");
    put("copies", "src", "new");
    var copied =
        s3.copyObject(
            b ->
                b.sourceBucket("copies")
                    .sourceKey("src")
                    .sourceVersionId(v1)
                    .destinationBucket("copies")
                    .destinationKey("dst"));
    assertThat(copied.copySourceVersionId()).isEqualTo(v1);
    assertThat(copied.versionId()).isNotNull();
    assertThat(read("copies", "dst", null)).isEqualTo("old");

    var result =
        s3.deleteObjects(
            b ->
                b.bucket("copies")
                    .delete(d -> d.objects(o -> o.key("src").versionId(v1), o -> o.key("dst"))));
    assertThat(result.errors()).isEmpty();
    assertThat(result.deleted()).hasSize(2);
    assertThat(s3.listObjectsV2(b -> b.bucket("copies")).contents())
        .extracting(o -> o.key())
        .containsExactly("src");
    assertThat(s3.listObjectVersions(b -> b.bucket("copies").prefix("src")).versions()).hasSize(1);

    // CompleteMultipartUpload creates a version too.
    String upload = s3.createMultipartUpload(b -> b.bucket("copies").key("src")).uploadId();
    String part =
        s3.uploadPart(
                b -> b.bucket("copies").key("src").uploadId(upload).partNumber(1),
                RequestBody.fromString("assembled"))
            .eTag();
    String assembled =
        s3.completeMultipartUpload(
                b ->
                    b.bucket("copies")
                        .key("src")
                        .uploadId(upload)
                        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part))))
            .versionId();
    assertThat(assembled).isNotNull().isNotEqualTo("null");
    assertThat(read("copies", "src", null)).isEqualTo("assembled");
    assertThat(s3.listObjectVersions(b -> b.bucket("copies").prefix("src")).versions())
        .extracting(ObjectVersion::versionId)
        .startsWith(assembled)
        .hasSize(2);
  }
}
