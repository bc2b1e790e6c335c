package dev.cumulus.storage.access.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.access.domain.AccessControlList;
import dev.cumulus.storage.access.domain.BucketAccess;
import dev.cumulus.storage.access.domain.BucketPolicy;
import dev.cumulus.storage.access.domain.ObjectOwnership;
import dev.cumulus.storage.access.domain.PublicAccessBlock;
import dev.cumulus.storage.access.persistence.AccessRepository;
import dev.cumulus.storage.bucket.application.RecentBucketSettings;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.domain.StoredObject;
import java.time.Duration;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Buckets' access settings (Object Ownership, ACL, policy, PublicAccessBlock) and objects' ACLs.
 * Every S3 request reads its bucket's settings through {@link #recent}: compiled, at most one query
 * per bucket per {@link #RECENT}; this node's own changes show at once.
 */
@Service
public class AccessService {

  static final Duration RECENT = Duration.ofSeconds(10);

  private final AccessRepository repository;
  private final ObjectReader reader;
  private final RecentBucketSettings<BucketAccess> recent;

  public AccessService(AccessRepository repository, ObjectReader reader) {
    this.repository = repository;
    this.reader = reader;
    this.recent = new RecentBucketSettings<>(RECENT, repository::find);
  }

  /** The bucket's settings as recently read; empty when there is no such bucket. */
  public Mono<BucketAccess> recent(Instance instance, String bucket) {
    return recent.get(instance, bucket);
  }

  /** The bucket's settings as stored now (for callers a stale "no bucket" must not let in). */
  public Mono<BucketAccess> current(Instance instance, String bucket) {
    return repository.find(instance.serviceId(), bucket);
  }

  /** The settings of an existing bucket, as stored now; NoSuchBucket when there is none. */
  public Mono<BucketAccess> require(Instance instance, String bucket) {
    return current(instance, bucket)
        .switchIfEmpty(Mono.error(() -> StorageErrors.noSuchBucket(bucket)));
  }

  public Mono<Void> setOwnership(Instance instance, BucketAccess bucket, ObjectOwnership o) {
    Mono<Void> dropObjectAcls =
        o == ObjectOwnership.BUCKET_OWNER_ENFORCED
            ? repository.deleteObjectAcls(bucket.bucketId())
            : Mono.empty();
    return repository
        .setOwnership(bucket.bucketId(), o)
        .then(dropObjectAcls)
        .doOnSuccess(done -> forget(instance, bucket));
  }

  public Mono<Void> setAcl(Instance instance, BucketAccess bucket, AccessControlList acl) {
    return repository.setAcl(bucket.bucketId(), acl).doOnSuccess(done -> forget(instance, bucket));
  }

  /** Puts the (already compiled) policy; null removes it. */
  public Mono<Void> setPolicy(Instance instance, BucketAccess bucket, BucketPolicy policy) {
    return repository
        .setPolicy(bucket.bucketId(), policy == null ? null : policy.json())
        .doOnSuccess(done -> forget(instance, bucket));
  }

  /** Puts the configuration; null removes it. */
  public Mono<Void> setPublicAccessBlock(
      Instance instance, BucketAccess bucket, PublicAccessBlock block) {
    return repository
        .setPublicAccessBlock(bucket.bucketId(), block)
        .doOnSuccess(done -> forget(instance, bucket));
  }

  /** The ACL of one version of an object; the owner-only default when it has none stored. */
  public Mono<AccessControlList> objectAcl(BucketAccess bucket, String key, String versionId) {
    return repository
        .objectAcl(bucket.bucketId(), key, versionId)
        .defaultIfEmpty(AccessControlList.ownerOnly(bucket.owner()));
  }

  /** The version id of the key's current object; empty when it has none (or a delete marker). */
  public Mono<String> latestVersion(Instance instance, String bucket, String key) {
    return reader
        .head(instance, bucket, key)
        .map(AccessService::versionOf)
        // NoSuchKey, NoSuchBucket, and a delete marker (DeleteMarkerException is one too)
        .onErrorResume(ApiException.class, e -> Mono.empty());
  }

  /** The version id an object's ACL is stored under: {@code "null"} for an unversioned one. */
  public static String versionOf(StoredObject object) {
    return object.versionId() == null ? "null" : object.versionId();
  }

  /** Gives a version its ACL; an owner-only ACL is the default and is not stored. */
  public Mono<Void> setObjectAcl(
      BucketAccess bucket, String key, String versionId, AccessControlList acl) {
    if (acl.owner().equals(bucket.owner()) && acl.ownerFullControlOnly()) {
      return repository.deleteObjectAcl(bucket.bucketId(), key, versionId);
    }
    return repository.setObjectAcl(bucket.bucketId(), key, versionId, acl);
  }

  public Mono<Void> moveObjectAcl(BucketAccess bucket, String key, String from, String to) {
    return repository.moveObjectAcl(bucket.bucketId(), key, from, to);
  }

  /** Drops what was read of the bucket's settings (it was just created or deleted). */
  public void forget(Instance instance, String bucket) {
    recent.forget(instance, bucket);
  }

  private void forget(Instance instance, BucketAccess bucket) {
    recent.forget(instance, bucket.name());
  }
}
