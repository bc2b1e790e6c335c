package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.multipart.domain.MultipartUpload;
import dev.cumulus.storage.multipart.domain.UploadedPart;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.WriteCondition;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * S3 multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, ListParts,
 * CompleteMultipartUpload, AbortMultipartUpload and ListMultipartUploads, over {@link
 * MultipartService}.
 */
class S3MultipartOperations {

  private static final int MAX_LIST = 1000;
  private static final int MAX_COMPLETE_BODY = 2 * 1024 * 1024;

  private final MultipartService multipart;
  private final ObjectReader reader;

  private final S3CustomerKeys customerKeys;

  S3MultipartOperations(
      MultipartService multipart, ObjectReader reader, S3CustomerKeys customerKeys) {
    this.customerKeys = customerKeys;
    this.multipart = multipart;
    this.reader = reader;
  }

  Mono<ServerResponse> abort(S3Call call) {
    return multipart
        .abort(call.instance(), call.bucket(), call.key(), uploadId(call))
        .then(ServerResponse.noContent().build());
  }

  Mono<ServerResponse> create(S3Call call) {
    CustomerKey customerKey = customerKeys.of(call);
    String checksumAlgorithm = S3Checksums.algorithm(call);
    return multipart
        .create(
            call.instance(),
            call.bucket(),
            call.key(),
            call.header(HttpHeaders.CONTENT_TYPE),
            S3ObjectOperations.userMetadata(call.headers()),
            S3EncryptionOperations.requested(call),
            S3TaggingOperations.headerTags(call),
            S3ObjectLockOperations.headerLock(call),
            customerKey,
            checksumAlgorithm)
        .doOnNext(
            upload ->
                call.request()
                    .exchange()
                    .getAttributes()
                    .put(S3AclWrites.UPLOAD_ID, upload.uploadId()))
        .flatMap(
            upload ->
                ServerResponse.ok()
                    .headers(
                        h -> {
                          encryptionHeaders(h, upload.encrypted(), customerKey, call);
                          if (checksumAlgorithm != null) {
                            h.set("x-amz-checksum-algorithm", checksumAlgorithm);
                          }
                        })
                    .contentType(org.springframework.http.MediaType.APPLICATION_XML)
                    .bodyValue(
                        S3Xml.document("InitiateMultipartUploadResult")
                            .element("Bucket", call.bucket())
                            .element("Key", call.key())
                            .element("UploadId", upload.uploadId())
                            .end("InitiateMultipartUploadResult")));
  }

  Mono<ServerResponse> uploadPart(S3Call call) {
    CustomerKey customerKey = customerKeys.of(call);
    AtomicReference<ObjectChecksum> checksum = new AtomicReference<>();
    return multipart
        .uploadPart(
            call.instance(),
            call.bucket(),
            call.key(),
            uploadId(call),
            partNumber(call),
            call.body(checksum),
            customerKey,
            checksum::get)
        .flatMap(
            part ->
                ServerResponse.ok()
                    .eTag(S3ObjectOperations.quoted(part.etag()))
                    .headers(
                        h -> {
                          if (customerKey != null) {
                            S3CustomerKeys.responseHeaders(h, call);
                          }
                          S3Checksums.headers(h, checksum.get());
                          h.remove("x-amz-checksum-type");
                        })
                    .build());
  }

  /** SSE-C's headers when the client's key sealed it, else SSE-S3's when the service did. */
  private static void encryptionHeaders(
      HttpHeaders h, boolean encrypted, CustomerKey customerKey, S3Call call) {
    if (customerKey != null) {
      S3CustomerKeys.responseHeaders(h, call);
    } else {
      S3EncryptionOperations.responseHeader(h, encrypted);
    }
  }

  Mono<ServerResponse> copyPart(S3Call call) {
    S3ObjectOperations.CopySource source = S3ObjectOperations.copySource(call);
    CustomerKey sourceCustomerKey = customerKeys.ofCopySource(call);
    CustomerKey customerKey = customerKeys.of(call);
    String uploadId = uploadId(call);
    int partNumber = partNumber(call);
    return reader
        .head(call.instance(), source.bucket(), source.key(), source.versionId())
        .flatMap(
            object -> {
              String range = call.header("x-amz-copy-source-range");
              long offset = 0;
              long length = object.size();
              if (range != null) {
                ByteRange r = copyRange(range, object.size());
                offset = r.first();
                length = r.length();
              }
              return multipart.copyPart(
                  call.instance(),
                  call.bucket(),
                  call.key(),
                  uploadId,
                  partNumber,
                  object,
                  offset,
                  length,
                  sourceCustomerKey,
                  customerKey);
            })
        .flatMap(
            part ->
                S3BucketOperations.xml(
                    S3Xml.document("CopyPartResult")
                        .element("LastModified", S3Xml.timestamp(part.lastModified()))
                        .element("ETag", S3ObjectOperations.quoted(part.etag()))
                        .end("CopyPartResult")));
  }

  private static final java.util.regex.Pattern COPY_RANGE =
      java.util.regex.Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");

