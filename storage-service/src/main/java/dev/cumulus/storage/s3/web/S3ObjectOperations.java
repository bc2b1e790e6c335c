package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.object.application.ContentTypes;
import dev.cumulus.storage.object.application.CopyObjectCommand;
import dev.cumulus.storage.object.application.CustomerKeys;
import dev.cumulus.storage.object.application.DeleteMarkerException;
import dev.cumulus.storage.object.application.Deletion;
import dev.cumulus.storage.object.application.Download;
import dev.cumulus.storage.object.application.ObjectDeleter;
import dev.cumulus.storage.object.application.ObjectMetadata;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.application.ObjectWriter;
import dev.cumulus.storage.object.application.PutObjectCommand;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.Preconditions;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.domain.WriteCondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * S3 operations on objects (Put/Get/Head/Delete/CopyObject and DeleteObjects), on top of the same
 * object services as the seed API.
 */
class S3ObjectOperations {

  static final int MAX_METADATA_BYTES = 2048;
  static final String VERSION_ID = "x-amz-version-id";
  static final String DELETE_MARKER = "x-amz-delete-marker";
  static final String COPY_SOURCE = "x-amz-copy-source";
  static final String PARTS_COUNT = "x-amz-mp-parts-count";
  private static final String META = "x-amz-meta-";
  private static final int MAX_DELETE_BODY = 2 * 1024 * 1024;
  private static final Map<String, String> RESPONSE_OVERRIDES =
      Map.of(
          "response-content-type", HttpHeaders.CONTENT_TYPE,
          "response-content-language", HttpHeaders.CONTENT_LANGUAGE,
          "response-expires", HttpHeaders.EXPIRES,
          "response-cache-control", HttpHeaders.CACHE_CONTROL,
          "response-content-disposition", HttpHeaders.CONTENT_DISPOSITION,
          "response-content-encoding", HttpHeaders.CONTENT_ENCODING);

  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final ObjectDeleter deleter;
  private final S3CustomerKeys customerKeys;
  private final S3ObjectAttributes attributes;

  S3ObjectOperations(
      ObjectWriter writer,
      ObjectReader reader,
      ObjectDeleter deleter,
      S3CustomerKeys customerKeys) {
    this.writer = writer;
    this.reader = reader;
    this.deleter = deleter;
    this.customerKeys = customerKeys;
    this.attributes = new S3ObjectAttributes(reader, customerKeys);
  }

  Mono<ServerResponse> attributes(S3Call call) {
    return attributes.get(call);
  }

  Mono<ServerResponse> delete(S3Call call) {
    // S3 answers 204 whether or not the key (or version) existed.
    return deleter
        .delete(
            call.instance(),
            call.bucket(),
            call.key(),
            call.param("versionId"),
            S3ObjectLockOperations.bypass(call))
        .flatMap(
            d ->
                ServerResponse.noContent()
                    .headers(
                        h -> {
                          versionHeader(h, d.versionId());
                          if (d.deleteMarker()) {
                            h.set(DELETE_MARKER, "true");
                          }
                        })
                    .build());
  }

  Mono<ServerResponse> put(S3Call call) {
    CustomerKey customerKey = customerKeys.of(call);
    AtomicReference<ObjectChecksum> checksum = new AtomicReference<>();
    PutObjectCommand put =
        new PutObjectCommand(
            call.instance(),
            call.bucket(),
            call.key(),
            call.header(HttpHeaders.CONTENT_TYPE),
            userMetadata(call.headers()),
            call.expectedMd5Hex(),
            S3EncryptionOperations.requested(call),
            declaredSize(call),
            S3TaggingOperations.headerTags(call),
            writeCondition(call),
            S3ObjectLockOperations.headerLock(call),
            checksummed(call),
            customerKey,
            checksum::get,
            call.body(checksum));
    return writer
        .put(put)
        .flatMap(
            o ->
                ServerResponse.ok()
                    .eTag(quoted(o.etag()))
                    .headers(
                        h -> {
                          versionHeader(h, o.versionId());
                          encryptionHeaders(h, o, call);
                          S3Checksums.headers(h, o.checksum());
                        })
                    .build());
  }

