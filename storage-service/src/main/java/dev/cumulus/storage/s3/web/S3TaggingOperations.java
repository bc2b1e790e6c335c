package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.bucket.application.BucketTagging;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.DeleteMarkerException;
import dev.cumulus.storage.object.application.ObjectTagging;
import dev.cumulus.storage.object.domain.ObjectTags;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Get/Put/DeleteObjectTagging (with {@code versionId}), the {@code x-amz-tagging} header that
 * PutObject, CopyObject and CreateMultipartUpload take, and Get/Put/DeleteBucketTagging: one XML
 * shape and one set of tag rules ({@link ObjectTags}) for both.
 */
class S3TaggingOperations {

  static final String TAGGING = "x-amz-tagging";
  static final String TAGGING_COUNT = "x-amz-tagging-count";
  private static final int MAX_TAGGING_BODY = 64 * 1024;

  private final ObjectTagging tagging;
  private final BucketTagging bucketTagging;

  S3TaggingOperations(ObjectTagging tagging, BucketTagging bucketTagging) {
    this.tagging = tagging;
    this.bucketTagging = bucketTagging;
  }

  Mono<ServerResponse> get(S3Call call) {
    return tagging
        .get(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            object ->
                ServerResponse.ok()
                    .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
                    .contentType(MediaType.APPLICATION_XML)
                    .bodyValue(taggingXml(object.tags())));
  }

  /** GetBucketTagging: 404 NoSuchTagSet for a bucket without tags. */
  Mono<ServerResponse> getBucket(S3Call call) {
    return bucketTagging
        .get(call.instance(), call.bucket())
        .flatMap(
            tags ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_XML)
                    .bodyValue(taggingXml(tags)));
  }

  /** PutBucketTagging: replaces the whole tag set (at most 50 tags); 204 as S3 answers. */
  Mono<ServerResponse> putBucket(S3Call call) {
    return call.xmlBody(MAX_TAGGING_BODY)
        .map(body -> bodyTags(body, ObjectTags::bucketViolation))
        .flatMap(tags -> bucketTagging.replace(call.instance(), call.bucket(), tags))
        .then(ServerResponse.noContent().build());
  }

  Mono<ServerResponse> deleteBucket(S3Call call) {
    return bucketTagging
        .delete(call.instance(), call.bucket())
        .then(ServerResponse.noContent().build());
  }

  private static String taggingXml(Map<String, String> tags) {
    S3Xml xml = S3Xml.document("Tagging").open("TagSet");
    tags.forEach(
        (key, value) -> xml.open("Tag").element("Key", key).element("Value", value).close("Tag"));
    return xml.close("TagSet").end("Tagging");
  }

  Mono<ServerResponse> put(S3Call call) {
    return call.xmlBody(MAX_TAGGING_BODY)
        .map(body -> bodyTags(body, ObjectTags::violation))
        .flatMap(
            tags ->
                tagging.replace(
                    call.instance(), call.bucket(), call.key(), call.param("versionId"), tags))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            object ->
                ServerResponse.ok()
                    .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
                    .build());
  }

  Mono<ServerResponse> delete(S3Call call) {
    return tagging
        .replace(call.instance(), call.bucket(), call.key(), call.param("versionId"), Map.of())
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            object ->
                ServerResponse.noContent()
                    .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
                    .build());
  }

  /** {@code x-amz-tagging-count} of a GET or HEAD: only when the version has tags. */
  static void countHeader(HttpHeaders h, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      h.set(TAGGING_COUNT, Integer.toString(tags.size()));
    }
  }

  /** The tags of the request's {@code x-amz-tagging} header, checked; empty without one. */
  static Map<String, String> headerTags(S3Call call) {
    ObjectTags.Parsed parsed = ObjectTags.parseHeader(call.header(TAGGING));
    if (parsed.violation() != null) {
      throw refused(parsed.violation());
    }
    return parsed.tags();
  }

  /**
   * {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}, checked: a repeated key here, the rest
   * by {@code rules} (an object's or a bucket's).
   */
  private static Map<String, String> bodyTags(
      String body, Function<Map<String, String>, Optional<ObjectTags.Violation>> rules) {
    S3Xml.Node root = S3Xml.tree(body);
    S3Xml.Node tagSet = root.one("TagSet");
    if (!root.name().equals("Tagging") || tagSet == null) {
      throw S3Xml.malformed("expected <Tagging><TagSet>");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (S3Xml.Node tag : tagSet.all("Tag")) {
      String key = tag.text("Key");
      String value = tag.text("Value");
      if (key == null) {
        throw S3Xml.malformed("<Tag> without <Key>");
      }
      if (tags.put(key, value == null ? "" : value) != null) {
        throw refused(ObjectTags.duplicateKey());
      }
    }
    rules
        .apply(tags)
        .ifPresent(
            violation -> {
              throw refused(violation);
            });
    return tags;
  }

  private static RuntimeException refused(ObjectTags.Violation violation) {
    return StorageErrors.of(ErrorKind.BAD_REQUEST, violation.code(), violation.message(), null);
  }
}
