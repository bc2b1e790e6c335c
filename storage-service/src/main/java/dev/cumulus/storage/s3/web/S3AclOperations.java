package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.object.application.ObjectReader;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * GetBucketAcl and GetObjectAcl. Every bucket and object is private to its instance today (no
 * grants can be given yet), so the answer is the one AWS gives for a private resource under
 * BucketOwnerEnforced: the owner, with FULL_CONTROL and nothing else. Clients read it before they
 * copy or sync ACLs (awscli, rclone), so it must be served, not NotImplemented.
 */
class S3AclOperations {

  private static final String CANONICAL_USER =
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"";

  private final BucketService buckets;
  private final ObjectReader reader;

  S3AclOperations(BucketService buckets, ObjectReader reader) {
    this.buckets = buckets;
    this.reader = reader;
  }

  Mono<ServerResponse> getBucketAcl(S3Call call) {
    return buckets
        .requireRecent(call.instance(), call.bucket())
        .then(Mono.defer(() -> ownerOnly(call, null)));
  }

  Mono<ServerResponse> getObjectAcl(S3Call call) {
    return reader
        .head(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .flatMap(object -> ownerOnly(call, object.versionId()));
  }

  private static Mono<ServerResponse> ownerOnly(S3Call call, String versionId) {
    String owner = call.instance().tenantId();
    String xml =
        S3Xml.document("AccessControlPolicy")
            .open("Owner")
            .element("ID", owner)
            .element("DisplayName", owner)
            .close("Owner")
            .open("AccessControlList")
            .open("Grant")
            .open("Grantee", CANONICAL_USER)
            .element("ID", owner)
            .element("DisplayName", owner)
            .close("Grantee")
            .element("Permission", "FULL_CONTROL")
            .close("Grant")
            .close("AccessControlList")
            .end("AccessControlPolicy");
    return ServerResponse.ok()
        .headers(h -> S3ObjectOperations.versionHeader(h, versionId))
        .contentType(MediaType.APPLICATION_XML)
        .bodyValue(xml);
  }
}
