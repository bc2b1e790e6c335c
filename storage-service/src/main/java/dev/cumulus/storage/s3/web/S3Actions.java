package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.access.domain.Permission;
import java.util.Map;

/**
 * The IAM action of each S3 operation (what a bucket policy names), and the ACL permission that
 * grants it, as AWS's "Mapping of ACL permissions and access policy permissions" has it.
 */
final class S3Actions {

  private S3Actions() {}

  private static final Map<String, String> ACTIONS =
      Map.ofEntries(
          Map.entry("HeadBucket", "s3:ListBucket"),
          Map.entry("ListObjects", "s3:ListBucket"),
          Map.entry("ListObjectsV2", "s3:ListBucket"),
          Map.entry("ListObjectVersions", "s3:ListBucketVersions"),
          Map.entry("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
          Map.entry("CreateBucket", "s3:CreateBucket"),
          Map.entry("DeleteBucket", "s3:DeleteBucket"),
          Map.entry("GetBucketLocation", "s3:GetBucketLocation"),
          Map.entry("DeleteObjects", "s3:DeleteObject"),
          Map.entry("GetBucketVersioning", "s3:GetBucketVersioning"),
          Map.entry("PutBucketVersioning", "s3:PutBucketVersioning"),
          Map.entry("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
          Map.entry("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
          Map.entry("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
          Map.entry("GetBucketCors", "s3:GetBucketCORS"),
          Map.entry("PutBucketCors", "s3:PutBucketCORS"),
          Map.entry("DeleteBucketCors", "s3:PutBucketCORS"),
          Map.entry("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
          Map.entry("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
          Map.entry("DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
          Map.entry("GetBucketAcl", "s3:GetBucketAcl"),
          Map.entry("PutBucketAcl", "s3:PutBucketAcl"),
          Map.entry("GetBucketTagging", "s3:GetBucketTagging"),
          Map.entry("PutBucketTagging", "s3:PutBucketTagging"),
          Map.entry("DeleteBucketTagging", "s3:PutBucketTagging"),
          Map.entry("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
          Map.entry("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
          Map.entry("GetBucketPolicy", "s3:GetBucketPolicy"),
          Map.entry("PutBucketPolicy", "s3:PutBucketPolicy"),
          Map.entry("DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
          Map.entry("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
          Map.entry("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
          Map.entry("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
          Map.entry("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
          Map.entry("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
          Map.entry("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
          Map.entry("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
          Map.entry("CopyObject", "s3:PutObject"),
          Map.entry("PutObject", "s3:PutObject"),
          Map.entry("PostObject", "s3:PutObject"),
          Map.entry("GetObject", "s3:GetObject"),
          Map.entry("HeadObject", "s3:GetObject"),
          Map.entry("DeleteObject", "s3:DeleteObject"),
          Map.entry("GetObjectAcl", "s3:GetObjectAcl"),
          Map.entry("PutObjectAcl", "s3:PutObjectAcl"),
          Map.entry("GetObjectTagging", "s3:GetObjectTagging"),
          Map.entry("PutObjectTagging", "s3:PutObjectTagging"),
          Map.entry("DeleteObjectTagging", "s3:DeleteObjectTagging"),
          Map.entry("GetObjectRetention", "s3:GetObjectRetention"),
          Map.entry("PutObjectRetention", "s3:PutObjectRetention"),
          Map.entry("GetObjectLegalHold", "s3:GetObjectLegalHold"),
          Map.entry("PutObjectLegalHold", "s3:PutObjectLegalHold"),
          Map.entry("GetObjectAttributes", "s3:GetObjectAttributes"),
          Map.entry("CreateMultipartUpload", "s3:PutObject"),
          Map.entry("UploadPartCopy", "s3:PutObject"),
          Map.entry("UploadPart", "s3:PutObject"),
          Map.entry("ListParts", "s3:ListMultipartUploadParts"),
          Map.entry("CompleteMultipartUpload", "s3:PutObject"),
          Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"));

  /** The operations only the bucket's own instance may call, whatever a policy allows. */
  static boolean ownerOnly(String operation) {
    return switch (operation) {
      case "GetBucketPolicy",
          "PutBucketPolicy",
          "DeleteBucketPolicy",
          "GetBucketPolicyStatus",
          "GetPublicAccessBlock",
          "PutPublicAccessBlock",
          "DeletePublicAccessBlock",
          "GetBucketOwnershipControls",
          "PutBucketOwnershipControls",
          "DeleteBucketOwnershipControls" ->
          true;
      default -> false;
    };
  }

  /** The action an operation needs, with S3's version-specific actions for a {@code versionId}. */
  static String of(String operation, S3Request request) {
    String action = ACTIONS.get(operation);
    if (action == null) {
      return null;
    }
    if (request.param("versionId") != null) {
      return switch (action) {
        case "s3:GetObject" -> "s3:GetObjectVersion";
        case "s3:DeleteObject" -> "s3:DeleteObjectVersion";
        case "s3:GetObjectAcl" -> "s3:GetObjectVersionAcl";
        case "s3:PutObjectAcl" -> "s3:PutObjectVersionAcl";
        case "s3:GetObjectTagging" -> "s3:GetObjectVersionTagging";
        case "s3:PutObjectTagging" -> "s3:PutObjectVersionTagging";
        case "s3:DeleteObjectTagging" -> "s3:DeleteObjectVersionTagging";
        default -> action;
      };
    }
    return action;
  }

  /** The bucket ACL permission that grants a bucket-level action; null for none. */
  static Permission bucketPermission(String action) {
    return switch (action) {
      case "s3:ListBucket",
          "s3:ListBucketVersions",
          "s3:ListBucketMultipartUploads",
          "s3:ListMultipartUploadParts" ->
          Permission.READ;
      case "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload" ->
          Permission.WRITE;
      case "s3:GetBucketAcl" -> Permission.READ_ACP;
      case "s3:PutBucketAcl" -> Permission.WRITE_ACP;
      default -> null;
    };
  }

  /** The object ACL permission that grants an object-level action; null for none. */
  static Permission objectPermission(String action) {
    return switch (action) {
      case "s3:GetObject", "s3:GetObjectVersion" -> Permission.READ;
      case "s3:GetObjectAcl", "s3:GetObjectVersionAcl" -> Permission.READ_ACP;
      case "s3:PutObjectAcl", "s3:PutObjectVersionAcl" -> Permission.WRITE_ACP;
      default -> null;
    };
  }
}