  /**
   * The object's size as the request announces it: {@code x-amz-decoded-content-length} for
   * aws-chunked bodies (their Content-Length counts the chunk framing too), else Content-Length; -1
   * when neither says (the bytes are then counted as they arrive).
   */
  static long declaredSize(S3Call call) {
    String decoded = call.header("x-amz-decoded-content-length");
    String sha = call.header("x-amz-content-sha256");
    String length =
        decoded != null
            ? decoded
            : sha != null && sha.startsWith("STREAMING-") ? null : call.header("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // the payload checks name the malformed header
    }
  }

  /**
   * Whether the request carries a checksum of its body that is verified as it streams: an {@code
   * x-amz-checksum-*} header, or one announced in {@code x-amz-trailer} (aws-chunked).
   */
  static boolean checksummed(S3Call call) {
    String trailer = call.header("x-amz-trailer");
    if (trailer != null && trailer.toLowerCase(Locale.ROOT).contains("x-amz-checksum-")) {
      return true;
    }
    return call.headers().headerNames().stream()
        .anyMatch(
            name ->
                name.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")
                    && !name.equalsIgnoreCase("x-amz-checksum-type")
                    && !name.equalsIgnoreCase("x-amz-checksum-algorithm"));
  }

  /**
   * A write's If-Match / If-None-Match (S3's conditional writes); null when it sends neither.
   *
   * @throws ApiException {@code NotImplemented} for an If-None-Match other than {@code *}: S3 takes
   *     only that one
   */
  static WriteCondition writeCondition(S3Call call) {
    String ifNoneMatch = call.header(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
      throw S3ErrorCode.NOT_IMPLEMENTED.error("If-None-Match takes only *");
    }
    return WriteCondition.of(call.header(HttpHeaders.IF_MATCH), ifNoneMatch != null);
  }

  /** {@code x-amz-version-id}, only for buckets that were ever versioned. */
  static void versionHeader(HttpHeaders h, String versionId) {
    if (versionId != null) {
      h.set(VERSION_ID, versionId);
    }
  }

  /** Where {@code x-amz-copy-source} points. */
  record CopySource(String bucket, String key, String versionId) {}

