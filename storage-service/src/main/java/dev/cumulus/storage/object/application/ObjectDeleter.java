package dev.cumulus.storage.object.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * DeleteObject (by key or by version) and lifecycle expiration, for every web adapter and the
 * lifecycle worker. Deletes remove the metadata first and the bytes after the commit.
 */
@Service
public class ObjectDeleter {

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final ObjectBlobs bytes;
  private final ObjectEvents events;
  private final TransactionalOperator tx;

  ObjectDeleter(
      BucketService buckets,
      ObjectRepository objects,
      ObjectBlobs bytes,
      ObjectEvents events,
      TransactionalOperator tx) {
    this.buckets = buckets;
    this.objects = objects;
    this.bytes = bytes;
    this.events = events;
    this.tx = tx;
  }

  /** Deletes the object; emits whether it existed. */
  public Mono<Boolean> delete(Instance instance, String bucketName, String key) {
    return delete(instance, bucketName, key, null).map(Deletion::existed);
  }

  /**
   * S3's DeleteObject. With a version id, that version is removed for good (and the next newest
   * becomes current). Without one, a versioned bucket gets a delete marker, which hides the key but
   * keeps its versions; a bucket that was never versioned loses the object.
   */
  public Mono<Deletion> delete(Instance instance, String bucketName, String key, String versionId) {
    return delete(instance, bucketName, key, versionId, false);
  }

