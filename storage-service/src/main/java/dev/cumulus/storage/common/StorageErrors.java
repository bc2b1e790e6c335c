package dev.cumulus.storage.common;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/** Errors with S3's codes, rendered in the DockSaaS envelope (and later in S3's XML). */
public final class StorageErrors {

  private StorageErrors() {}

  public static ApiException of(ErrorKind kind, String code, String message, String details) {
    return new ApiException(kind, message, code, details, Map.of(), null);
  }

  public static ApiException noSuchBucket(String bucket) {
    return of(
        ErrorKind.NOT_FOUND,
        "NoSuchBucket",
        "The specified bucket does not exist",
        "Bucket '" + bucket + "' not found");
  }

  public static ApiException noSuchKey(String key) {
    return of(
        ErrorKind.NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist",
        "Object '" + key + "' not found");
  }

  public static ApiException invalidBucketName(String details) {
    return of(
        ErrorKind.BAD_REQUEST, "InvalidBucketName", "The specified bucket is not valid", details);
  }

  public static ApiException invalidRequest(String details) {
    return of(ErrorKind.BAD_REQUEST, "InvalidRequest", "The request is invalid", details);
  }
}
