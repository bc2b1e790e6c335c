package dev.cumulus.storage.s3.web;

import static dev.cumulus.storage.s3.web.S3Operation.Level.BUCKET;
import static dev.cumulus.storage.s3.web.S3Operation.Level.OBJECT;
import static dev.cumulus.storage.s3.web.S3Operation.Level.SERVICE;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

/** Every S3 operation this endpoint serves, in one table: what a request is, and who answers it. */
final class S3Api {

  private S3Api() {}

  static S3OperationTable table(
      S3BucketOperations buckets,
      S3ObjectOperations objects,
      S3MultipartOperations multipart,
      S3VersionOperations versions,
      S3BucketConfigurations configurations,
      S3EncryptionOperations encryption,
      S3AclOperations acls,
      S3PolicyOperations policies,
      S3ObjectLockOperations locks,
      S3TaggingOperations tagging,
      S3PostObjectOperations posts) {
    return S3OperationTable.builder()
        .add(SERVICE, GET, null, "ListBuckets", buckets::listBuckets)
        // Buckets
        .add(BUCKET, PUT, null, "CreateBucket", buckets::create)
        .add(BUCKET, HEAD, null, "HeadBucket", buckets::head)
        .add(BUCKET, DELETE, null, "DeleteBucket", buckets::delete)
        .add(
            BUCKET,
            GET,
            null,
            "ListObjectsV2",
            r -> "2".equals(r.param("list-type")),
            buckets::listV2)
        .add(BUCKET, GET, null, "ListObjects", buckets::listV1)
        .add(BUCKET, GET, "location", "GetBucketLocation", buckets::location)
        .add(BUCKET, POST, "delete", "DeleteObjects", objects::deleteObjects)
        .add(
            BUCKET,
            POST,
            null,
            S3PostObjectOperations.NAME,
            S3PostObjectOperations::isBrowserUpload,
            posts::post)
        .add(BUCKET, GET, "versioning", "GetBucketVersioning", versions::getVersioning)
        .add(BUCKET, PUT, "versioning", "PutBucketVersioning", versions::putVersioning)
        .add(BUCKET, GET, "versions", "ListObjectVersions", versions::listVersions)
        .add(BUCKET, GET, "uploads", "ListMultipartUploads", multipart::listUploads)
        .add(
            BUCKET,
            GET,
            "lifecycle",
            "GetBucketLifecycleConfiguration",
            configurations::getLifecycle)
        .add(
            BUCKET,
            PUT,
            "lifecycle",
            "PutBucketLifecycleConfiguration",
            configurations::putLifecycle)
        .add(BUCKET, DELETE, "lifecycle", "DeleteBucketLifecycle", configurations::deleteLifecycle)
        .add(BUCKET, GET, "cors", "GetBucketCors", configurations::getCors)
        .add(BUCKET, PUT, "cors", "PutBucketCors", configurations::putCors)
        .add(BUCKET, DELETE, "cors", "DeleteBucketCors", configurations::deleteCors)
        .add(BUCKET, GET, "encryption", "GetBucketEncryption", encryption::get)
        .add(BUCKET, PUT, "encryption", "PutBucketEncryption", encryption::put)
        .add(BUCKET, DELETE, "encryption", "DeleteBucketEncryption", encryption::delete)
        .add(BUCKET, GET, "acl", "GetBucketAcl", acls::getBucketAcl)
        .add(BUCKET, PUT, "acl", "PutBucketAcl", acls::putBucketAcl)
        .add(BUCKET, GET, "policy", "GetBucketPolicy", policies::getPolicy)
        .add(BUCKET, PUT, "policy", "PutBucketPolicy", policies::putPolicy)
        .add(BUCKET, DELETE, "policy", "DeleteBucketPolicy", policies::deletePolicy)
        .add(BUCKET, GET, "policyStatus", "GetBucketPolicyStatus", policies::getPolicyStatus)
        .add(
            BUCKET,
            GET,
            "publicAccessBlock",
            "GetPublicAccessBlock",
            policies::getPublicAccessBlock)
        .add(
            BUCKET,
            PUT,
            "publicAccessBlock",
            "PutPublicAccessBlock",
            policies::putPublicAccessBlock)
        .add(
            BUCKET,
            DELETE,
            "publicAccessBlock",
            "DeletePublicAccessBlock",
            policies::deletePublicAccessBlock)
        .add(
            BUCKET,
            GET,
            "ownershipControls",
            "GetBucketOwnershipControls",
            policies::getOwnershipControls)
        .add(
            BUCKET,
            PUT,
            "ownershipControls",
            "PutBucketOwnershipControls",
            policies::putOwnershipControls)
        .add(
            BUCKET,
            DELETE,
            "ownershipControls",
            "DeleteBucketOwnershipControls",
            policies::deleteOwnershipControls)
        .add(BUCKET, GET, "tagging", "GetBucketTagging", tagging::getBucket)
        .add(BUCKET, PUT, "tagging", "PutBucketTagging", tagging::putBucket)
        .add(BUCKET, DELETE, "tagging", "DeleteBucketTagging", tagging::deleteBucket)
        .add(BUCKET, GET, "object-lock", "GetObjectLockConfiguration", locks::getConfiguration)
        .add(BUCKET, PUT, "object-lock", "PutObjectLockConfiguration", locks::putConfiguration)
        // Objects
        .add(OBJECT, PUT, null, "CopyObject", S3Api::copies, objects::copy)
        .add(OBJECT, PUT, null, "PutObject", objects::put)
        .add(OBJECT, GET, null, "GetObject", objects::get)
        .add(OBJECT, HEAD, null, "HeadObject", objects::head)
        .add(OBJECT, DELETE, null, "DeleteObject", objects::delete)
        .add(OBJECT, GET, "attributes", "GetObjectAttributes", objects::attributes)
        .add(OBJECT, GET, "acl", "GetObjectAcl", acls::getObjectAcl)
        .add(OBJECT, PUT, "acl", "PutObjectAcl", acls::putObjectAcl)
        .add(OBJECT, GET, "tagging", "GetObjectTagging", tagging::get)
        .add(OBJECT, PUT, "tagging", "PutObjectTagging", tagging::put)
        .add(OBJECT, DELETE, "tagging", "DeleteObjectTagging", tagging::delete)
        .add(OBJECT, GET, "retention", "GetObjectRetention", locks::getRetention)
        .add(OBJECT, PUT, "retention", "PutObjectRetention", locks::putRetention)
        .add(OBJECT, GET, "legal-hold", "GetObjectLegalHold", locks::getLegalHold)
        .add(OBJECT, PUT, "legal-hold", "PutObjectLegalHold", locks::putLegalHold)
        // Multipart uploads
        .add(OBJECT, POST, "uploads", "CreateMultipartUpload", multipart::create)
        .add(
            OBJECT,
            PUT,
            "uploadId",
            "UploadPartCopy",
            r -> isPart(r) && copies(r),
            multipart::copyPart)
        .add(OBJECT, PUT, "uploadId", "UploadPart", S3Api::isPart, multipart::uploadPart)
        .add(OBJECT, GET, "uploadId", "ListParts", multipart::listParts)
        .add(OBJECT, POST, "uploadId", "CompleteMultipartUpload", multipart::complete)
        .add(OBJECT, DELETE, "uploadId", "AbortMultipartUpload", multipart::abort)
        .build();
  }

  private static boolean copies(S3Request request) {
    return request.header(S3ObjectOperations.COPY_SOURCE) != null;
  }

  private static boolean isPart(S3Request request) {
    return request.has("partNumber");
  }
}
