package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.access.application.AccessService;
import dev.cumulus.storage.access.domain.AccessControlList;
import dev.cumulus.storage.access.domain.BucketAccess;
import dev.cumulus.storage.access.domain.CannedAcl;
import dev.cumulus.storage.access.domain.ObjectOwnership;
import dev.cumulus.storage.common.StorageErrors;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The ACL a write gives what it creates: CreateBucket ({@code x-amz-acl}, {@code x-amz-grant-*},
 * {@code x-amz-object-ownership}), PutObject, CopyObject, CreateMultipartUpload (kept with the
 * upload until its Complete). Checked before the operation runs ({@link #before}), stored once it
 * succeeded ({@link #after}); an object written to a bucket where ACLs count always gets its ACL
 * (the owner-only default when it asks for none), so an overwritten object never keeps the ACL of
 * the one it replaced.
 */
class S3AclWrites {

  /** The exchange attribute CreateMultipartUpload leaves its upload id in. */
  static final String UPLOAD_ID = S3AclWrites.class.getName() + ".uploadId";

  private static final String UPLOAD_VERSION = "upload:";

  private final AccessService access;

  S3AclWrites(AccessService access) {
    this.access = access;
  }

  /** What a checked write will store once it succeeded; {@link #NOTHING} for other calls. */
  record Intent(BucketAccess bucket, AccessControlList acl, ObjectOwnership ownership) {}

  static final Intent NOTHING = new Intent(null, null, null);

  Mono<Intent> before(S3Call call, String operation) {
    if (operation == null) {
      return Mono.just(NOTHING);
    }
    return switch (operation) {
      case "CreateBucket" -> Mono.fromCallable(() -> createBucket(call));
      case "PutObject", "CopyObject", "CreateMultipartUpload", "CompleteMultipartUpload" ->
          access
              .recent(call.instance(), call.bucket())
              .map(bucket -> objectWrite(call, operation, bucket))
              .defaultIfEmpty(NOTHING);
      default -> Mono.just(NOTHING);
    };
  }

  private static Intent createBucket(S3Call call) {
    String header = call.header("x-amz-object-ownership");
    ObjectOwnership ownership = ObjectOwnership.BUCKET_OWNER_ENFORCED;
    if (header != null) {
      ownership = ObjectOwnership.of(header);
      if (ownership == null) {
        throw S3ErrorCode.INVALID_ARGUMENT.error(
            "Invalid x-amz-object-ownership header", "x-amz-object-ownership: " + header);
      }
    }
    String owner = call.instance().serviceId();
    AccessControlList acl = S3AclOperations.headerAcl(call, owner, owner);
    if (acl != null && !ownership.aclsEnabled() && !acl.ownerFullControlOnly()) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidBucketAclWithObjectOwnership",
          "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
          null);
    }
    return header == null && acl == null ? NOTHING : new Intent(null, acl, ownership);
  }

  private static Intent objectWrite(S3Call call, String operation, BucketAccess bucket) {
    if (operation.equals("CompleteMultipartUpload")) {
      return bucket.aclsEnabled() ? new Intent(bucket, null, null) : NOTHING;
    }
    // The writer owns what it writes where ACLs count, but for bucket-owner-full-control under
    // BucketOwnerPreferred; the bucket's own instance keeps full control of everything anyway.
    String writer = call.principal().anonymous() ? bucket.owner() : call.principal().canonicalId();
    CannedAcl canned = S3AclOperations.canned(call);
    boolean bucketOwns =
        bucket.ownership() == ObjectOwnership.BUCKET_OWNER_ENFORCED
            || (bucket.ownership() == ObjectOwnership.BUCKET_OWNER_PREFERRED
                && canned == CannedAcl.BUCKET_OWNER_FULL_CONTROL);
    String owner = bucketOwns ? bucket.owner() : writer;
    AccessControlList acl = S3AclOperations.headerAcl(call, owner, bucket.owner());
    if (acl == null) {
      return bucket.aclsEnabled()
          ? new Intent(bucket, AccessControlList.ownerOnly(owner), null)
          : NOTHING;
    }
    boolean ownerOnly = acl.ownerFullControlOnly() || canned == CannedAcl.BUCKET_OWNER_FULL_CONTROL;
    if (!bucket.aclsEnabled()) {
      if (!ownerOnly) {
        throw S3AclOperations.aclsNotSupported();
      }
      return NOTHING;
    }
    if (bucket.block().blockPublicAcls() && acl.isPublic()) {
      throw S3AccessGate.denied();
    }
    return new Intent(bucket, acl, null);
  }

  Mono<Void> after(S3Call call, String operation, Intent intent, ServerResponse response) {
    if (("CreateBucket".equals(operation) || "DeleteBucket".equals(operation))
        && response.statusCode().is2xxSuccessful()) {
      // A bucket of this name may have been read as missing, or as the one just deleted.
      access.forget(call.instance(), call.bucket());
    }
    if (intent == NOTHING || !response.statusCode().is2xxSuccessful()) {
      return Mono.empty();
    }
    if (operation.equals("CreateBucket")) {
      return access
          .require(call.instance(), call.bucket())
          .flatMap(
              bucket ->
                  access
                      .setOwnership(call.instance(), bucket, intent.ownership())
                      .then(
                          intent.acl() == null
                              ? Mono.empty()
                              : access.setAcl(call.instance(), bucket, intent.acl())));
    }
    String versionId = response.headers().getFirst("x-amz-version-id");
    String version = versionId == null ? "null" : versionId;
    return switch (operation) {
      case "CreateMultipartUpload" -> {
        Object uploadId = call.request().exchange().getAttribute(UPLOAD_ID);
        yield uploadId == null
            ? Mono.empty()
            : access.setObjectAcl(
                intent.bucket(), call.key(), UPLOAD_VERSION + uploadId, intent.acl());
      }
      case "CompleteMultipartUpload" ->
          access
              .setObjectAcl(
                  intent.bucket(),
                  call.key(),
                  version,
                  AccessControlList.ownerOnly(intent.bucket().owner()))
              .then(
                  access.moveObjectAcl(
                      intent.bucket(),
                      call.key(),
                      UPLOAD_VERSION + call.param("uploadId"),
                      version));
      default -> access.setObjectAcl(intent.bucket(), call.key(), version, intent.acl());
    };
  }
}
