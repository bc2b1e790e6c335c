package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.InvalidKeyException;

/**
 * The S3 error codes this adapter raises itself, each with its kind (hence HTTP status) and S3's
 * usual message. Codes the application layer raises (NoSuchBucket, NoSuchKey, ...) are shared with
 * the seed API and come from {@link StorageErrors}.
 */
enum S3ErrorCode {
  ACCESS_DENIED("AccessDenied", ErrorKind.FORBIDDEN, "Access Denied"),
  BAD_DIGEST(
      "BadDigest",
      ErrorKind.BAD_REQUEST,
      "The Content-MD5 you specified did not match what we received."),
  BUCKET_ALREADY_EXISTS(
      "BucketAlreadyExists", ErrorKind.CONFLICT, "The requested bucket name is not available."),
  BUCKET_ALREADY_OWNED_BY_YOU(
      "BucketAlreadyOwnedByYou",
      ErrorKind.CONFLICT,
      "Your previous request to create the named bucket succeeded and you already own it."),
  INVALID_ARGUMENT("InvalidArgument", ErrorKind.BAD_REQUEST, "Invalid Argument"),
  INVALID_DIGEST(
      "InvalidDigest", ErrorKind.BAD_REQUEST, "The Content-MD5 you specified was invalid."),
  INVALID_REQUEST("InvalidRequest", ErrorKind.BAD_REQUEST, "Invalid Request"),
  INVALID_LOCATION_CONSTRAINT(
      "InvalidLocationConstraint",
      ErrorKind.BAD_REQUEST,
      "The specified location-constraint is not valid"),
  INVALID_RANGE(
      "InvalidRange", ErrorKind.RANGE_NOT_SATISFIABLE, "The requested range is not satisfiable"),
  INVALID_PART_NUMBER(
      "InvalidPartNumber",
      ErrorKind.RANGE_NOT_SATISFIABLE,
      "The requested partnumber is not satisfiable"),
  KEY_TOO_LONG("KeyTooLongError", ErrorKind.BAD_REQUEST, "The specified key is not valid"),
  MALFORMED_XML(
      "MalformedXML",
      ErrorKind.BAD_REQUEST,
      "The XML you provided was not well-formed or did not validate against our published"
          + " schema."),
  METADATA_TOO_LARGE(
      "MetadataTooLarge",
      ErrorKind.BAD_REQUEST,
      "Your metadata headers exceed the maximum allowed metadata size."),
  /** Answered 501 (its kind says 405: no kind of the platform means "not implemented"). */
  NOT_IMPLEMENTED(
      "NotImplemented",
      ErrorKind.METHOD_NOT_ALLOWED,
      "A header or query you provided implies functionality that is not implemented"),
  NO_SUCH_OBJECT_LOCK_CONFIGURATION(
      "NoSuchObjectLockConfiguration",
      ErrorKind.NOT_FOUND,
      "The specified object does not have a ObjectLock configuration"),
  OBJECT_LOCK_CONFIGURATION_NOT_FOUND(
      "ObjectLockConfigurationNotFoundError",
      ErrorKind.NOT_FOUND,
      "Object Lock configuration does not exist for this bucket"),
  PRECONDITION_FAILED(
      "PreconditionFailed",
      ErrorKind.PRECONDITION_FAILED,
      "At least one of the pre-conditions you specified did not hold"),
  SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND(
      "ServerSideEncryptionConfigurationNotFoundError",
      ErrorKind.NOT_FOUND,
      "The server side encryption configuration was not found");

  private final String code;
  private final ErrorKind kind;
  private final String message;

  S3ErrorCode(String code, ErrorKind kind, String message) {
    this.code = code;
    this.kind = kind;
    this.message = message;
  }

  String code() {
    return code;
  }

  /** The error with S3's usual message. */
  ApiException error(String details) {
    return error(message, details);
  }

  ApiException error(String message, String details) {
    return StorageErrors.of(kind, code, message, details);
  }

  /** Whether {@code failure} is an error with this code. */
  boolean is(Throwable failure) {
    return failure instanceof ApiException api && code.equals(api.code());
  }

  /** A domain failure in S3's terms; any other failure as it is. */
  static Throwable translate(Throwable failure) {
    if (failure instanceof InvalidKeyException invalid) {
      return (invalid.tooLong() ? KEY_TOO_LONG : INVALID_ARGUMENT)
          .error("The specified key is not valid", invalid.getMessage());
    }
    return failure;
  }
}
