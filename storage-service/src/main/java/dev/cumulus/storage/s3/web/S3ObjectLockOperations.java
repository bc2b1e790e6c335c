package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Object Lock calls on buckets, none of which can have Object Lock yet: each answers as AWS does
 * for a bucket created without it (after NoSuchBucket for a bucket that does not exist).
 * PutObjectLockConfiguration, which would turn it on, is not served (NotImplemented).
 */
class S3ObjectLockOperations {

  private final BucketService buckets;

  S3ObjectLockOperations(BucketService buckets) {
    this.buckets = buckets;
  }

  /** GetObjectLockConfiguration: 404 ObjectLockConfigurationNotFoundError. */
  Mono<ServerResponse> getConfiguration(S3Call call) {
    return buckets
        .requireRecent(call.instance(), call.bucket())
        .then(
            Mono.error(
                S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND.error(
                    "the bucket was created without Object Lock")));
  }

  /** Get/PutObjectRetention and Get/PutObjectLegalHold: 400 InvalidRequest. */
  Mono<ServerResponse> notLocked(S3Call call) {
    return buckets
        .requireRecent(call.instance(), call.bucket())
        .then(
            Mono.error(
                S3ErrorCode.INVALID_REQUEST.error(
                    "Bucket is missing Object Lock Configuration", null)));
  }
}
