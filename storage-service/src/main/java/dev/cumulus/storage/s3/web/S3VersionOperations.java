package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.VersioningStatus;
import dev.cumulus.storage.object.application.ObjectVersionService;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.domain.VersionQuery;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** S3's bucket versioning: Get/PutBucketVersioning and ListObjectVersions. */
class S3VersionOperations {

  private static final int MAX_BODY = 64 * 1024;

  private final BucketService buckets;
  private final ObjectVersionService versions;

  S3VersionOperations(BucketService buckets, ObjectVersionService versions) {
    this.buckets = buckets;
    this.versions = versions;
  }

  /** GET ?versioning: no Status at all for a bucket that was never versioned. */
  Mono<ServerResponse> getVersioning(S3Call call) {
    return buckets
        .versioning(call.instance(), call.bucket())
        .flatMap(
            status ->
                S3BucketOperations.xml(
                    S3Xml.document("VersioningConfiguration")
                        .element(
                            "Status",
                            status == VersioningStatus.UNVERSIONED ? null : status.label())
                        .end("VersioningConfiguration")));
  }

  /** PUT ?versioning with {@code <Status>Enabled|Suspended</Status>}. */
  Mono<ServerResponse> putVersioning(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .flatMap(
            body -> {
              List<String> status = S3Xml.texts(body, "Status");
              String wanted = status.size() == 1 ? status.get(0).strip() : "";
              if (!wanted.equals("Enabled") && !wanted.equals("Suspended")) {
                return Mono.error(
                    S3Xml.malformed("VersioningConfiguration needs Status Enabled or Suspended"));
              }
              return buckets.setVersioning(
                  call.instance(), call.bucket(), VersioningStatus.of(wanted));
            })
        .then(ServerResponse.ok().build());
  }

  /** GET ?versions. */
  Mono<ServerResponse> listVersions(S3Call call) {
    int maxKeys = S3BucketOperations.maxKeys(call);
    String keyMarker = call.param("key-marker");
    String versionIdMarker = call.param("version-id-marker");
    var enc = S3BucketOperations.encoder(call);
    return versions
        .list(
            call.instance(),
            call.bucket(),
            new VersionQuery(
                call.param("prefix"), call.param("delimiter"), keyMarker, versionIdMarker, maxKeys))
        .flatMap(
            page -> {
              S3Xml xml =
                  S3Xml.document("ListVersionsResult")
                      .element("Name", call.bucket())
                      .element("Prefix", enc.apply(orEmpty(call.param("prefix"))))
                      .element("KeyMarker", enc.apply(orEmpty(keyMarker)))
                      .element("VersionIdMarker", orEmpty(versionIdMarker))
                      .element("NextKeyMarker", enc.apply(page.nextKeyMarker()))
                      .element("NextVersionIdMarker", page.nextVersionIdMarker())
                      .element("Delimiter", enc.apply(call.param("delimiter")))
                      .element("MaxKeys", maxKeys)
                      .element("IsTruncated", page.truncated())
                      .element("EncodingType", call.param("encoding-type"));
              for (StoredObject v : page.versions()) {
                String element = v.deleteMarker() ? "DeleteMarker" : "Version";
                xml.open(element)
                    .element("Key", enc.apply(v.key()))
                    .element("VersionId", v.versionId())
                    .element("IsLatest", v.latest())
                    .element("LastModified", S3Xml.timestamp(v.lastModified()));
                if (!v.deleteMarker()) {
                  xml.element("ETag", S3ObjectOperations.quoted(v.etag()))
                      .element("Size", v.size())
                      .element("StorageClass", "STANDARD");
                }
                xml.open("Owner")
                    .element("ID", call.instance().tenantId())
                    .element("DisplayName", call.instance().tenantId())
                    .close("Owner")
                    .close(element);
              }
              for (String prefix : page.commonPrefixes()) {
                xml.open("CommonPrefixes")
                    .element("Prefix", enc.apply(prefix))
                    .close("CommonPrefixes");
              }
              return S3BucketOperations.xml(xml.end("ListVersionsResult"));
            });
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
