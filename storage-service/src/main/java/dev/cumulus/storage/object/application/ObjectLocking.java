package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.ObjectLocks;
import dev.cumulus.storage.object.domain.Retention;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.time.Instant;
import java.util.function.BiFunction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * S3 Object Lock of object versions: Get/PutObjectRetention and Get/PutObjectLegalHold, and the
 * lock a new version gets when it is written ({@link #forNewVersion}). Only a bucket with Object
 * Lock takes any of it (400 InvalidRequest otherwise, as AWS answers). Changes are checked and made
 * under the key's lock, so two racing changes of one version are judged one after the other.
 */
@Service
public class ObjectLocking {

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final TransactionalOperator tx;

  ObjectLocking(BucketService buckets, ObjectRepository objects, TransactionalOperator tx) {
    this.buckets = buckets;
    this.objects = objects;
    this.tx = tx;
  }

  /** The version (the current one for a null id), to read its retention and legal hold. */
  public Mono<StoredObject> version(
      Instance instance, String bucketName, String key, String versionId) {
    // A bucket with Object Lock is versioned: its version ids are shown as stored.
    return lockedBucket(instance, bucketName).flatMap(bucket -> find(bucket, key, versionId));
  }

  /**
   * PutObjectRetention: gives the version {@code wanted} (null removes its retention), if its
   * current retention allows the change ({@link ObjectLocks#retentionChangeAllowed}): 403
   * AccessDenied otherwise.
   */
  public Mono<StoredObject> setRetention(
      Instance instance,
      String bucketName,
      String key,
      String versionId,
      Retention wanted,
      boolean bypassGovernance) {
    Instant now = Instant.now();
    try {
      requireFuture(wanted, now);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return change(
        instance,
        bucketName,
        key,
        versionId,
        (bucket, found) -> {
          if (!ObjectLocks.retentionChangeAllowed(
              found.retention(), wanted, bypassGovernance, now)) {
            return Mono.error(protectedVersion(key));
          }
          return objects.setRetention(bucket.id(), key, found.versionId(), wanted);
        });
  }

  /** PutObjectLegalHold: ON or OFF, whatever the version's retention. */
  public Mono<StoredObject> setLegalHold(
      Instance instance, String bucketName, String key, String versionId, boolean on) {
    return change(
        instance,
        bucketName,
        key,
        versionId,
        (bucket, found) -> objects.setLegalHold(bucket.id(), key, found.versionId(), on));
  }

  private Mono<StoredObject> change(
      Instance instance,
      String bucketName,
      String key,
      String versionId,
      BiFunction<Bucket, StoredObject, Mono<Boolean>> update) {
    return lockedBucket(instance, bucketName)
        .flatMap(
            bucket ->
                objects
                    .lock(bucket.id(), key)
                    .then(find(bucket, key, versionId))
                    .flatMap(
                        found ->
                            update
                                .apply(bucket, found)
                                .flatMap(
                                    updated ->
                                        updated
                                            ? Mono.just(found)
                                            : Mono.error(StorageErrors.noSuchKey(key))))
                    .as(tx::transactional));
  }

  /** The version as stored (its id "null" included); a delete marker is an error as for reads. */
  private Mono<StoredObject> find(Bucket bucket, String key, String versionId) {
    return (versionId == null
            ? objects.latest(bucket.id(), key)
            : objects.findVersion(bucket.id(), key, versionId))
        .switchIfEmpty(
            Mono.error(
                () ->
                    versionId == null
                        ? StorageErrors.noSuchKey(key)
                        : ObjectReader.noSuchVersion(key, versionId)))
        .flatMap(
            found ->
                !found.deleteMarker()
                    ? Mono.just(found)
                    : Mono.error(
                        versionId == null
                            ? DeleteMarkerException.latest(key, found.versionId())
                            : DeleteMarkerException.byVersion(key, found.versionId())));
  }

  private Mono<Bucket> lockedBucket(Instance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(
            bucket -> bucket.objectLock() ? Mono.just(bucket) : Mono.error(missingConfiguration()));
  }

  /**
   * The retention and legal hold a new version of {@code bucket} gets: what the write asks for,
   * else the bucket's default retention (from {@code written}).
   *
   * @throws ApiException InvalidRequest when the write asks for a lock in a bucket without Object
   *     Lock (the write checked its date with {@link #checkRequest} before its bytes)
   */
  public static StoredObject forNewVersion(
      Bucket bucket, ObjectLockRequest requested, StoredObject version, Instant written) {
    if (!bucket.objectLock()) {
      if (requested != null && requested.asksForLock()) {
        throw missingConfiguration();
      }
      return version;
    }
    ObjectLockRequest asked = requested == null ? ObjectLockRequest.NONE : requested;
    Retention retention = asked.retention();
    if (retention == null && bucket.defaultRetention() != null) {
      retention =
          new Retention(
              bucket.defaultRetention().mode(), bucket.defaultRetention().retainUntil(written));
    }
    return version.withLock(retention, asked.legalHold());
  }

  /**
   * A write's lock request, checked against its bucket before any byte is read: a bucket without
   * Object Lock takes none (InvalidRequest), a retain-until date must be in the future
   * (InvalidArgument).
   */
  public static void checkRequest(Bucket bucket, ObjectLockRequest requested, Instant now) {
    if (requested == null || !requested.asksForLock()) {
      return;
    }
    if (!bucket.objectLock()) {
      throw missingConfiguration();
    }
    requireFuture(requested.retention(), now);
  }

  /**
   * Whether a write to {@code bucket} with {@code requested} puts Object Lock parameters on its
   * version (its own, or the bucket's default retention): AWS then requires the request to carry
   * Content-MD5 or an x-amz-checksum-* of its body.
   */
  public static boolean needsIntegrityCheck(Bucket bucket, ObjectLockRequest requested) {
    return bucket.objectLock()
        && ((requested != null && requested.asksForLock()) || bucket.defaultRetention() != null);
  }

  private static void requireFuture(Retention retention, Instant now) {
    if (retention != null && !retention.retainUntil().isAfter(now)) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidArgument",
          "The retain until date must be in the future!",
          "RetainUntilDate " + retention.retainUntil());
    }
  }

  /** AWS's refusal of a change or delete that Object Lock forbids. */
  public static ApiException protectedVersion(String key) {
    return StorageErrors.of(
        ErrorKind.FORBIDDEN,
        "AccessDenied",
        "Access Denied because object protected by object lock.",
        "Object '" + key + "'");
  }

  /** What AWS answers a lock request on a bucket without Object Lock. */
  public static ApiException missingConfiguration() {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "InvalidRequest",
        "Bucket is missing Object Lock Configuration",
        "the bucket was created without Object Lock");
  }
}
