package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.object.application.ObjectLister;
import dev.cumulus.storage.object.domain.ListQuery;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectPage;
import dev.cumulus.storage.object.domain.StoredObject;
import java.util.function.UnaryOperator;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * S3 operations on the service and on buckets (ListBuckets, Create/Head/DeleteBucket,
 * GetBucketLocation, ListObjects v1/v2), on top of the same {@link BucketService} and {@link
 * ObjectLister} as the seed API.
 */
class S3BucketOperations {

  /** CreateBucketConfiguration is a few lines; the codecs' default in-memory limit until now. */
  private static final int MAX_CONFIGURATION_BODY = 256 * 1024;

  private final BucketService buckets;
  private final ObjectLister lister;
  private final String region;

  S3BucketOperations(BucketService buckets, ObjectLister lister, String region) {
    this.buckets = buckets;
    this.lister = lister;
    this.region = region;
  }

  Mono<ServerResponse> listBuckets(S3Call call) {
    return buckets
        .list(call.instance())
        .collectList()
        .flatMap(
            list -> {
              S3Xml xml =
                  S3Xml.document("ListAllMyBucketsResult")
                      .open("Owner")
                      .element("ID", call.instance().serviceId())
                      .element("DisplayName", call.instance().tenantId())
                      .close("Owner")
                      .open("Buckets");
              list.forEach(
                  b ->
                      xml.open("Bucket")
                          .element("Name", b.name())
                          .element("CreationDate", S3Xml.timestamp(b.createdAt()))
                          .close("Bucket"));
              return xml(xml.close("Buckets").end("ListAllMyBucketsResult"));
            });
  }

  Mono<ServerResponse> head(S3Call call) {
    return buckets
        .require(call.instance(), call.bucket())
        .then(ServerResponse.ok().header("x-amz-bucket-region", region).build());
  }

  Mono<ServerResponse> delete(S3Call call) {
    return buckets.delete(call.instance(), call.bucket()).then(ServerResponse.noContent().build());
  }

  Mono<ServerResponse> location(S3Call call) {
    return buckets
        .require(call.instance(), call.bucket())
        .flatMap(
            b ->
                xml(
                    S3Xml.document("LocationConstraint")
                        .text("us-east-1".equals(region) ? "" : region)
                        .end("LocationConstraint")));
  }

  Mono<ServerResponse> create(S3Call call) {
    return call.xmlBody(MAX_CONFIGURATION_BODY)
        .flatMap(
            body -> {
              if (!body.isBlank()) {
                // CreateBucketConfiguration: only this service's own region can be asked for.
                S3Xml.texts(body, "LocationConstraint").stream()
                    .filter(r -> !r.isBlank() && !r.equals(region))
                    .findFirst()
                    .ifPresent(
                        r -> {
                          throw S3ErrorCode.INVALID_LOCATION_CONSTRAINT.error(
                              "This endpoint serves region " + region);
                        });
              }
              return buckets.create(
                  call.instance(),
                  new BucketService.NewBucket(
                      call.bucket(), false, false, false, objectLock(call)));
            })
        .onErrorMap(
            S3ErrorCode.BUCKET_ALREADY_EXISTS::is,
            e -> S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU.error(null))
        .flatMap(b -> ServerResponse.ok().header("Location", "/" + b.name()).build());
  }

  /** CreateBucket's {@code x-amz-bucket-object-lock-enabled: true}. */
  private static boolean objectLock(S3Call call) {
    String value = call.header(S3ObjectLockOperations.BUCKET_LOCK);
    return value != null && value.strip().equalsIgnoreCase("true");
  }