  static CopySource copySource(S3Call call) {
    String source = UriUtils.decode(call.header(COPY_SOURCE), StandardCharsets.UTF_8);
    if (source.startsWith("/")) {
      source = source.substring(1);
    }
    int versionAt = source.indexOf("?versionId=");
    String versionId = null;
    if (versionAt >= 0) {
      versionId = source.substring(versionAt + "?versionId=".length());
      source = source.substring(0, versionAt);
    }
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", source);
    }
    return new CopySource(source.substring(0, slash), source.substring(slash + 1), versionId);
  }

  Mono<ServerResponse> copy(S3Call call) {
    CopySource source = copySource(call);
    String sourceBucket = source.bucket();
    String sourceKey = source.key();
    boolean replace = "REPLACE".equalsIgnoreCase(call.header("x-amz-metadata-directive"));
    boolean encrypt = S3EncryptionOperations.requested(call);
    String taggingDirective = call.header("x-amz-tagging-directive");
    if (taggingDirective != null
        && !taggingDirective.equals("COPY")
        && !taggingDirective.equals("REPLACE")) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Unknown tagging directive.", "x-amz-tagging-directive: " + taggingDirective);
    }
    // COPY (the default) keeps the source's tags; REPLACE takes x-amz-tagging's, none without it.
    Map<String, String> tags =
        "REPLACE".equals(taggingDirective) ? S3TaggingOperations.headerTags(call) : null;
    // If-Match / If-None-Match: * are the destination's condition (conditional writes), the
    // x-amz-copy-source-if-* headers the source's.
    WriteCondition condition = writeCondition(call);
    ObjectLockRequest lock = S3ObjectLockOperations.headerLock(call);
    CustomerKey sourceCustomerKey = customerKeys.ofCopySource(call);
    CustomerKey targetCustomerKey = customerKeys.of(call);
    if (sourceBucket.equals(call.bucket())
        && sourceKey.equals(call.key())
        && source.versionId() == null
        && !replace
        && tags == null
        && !encrypt
        && targetCustomerKey == null) {
      // S3 refuses a copy that would change nothing (copying an older version over it is fine).
      throw S3ErrorCode.INVALID_REQUEST.error(
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.",
          null);
    }
    ObjectMetadata metadata =
        replace
            ? new ObjectMetadata(
                call.header(HttpHeaders.CONTENT_TYPE), userMetadata(call.headers()))
            : null;
    return reader
        .head(call.instance(), sourceBucket, sourceKey, source.versionId())
        .flatMap(
            found -> {
              Preconditions.Outcome outcome =
                  Preconditions.evaluate(
                      found,
                      call.header("x-amz-copy-source-if-match"),
                      call.header("x-amz-copy-source-if-none-match"),
                      date(call, "x-amz-copy-source-if-modified-since"),
                      date(call, "x-amz-copy-source-if-unmodified-since"),
                      true);
              if (outcome != Preconditions.Outcome.PROCEED) {
                return Mono.error(preconditionFailed());
              }
              return writer
                  .copy(
                      new CopyObjectCommand(
                          call.instance(),
                          sourceBucket,
                          sourceKey,
                          found.versionId(),
                          call.bucket(),
                          call.key(),
                          metadata,
                          encrypt,
                          tags,
                          condition,
                          lock,
                          sourceCustomerKey,
                          targetCustomerKey))
                  .map(copied -> new Copied(found, copied));
            })
        .flatMap(
            done ->
                ServerResponse.ok()
                    .headers(
                        h -> {
                          versionHeader(h, done.copy().versionId());
                          encryptionHeaders(h, done.copy(), call);
                          if (done.source().versionId() != null) {
                            h.set("x-amz-copy-source-version-id", done.source().versionId());
                          }
                        })
                    .contentType(org.springframework.http.MediaType.APPLICATION_XML)
                    .bodyValue(
                        S3Xml.document("CopyObjectResult")
                            .element("LastModified", S3Xml.timestamp(done.copy().lastModified()))
                            .element("ETag", quoted(done.copy().etag()))
                            .end("CopyObjectResult")));
  }

  /** The source version that was read and the new object a copy made. */
  private record Copied(StoredObject source, StoredObject copy) {}

  Mono<ServerResponse> get(S3Call call) {
    return read(call, false);
  }

  Mono<ServerResponse> head(S3Call call) {
    return read(call, true);
  }

  private Mono<ServerResponse> read(S3Call call, boolean headOnly) {
    Integer partNumber = readPartNumber(call);
    CustomerKey customerKey = customerKeys.of(call);
    boolean checksumMode = S3Checksums.requested(call);
    return reader
        .head(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .doOnError(DeleteMarkerException.class, e -> markerHeaders(call, e))
        .flatMap(
            object -> {
              // S3 answers a missing or wrong key before it looks at anything else.
              CustomerKeys.check(object, customerKey);
              Preconditions.Outcome outcome =
                  Preconditions.evaluate(
                      object,
                      call.header(HttpHeaders.IF_MATCH),
                      call.header(HttpHeaders.IF_NONE_MATCH),
                      date(call, HttpHeaders.IF_MODIFIED_SINCE),
                      date(call, HttpHeaders.IF_UNMODIFIED_SINCE),
                      true);
              if (outcome == Preconditions.Outcome.FAILED) {
                return Mono.error(preconditionFailed());
              }
              if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
                return ServerResponse.status(HttpStatus.NOT_MODIFIED)
                    .eTag(quoted(object.etag()))
                    .lastModified(object.lastModified())
                    .build();
              }
              Download download;
              if (partNumber != null) {
                if (partNumber > object.partCount()) {
                  return Mono.error(
                      S3ErrorCode.INVALID_PART_NUMBER.error(
                          "partNumber "
                              + partNumber
                              + "; the object has "
                              + object.partCount()
                              + (object.partCount() == 1 ? " part" : " parts")));
                }
                ByteRange part = object.part(partNumber).orElse(null);
                if (part == null && object.multipart()) {
                  // An empty part of a multipart object: none of its bytes.
                  return ServerResponse.status(HttpStatus.PARTIAL_CONTENT)
                      .headers(h -> objectHeaders(h, object, call))
                      .header(PARTS_COUNT, Integer.toString(object.partCount()))
                      .contentLength(0)
                      .build();
                }
                download = reader.download(object, part, customerKey);
              } else {
                try {
                  download = reader.download(object, call.header(HttpHeaders.RANGE), customerKey);
                } catch (ByteRange.Unsatisfiable e) {
                  return Mono.error(
                      S3ErrorCode.INVALID_RANGE.error("object size " + object.size()));
                }
              }
              ServerResponse.BodyBuilder response =
                  ServerResponse.status(
                          download.range() == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT)
                      .headers(h -> objectHeaders(h, object, call));
              if (checksumMode && download.range() == null && partNumber == null) {
                // A checksum is of the whole object: none for a range or a part.
                response.headers(h -> S3Checksums.headers(h, object.checksum()));
              }
              if (partNumber != null && object.multipart()) {
                // S3 reports the count only for an object uploaded in parts.
                response.header(PARTS_COUNT, Integer.toString(object.partCount()));
              }
              long length = object.size();
              if (download.range() != null) {
                ByteRange r = download.range();
                length = r.length();
                response.header(
                    HttpHeaders.CONTENT_RANGE,
                    "bytes " + r.first() + "-" + r.last() + "/" + object.size());
              }
              response.contentLength(length);
              if (headOnly) {
                return response.build();
              }
              return response.body(body(download));
            });
  }

  /**
   * GetObject/HeadObject's {@code partNumber} (1 to 10,000), null without one; refused with a
   * {@code Range} header, as S3 refuses both at once.
   */
  private static Integer readPartNumber(S3Call call) {
    String value = call.param("partNumber");
    if (value == null) {
      return null;
    }
    int partNumber;
    try {
      partNumber = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      partNumber = 0;
    }
    if (partNumber < 1 || partNumber > 10_000) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Part number must be an integer between 1 and 10000, inclusive", value);
    }
    if (call.header(HttpHeaders.RANGE) != null) {
      throw S3ErrorCode.INVALID_REQUEST.error(
          "Cannot specify both Range header and partNumber query parameter", null);
    }
    return partNumber;
  }

  /**
   * Sends a plain file region with {@code sendfile} when the server supports it (Reactor Netty
   * does): the bytes never cross the heap, which doubles large GETs on this hardware. Anything else
   * is streamed through buffers.
   */
  private static BodyInserter<Object, ReactiveHttpOutputMessage> body(Download download) {
    BlobRegion region = download.region();
    return (message, context) ->
        region != null && message instanceof ZeroCopyHttpOutputMessage zeroCopy
            ? zeroCopy.writeWith(region.file(), region.offset(), region.length())
            : message.writeWith(download.content());
  }

  /** A read that hit a delete marker still names it, on the error response. */
  static void markerHeaders(S3Call call, DeleteMarkerException e) {
    HttpHeaders h = call.request().exchange().getResponse().getHeaders();
    h.set(DELETE_MARKER, "true");
    versionHeader(h, e.versionId());
  }

  Mono<ServerResponse> deleteObjects(S3Call call) {
    boolean bypass = S3ObjectLockOperations.bypass(call);
    return call.xmlBody(MAX_DELETE_BODY)
        .flatMap(
            body -> {
              boolean quiet =
                  S3Xml.texts(body, "Quiet").stream().anyMatch(q -> q.strip().equals("true"));
              List<S3Xml.Element> entries = S3Xml.elements(body, "Object");
              List<String> keys = entries.stream().map(e -> e.text("Key")).toList();
              if (keys.isEmpty() || keys.size() > 1000 || keys.contains(null)) {
                return Mono.error(S3Xml.malformed("Delete needs 1 to 1000 <Object><Key> entries"));
              }
              S3Xml xml = S3Xml.document("DeleteResult");
              return Flux.fromIterable(entries)
                  .concatMap(
                      entry ->
                          deleter
                              .delete(
                                  call.instance(),
                                  call.bucket(),
                                  entry.text("Key"),
                                  emptyToNull(entry.text("VersionId")),
                                  bypass)
                              .map(
                                  d ->
                                      new DeleteOutcome(
                                          entry.text("Key"), entry.text("VersionId"), d, null))
                              .onErrorResume(
                                  ApiException.class,
                                  e ->
                                      Mono.just(
                                          new DeleteOutcome(
                                              entry.text("Key"),
                                              entry.text("VersionId"),
                                              null,
                                              e))))
                  .doOnNext(
                      outcome -> {
                        if (outcome.error() == null) {
                          if (!quiet) {
                            deleted(xml, outcome);
                          }
                        } else {
                          xml.open("Error")
                              .element("Key", outcome.key())
                              .element("VersionId", outcome.requestedVersion())
                              .element("Code", outcome.error().code())
                              .element("Message", outcome.error().getMessage())
                              .close("Error");
                        }
                      })
                  .then(Mono.defer(() -> S3BucketOperations.xml(xml.end("DeleteResult"))));
            });
  }

  /** One entry of a DeleteObjects request: what was deleted, or the error that kept it. */
  private record DeleteOutcome(
      String key, String requestedVersion, Deletion deletion, ApiException error) {}

  /** A version deleted by id names it; a delete marker written names the marker. */
  private static void deleted(S3Xml xml, DeleteOutcome outcome) {
    Deletion d = outcome.deletion();
    xml.open("Deleted").element("Key", outcome.key());
    if (outcome.requestedVersion() != null) {
      xml.element("VersionId", outcome.requestedVersion());
      if (d.deleteMarker()) {
        xml.element("DeleteMarker", true);
        xml.element("DeleteMarkerVersionId", d.versionId());
      }
    } else if (d.deleteMarker()) {
      xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", d.versionId());
    }
    xml.close("Deleted");
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void objectHeaders(HttpHeaders h, StoredObject object, S3Call call) {
    h.setContentType(ContentTypes.forReading(object.contentType()));
    h.setETag(quoted(object.etag()));
    h.setLastModified(object.lastModified());
    h.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    versionHeader(h, object.versionId());
    encryptionHeaders(h, object, call);
    object.userMetadata().forEach((k, v) -> h.set(META + k, v));
    S3TaggingOperations.countHeader(h, object.tags());
    S3ObjectLockOperations.responseHeaders(h, object);
    RESPONSE_OVERRIDES.forEach(
        (param, header) -> {
          String value = call.param(param);
          if (value != null) {
            h.set(header, value);
          }
        });
  }

  /** SSE-S3's header for an object the service encrypted, SSE-C's for one the client's key did. */
  private static void encryptionHeaders(HttpHeaders h, StoredObject object, S3Call call) {
    if (object.customerEncrypted()) {
      S3CustomerKeys.responseHeaders(h, call);
    } else {
      S3EncryptionOperations.responseHeader(h, object.encrypted());
    }
  }

  /** {@code x-amz-meta-*} headers, names lower-cased without the prefix; at most 2 KB in all. */
  static Map<String, String> userMetadata(HttpHeaders headers) {
    Map<String, String> metadata = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> header : headers.headerSet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META) && name.length() > META.length()) {
        String key = name.substring(META.length());
        String value = String.join(",", header.getValue());
        metadata.put(key, value);
        size +=
            key.getBytes(StandardCharsets.UTF_8).length
                + value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_METADATA_BYTES) {
      throw S3ErrorCode.METADATA_TOO_LARGE.error(size + " bytes; at most " + MAX_METADATA_BYTES);
    }
    return metadata;
  }

  private static Instant date(S3Call call, String header) {
    try {
      long millis = call.headers().getFirstDate(header);
      return millis < 0 ? null : Instant.ofEpochMilli(millis);
    } catch (IllegalArgumentException e) {
      return null; // an unparsable date is ignored, as RFC 9110 says
    }
  }

  private static ApiException preconditionFailed() {
    return S3ErrorCode.PRECONDITION_FAILED.error(null);
  }

  static String quoted(String etag) {
    return etag == null ? null : "\"" + etag + "\"";
  }
}