  /**
   * {@link #delete(Instance, String, String, String)}; a version that S3 Object Lock protects (a
   * legal hold, an active COMPLIANCE retention, or an active GOVERNANCE one unless {@code
   * bypassGovernance}) is not removed: 403 AccessDenied, as AWS answers. Checked under the key's
   * lock, in the delete's statement. A delete without a version id is never refused: it writes a
   * delete marker, as AWS does.
   */
  public Mono<Deletion> delete(
      Instance instance,
      String bucketName,
      String key,
      String versionId,
      boolean bypassGovernance) {
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket -> {
              if (versionId != null) {
                return deleteVersion(instance, bucket, key, versionId, null, bypassGovernance);
              }
              return deleteCurrent(instance, bucket, key, null);
            });
  }

  /**
   * Lifecycle expiration: DeleteObject without a version id, but only while the key's current
   * object is still one last modified before {@code modifiedBefore} (checked under the key's lock,
   * so an object rewritten after a rule found it due is not expired).
   *
   * <p>The guard is a predicate on the current object from here on ({@code modifiedBefore} in the
   * private methods; null: no guard).
   */
  public Mono<Deletion> expire(
      Instance instance, String bucketName, String key, Instant modifiedBefore) {
    return expire(instance, bucketName, key, modifiedBefore, current -> true);
  }

  /**
   * {@link #expire(Instance, String, String, Instant)} that also requires the current object to
   * still be {@code selected} (e.g. by a rule's tag and size filter) under the key's lock.
   */
  public Mono<Deletion> expire(
      Instance instance,
      String bucketName,
      String key,
      Instant modifiedBefore,
      java.util.function.Predicate<StoredObject> selected) {
    java.util.function.Predicate<StoredObject> due =
        current -> current.lastModified().isBefore(modifiedBefore) && selected.test(current);
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> deleteCurrent(instance, bucket, key, due));
  }

  private Mono<Deletion> deleteCurrent(
      Instance instance,
      Bucket bucket,
      String key,
      java.util.function.Predicate<StoredObject> modifiedBefore) {
    return bucket.versioned()
        ? writeDeleteMarker(instance, bucket, key, modifiedBefore)
        : deleteVersion(instance, bucket, key, StoredObject.NULL_VERSION, modifiedBefore, false);
  }

  /** Inside the key's lock: true unless a guard is given and the current object fails it. */
  private Mono<Boolean> stillDue(
      Bucket bucket, String key, java.util.function.Predicate<StoredObject> due) {
    if (due == null) {
      return Mono.just(true);
    }
    return objects
        .latest(bucket.id(), key)
        .map(l -> !l.deleteMarker() && due.test(l))
        .defaultIfEmpty(false);
  }

  private Mono<Deletion> deleteVersion(
      Instance instance,
      Bucket bucket,
      String key,
      String versionId,
      java.util.function.Predicate<StoredObject> modifiedBefore,
      boolean bypassGovernance) {
    return objects
        .lock(bucket.id(), key)
        .then(stillDue(bucket, key, modifiedBefore))
        .filter(Boolean::booleanValue)
        .flatMap(due -> deleteUnlocked(bucket, key, versionId, bypassGovernance))
        .flatMap(
            removed ->
                (removed.latest() ? objects.promoteNewest(bucket.id(), key) : Mono.just(0L))
                    .then(
                        events.append(instance, bucket, Versions.shown(bucket, removed), "deleted"))
                    .thenReturn(removed))
        .as(tx::transactional)
        .flatMap(
            removed ->
                (removed.storagePath() == null
                        ? Mono.<Void>empty()
                        : bytes.delete(removed.storagePath()))
                    .thenReturn(
                        new Deletion(
                            true,
                            Versions.shown(bucket, removed).versionId(),
                            removed.deleteMarker())))
        .defaultIfEmpty(new Deletion(false, bucket.versioned() ? versionId : null, false));
  }

  private Mono<Deletion> writeDeleteMarker(
      Instance instance,
      Bucket bucket,
      String key,
      java.util.function.Predicate<StoredObject> modifiedBefore) {
    StoredObject marker =
        StoredObject.deleteMarker(
            bucket.id(),
            key,
            Versions.newVersionId(bucket),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return objects
        .lock(bucket.id(), key)
        .then(stillDue(bucket, key, modifiedBefore))
        .filter(Boolean::booleanValue)
        .flatMap(
            due ->
                objects.latest(bucket.id(), key).map(l -> !l.deleteMarker()).defaultIfEmpty(false))
        .flatMap(
            existed ->
                replacedBytes(bucket, key, marker.versionId())
                    .flatMap(
                        old ->
                            objects
                                .demoteLatest(bucket.id(), key)
                                .then(objects.insert(marker))
                                .then(
                                    existed
                                        ? events.append(instance, bucket, marker, "deleted").then()
                                        : Mono.<Void>empty())
                                .thenReturn(old))
                    .map(old -> new MarkerWrite(existed, old)))
        .as(tx::transactional)
        .flatMap(
            done -> {
              Deletion deletion = new Deletion(done.existed(), marker.versionId(), true);
              return done.replacedPath().isEmpty()
                  ? Mono.just(deletion)
                  : bytes.delete(done.replacedPath()).thenReturn(deletion);
            })
        .defaultIfEmpty(new Deletion(false, null, false));
  }

  /**
   * Under the key's lock: removes the version unless Object Lock protects it (AccessDenied); empty
   * when there is no such version.
   */
  private Mono<StoredObject> deleteUnlocked(
      Bucket bucket, String key, String versionId, boolean bypassGovernance) {
    return objects
        .deleteUnlockedVersion(bucket.id(), key, versionId, bypassGovernance, Instant.now())
        .switchIfEmpty(
            Mono.defer(
                () ->
                    objects
                        .findVersion(bucket.id(), key, versionId)
                        .flatMap(locked -> Mono.error(ObjectLocking.protectedVersion(key)))));
  }

  /**
   * Inside the write's transaction: removes the "null" version a new "null" version replaces, and
   * emits the path of its bytes ("" when there are none) for deletion after the commit.
   */
  private Mono<String> replacedBytes(Bucket bucket, String key, String versionId) {
    if (!StoredObject.NULL_VERSION.equals(versionId)) {
      return Mono.just("");
    }
    return deleteUnlocked(bucket, key, versionId, false)
        .map(old -> old.storagePath() == null ? "" : old.storagePath())
        .defaultIfEmpty("");
  }

  /** A committed delete marker: whether it hid a current object, and the bytes it replaced. */
  private record MarkerWrite(boolean existed, String replacedPath) {}
}