  Mono<ServerResponse> listV2(S3Call call) {
    String token = call.param("continuation-token");
    String startAfter = call.param("start-after");
    int maxKeys = maxKeys(call);
    return Mono.fromCallable(
            () ->
                ObjectKeys.after(token)
                    .orElseThrow(
                        () ->
                            S3ErrorCode.INVALID_ARGUMENT.error(
                                "The continuation token provided is incorrect",
                                "continuationToken is not valid")))
        .flatMap(
            after -> {
              String from =
                  token == null && startAfter != null
                      ? startAfter
                      : after.compareTo(startAfter == null ? "" : startAfter) >= 0
                          ? after
                          : startAfter;
              return lister.list(
                  call.instance(),
                  call.bucket(),
                  new ListQuery(call.param("prefix"), call.param("delimiter"), from, maxKeys));
            })
        .flatMap(
            page -> {
              UnaryOperator<String> enc = encoder(call);
              S3Xml xml =
                  S3Xml.document("ListBucketResult")
                      .element("Name", call.bucket())
                      .element("Prefix", enc.apply(orEmpty(call.param("prefix"))))
                      .element("Delimiter", enc.apply(call.param("delimiter")))
                      .element("MaxKeys", maxKeys)
                      .element("KeyCount", page.objects().size() + page.commonPrefixes().size())
                      .element("IsTruncated", page.truncated())
                      .element("EncodingType", call.param("encoding-type"))
                      .element("ContinuationToken", token)
                      .element("NextContinuationToken", page.nextContinuationToken())
                      .element("StartAfter", enc.apply(startAfter));
              return xml(
                  contents(xml, page, enc, "true".equals(call.param("fetch-owner")), call)
                      .end("ListBucketResult"));
            });
  }

  Mono<ServerResponse> listV1(S3Call call) {
    String marker = call.param("marker");
    int maxKeys = maxKeys(call);
    return lister
        .list(
            call.instance(),
            call.bucket(),
            new ListQuery(call.param("prefix"), call.param("delimiter"), marker, maxKeys))
        .flatMap(
            page -> {
              UnaryOperator<String> enc = encoder(call);
              String nextMarker =
                  page.truncated() && call.param("delimiter") != null
                      ? ObjectKeys.afterKey(page.nextContinuationToken()).orElse(null)
                      : null;
              S3Xml xml =
                  S3Xml.document("ListBucketResult")
                      .element("Name", call.bucket())
                      .element("Prefix", enc.apply(orEmpty(call.param("prefix"))))
                      .element("Marker", enc.apply(orEmpty(marker)))
                      .element("NextMarker", enc.apply(nextMarker))
                      .element("Delimiter", enc.apply(call.param("delimiter")))
                      .element("MaxKeys", maxKeys)
                      .element("IsTruncated", page.truncated())
                      .element("EncodingType", call.param("encoding-type"));
              return xml(contents(xml, page, enc, true, call).end("ListBucketResult"));
            });
  }

  private static S3Xml contents(
      S3Xml xml, ObjectPage page, UnaryOperator<String> enc, boolean owner, S3Call call) {
    for (StoredObject o : page.objects()) {
      xml.open("Contents")
          .element("Key", enc.apply(o.key()))
          .element("LastModified", S3Xml.timestamp(o.lastModified()))
          .element("ETag", S3ObjectOperations.quoted(o.etag()))
          .element("Size", o.size())
          .element("StorageClass", "STANDARD");
      if (owner) {
        xml.open("Owner")
            .element("ID", call.instance().serviceId())
            .element("DisplayName", call.instance().tenantId())
            .close("Owner");
      }
      xml.close("Contents");
    }
    for (String prefix : page.commonPrefixes()) {
      xml.open("CommonPrefixes").element("Prefix", enc.apply(prefix)).close("CommonPrefixes");
    }
    return xml;
  }

  static int maxKeys(S3Call call) {
    String value = call.param("max-keys");
    if (value == null) {
      return ObjectLister.MAX_KEYS;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, ObjectLister.MAX_KEYS);
    } catch (NumberFormatException e) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Provided max-keys not an integer or within integer range", value);
    }
  }

  /** With {@code encoding-type=url}, keys and prefixes are percent-encoded in the response. */
  static UnaryOperator<String> encoder(S3Call call) {
    if (call.param("encoding-type") == null) {
      return UnaryOperator.identity();
    }
    if (!"url".equals(call.param("encoding-type"))) {
      throw S3ErrorCode.INVALID_ARGUMENT.error("Invalid Encoding Method specified", null);
    }
    return s -> s == null ? null : SigV4.uriEncode(s, false);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  static Mono<ServerResponse> xml(String body) {
    return ServerResponse.ok().contentType(MediaType.APPLICATION_XML).bodyValue(body);
  }
}
