package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.DeleteMarkerException;
import dev.cumulus.storage.object.application.ObjectTagging;
import dev.cumulus.storage.object.domain.ObjectTags;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Get/Put/DeleteObjectTagging (with {@code versionId}), and the {@code x-amz-tagging} header that
 * PutObject, CopyObject and CreateMultipartUpload take.
 */
class S3TaggingOperations {

  static final String TAGGING = "x-amz-tagging";
  static final String TAGGING_COUNT = "x-amz-tagging-count";
  private static final int MAX_TAGGING_BODY = 64 * 1024;

  private final ObjectTagging tagging;

  S3TaggingOperations(ObjectTagging tagging) {
    this.tagging = tagging;
  }

  Mono<ServerResponse> get(S3Call call) {
    return tagging
        .get(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            object -> {
              S3Xml xml = S3Xml.document("Tagging").open("TagSet");
              object
                  .tags()
                  .forEach(
                      (key, value) ->
                          xml.open("Tag").element("Key", key).element("Value", value).close("Tag"));
              return ServerResponse.ok()
                  .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
                  .contentType(MediaType.APPLICATION_XML)
                  .bodyValue(xml.close("TagSet").end("Tagging"));
            });
  }

  Mono<ServerResponse> put(S3Call call) {
    return call.xmlBody(MAX_TAGGING_BODY)
        .map(S3TaggingOperations::bodyTags)
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

  /** {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}, checked. */
  private static Map<String, String> bodyTags(String body) {
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
    ObjectTags.violation(tags)
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