  /**
   * {@code x-amz-copy-source-range} as S3 takes it: {@code bytes=first-last}, both given (no suffix
   * or open range, unlike GET's Range), first not past last, last inside the source; else 400
   * InvalidArgument, as S3 answers.
   */
  static ByteRange copyRange(String header, long size) {
    java.util.regex.Matcher m = COPY_RANGE.matcher(header.strip());
    if (!m.matches()) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "The x-amz-copy-source-range value must be of the form bytes=first-last where first and"
              + " last are the zero-based offsets of the first and last bytes to copy",
          header);
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first > last || last >= size) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Range specified is not valid for source object of size: " + size, header);
    }
    return new ByteRange(first, last);
  }

  Mono<ServerResponse> listParts(S3Call call) {
    String uploadId = uploadId(call);
    int maxParts = Math.min(count(call.param("max-parts"), MAX_LIST, "max-parts"), MAX_LIST);
    int after = count(call.param("part-number-marker"), 0, "part-number-marker");
    return multipart
        .parts(call.instance(), call.bucket(), call.key(), uploadId, after, maxParts + 1)
        .collectList()
        .flatMap(
            found -> {
              boolean truncated = found.size() > maxParts;
              List<UploadedPart> parts = truncated ? found.subList(0, maxParts) : found;
              S3Xml xml =
                  S3Xml.document("ListPartsResult")
                      .element("Bucket", call.bucket())
                      .element("Key", call.key())
                      .element("UploadId", uploadId)
                      .element("PartNumberMarker", after)
                      .element(
                          "NextPartNumberMarker",
                          parts.isEmpty() ? null : parts.get(parts.size() - 1).partNumber())
                      .element("MaxParts", maxParts)
                      .element("IsTruncated", truncated)
                      .element("StorageClass", "STANDARD");
              for (UploadedPart part : parts) {
                xml.open("Part")
                    .element("PartNumber", part.partNumber())
                    .element("LastModified", S3Xml.timestamp(part.lastModified()))
                    .element("ETag", S3ObjectOperations.quoted(part.etag()))
                    .element("Size", part.size())
                    .close("Part");
              }
              return S3BucketOperations.xml(xml.end("ListPartsResult"));
            });
  }

  Mono<ServerResponse> complete(S3Call call) {
    String uploadId = uploadId(call);
    CustomerKey customerKey = customerKeys.of(call);
    WriteCondition condition = S3ObjectOperations.writeCondition(call);
    return call.xmlBody(MAX_COMPLETE_BODY)
        .flatMap(
            body -> {
              List<MultipartService.CompletedPart> parts =
                  S3Xml.elements(body, "Part").stream()
                      .map(
                          e ->
                              new MultipartService.CompletedPart(
                                  number(e.text("PartNumber")), e.text("ETag")))
                      .toList();
              return multipart.complete(
                  call.instance(),
                  call.bucket(),
                  call.key(),
                  uploadId,
                  parts,
                  condition,
                  customerKey);
            })
        .flatMap(
            object ->
                ServerResponse.ok()
                    .headers(
                        h -> {
                          S3ObjectOperations.versionHeader(h, object.versionId());
                          encryptionHeaders(h, object.encrypted(), customerKey, call);
                        })
                    .contentType(org.springframework.http.MediaType.APPLICATION_XML)
                    .bodyValue(
                        S3Xml.document("CompleteMultipartUploadResult")
                            .element("Location", "/" + call.bucket() + "/" + call.key())
                            .element("Bucket", call.bucket())
                            .element("Key", call.key())
                            .element("ETag", S3ObjectOperations.quoted(object.etag()))
                            .end("CompleteMultipartUploadResult")));
  }

  /** GET /bucket?uploads. */
  Mono<ServerResponse> listUploads(S3Call call) {
    int maxUploads = Math.min(count(call.param("max-uploads"), MAX_LIST, "max-uploads"), MAX_LIST);
    String keyMarker = call.param("key-marker");
    return multipart
        .list(call.instance(), call.bucket(), call.param("prefix"), keyMarker, maxUploads + 1)
        .collectList()
        .flatMap(
            found -> {
              boolean truncated = found.size() > maxUploads;
              List<MultipartUpload> page = truncated ? found.subList(0, maxUploads) : found;
              S3Xml xml =
                  S3Xml.document("ListMultipartUploadsResult")
                      .element("Bucket", call.bucket())
                      .element("KeyMarker", keyMarker == null ? "" : keyMarker)
                      .element("UploadIdMarker", "")
                      .element("NextKeyMarker", truncated ? page.get(page.size() - 1).key() : null)
                      .element("Prefix", call.param("prefix"))
                      .element("MaxUploads", maxUploads)
                      .element("IsTruncated", truncated);
              for (MultipartUpload upload : page) {
                xml.open("Upload")
                    .element("Key", upload.key())
                    .element("UploadId", upload.uploadId())
                    .element("StorageClass", "STANDARD")
                    .element("Initiated", S3Xml.timestamp(upload.initiatedAt()))
                    .close("Upload");
              }
              return S3BucketOperations.xml(xml.end("ListMultipartUploadsResult"));
            });
  }

  private static String uploadId(S3Call call) {
    return call.param("uploadId");
  }

  private static int partNumber(S3Call call) {
    return number(call.param("partNumber"));
  }

  private static int number(String value) {
    try {
      return Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Part number must be an integer between 1 and 10000, inclusive", value);
    }
  }

  /** A non-negative integer parameter, {@code otherwise} when absent. */
  private static int count(String value, int otherwise, String name) {
    if (value == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(name + " must be a non-negative integer", value);
    }
  }
}
