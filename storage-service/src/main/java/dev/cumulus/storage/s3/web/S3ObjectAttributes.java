package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.object.application.CustomerKeys;
import dev.cumulus.storage.object.application.DeleteMarkerException;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.StoredObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * GetObjectAttributes ({@code GET ?attributes}): what {@code x-amz-object-attributes} asks for of
 * one version (ETag, Checksum, ObjectParts, StorageClass, ObjectSize), without its bytes. An object
 * completed from parts lists them (number and size, paged by {@code max-parts} and {@code
 * part-number-marker}); one written whole has no ObjectParts, as in S3. An SSE-C object needs its
 * key, as GetObject does.
 */
final class S3ObjectAttributes {

  static final String HEADER = "x-amz-object-attributes";
  private static final List<String> NAMES =
      List.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
  private static final int MAX_PARTS = 1000;

  private final ObjectReader reader;
  private final S3CustomerKeys customerKeys;

  S3ObjectAttributes(ObjectReader reader, S3CustomerKeys customerKeys) {
    this.reader = reader;
    this.customerKeys = customerKeys;
  }

  Mono<ServerResponse> get(S3Call call) {
    Set<String> wanted = wanted(call);
    int maxParts = count(call, "max-parts", MAX_PARTS);
    int marker = count(call, "part-number-marker", 0);
    CustomerKey customerKey = customerKeys.of(call);
    return reader
        .head(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            object -> {
              CustomerKeys.check(object, customerKey);
              S3Xml xml = S3Xml.document("GetObjectAttributesResponse");
              if (wanted.contains("ETag")) {
                xml.element("ETag", object.etag()); // unquoted, as S3 writes it here
              }
              if (wanted.contains("Checksum") && object.checksum() != null) {
                ObjectChecksum checksum = object.checksum();
                xml.open("Checksum")
                    .element("Checksum" + checksum.algorithm(), checksum.value())
                    .element("ChecksumType", S3Checksums.type(checksum))
                    .close("Checksum");
              }
              if (wanted.contains("ObjectParts") && object.multipart()) {
                parts(xml, object, maxParts, marker);
              }
              if (wanted.contains("StorageClass")) {
                xml.element("StorageClass", "STANDARD");
              }
              if (wanted.contains("ObjectSize")) {
                xml.element("ObjectSize", object.size());
              }
              return ServerResponse.ok()
                  .lastModified(object.lastModified())
                  .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
                  .contentType(MediaType.APPLICATION_XML)
                  .bodyValue(xml.end("GetObjectAttributesResponse"));
            });
  }

  private static void parts(S3Xml xml, StoredObject object, int maxParts, int marker) {
    List<Long> sizes = object.partSizes();
    int last = Math.min(sizes.size(), marker + maxParts);
    boolean truncated = last < sizes.size();
    xml.open("ObjectParts")
        .element("PartsCount", sizes.size())
        .element("PartNumberMarker", marker)
        .element("MaxParts", maxParts)
        .element("IsTruncated", truncated);
    if (truncated) {
      xml.element("NextPartNumberMarker", last);
    }
    for (int number = marker + 1; number <= last; number++) {
      xml.open("Part")
          .element("PartNumber", number)
          .element("Size", sizes.get(number - 1))
          .close("Part");
    }
    xml.close("ObjectParts");
  }

  /** The attributes asked for: at least one, each a name S3 knows (InvalidArgument otherwise). */
  private static Set<String> wanted(S3Call call) {
    List<String> values = call.headers().getOrEmpty(HEADER);
    Set<String> wanted = new LinkedHashSet<>();
    for (String value : values) {
      for (String name : value.split(",")) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String known =
            NAMES.stream().filter(n -> n.equalsIgnoreCase(trimmed)).findFirst().orElse(null);
        if (known == null) {
          throw S3ErrorCode.INVALID_ARGUMENT.error("Invalid attribute name specified.", trimmed);
        }
        wanted.add(known);
      }
    }
    if (wanted.isEmpty()) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Invalid attribute name specified.", HEADER + " names none");
    }
    return wanted;
  }

  /** {@code x-amz-<name>} as S3's SDKs send it, or the query parameter of that name. */
  private static int count(S3Call call, String name, int absent) {
    String value = call.header("x-amz-" + name);
    if (value == null) {
      value = call.param(name);
    }
    if (value == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 0) {
        return name.equals("max-parts") ? Math.min(n, MAX_PARTS) : n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw S3ErrorCode.INVALID_ARGUMENT.error(
        "Provided " + name + " not an integer or within integer range",
        name.toLowerCase(Locale.ROOT) + "=" + value);
  }
}
