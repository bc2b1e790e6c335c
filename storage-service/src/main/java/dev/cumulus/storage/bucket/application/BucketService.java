package dev.cumulus.storage.bucket.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.bucket.domain.BucketNames;
import dev.cumulus.storage.bucket.domain.BucketStats;
import dev.cumulus.storage.bucket.domain.DefaultRetention;
import dev.cumulus.storage.bucket.domain.VersioningStatus;
import dev.cumulus.storage.bucket.persistence.BucketRepository;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.quota.application.QuotaErrors;
import dev.cumulus.storage.quota.application.TenantQuotas;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bucket use cases, shared by every web adapter (the seed's JSON API now, S3's XML API later).
 * Callers pass an instance they have already authorised.
 */
@Service
public class BucketService {

  public static final String TOPIC = "cumulus.storage";

  private final BucketRepository buckets;
  private final Outbox outbox;
  private final TransactionalOperator tx;
  private final TenantQuotas quotas;

  /**
   * Buckets as object requests see them, for {@code cumulus.storage.bucket-read-cache-ttl}: a GET
   * or PUT looked its bucket up on every request. Changes made here drop the entry at once; another
   * node's change shows within the TTL. S3 too documents bucket configuration as eventually
   * consistent (it asks to wait after enabling versioning before writing). Bucket operations,
   * copies and multipart uploads always read the row.
   */
  private final Cache<String, Bucket> recent;

  public BucketService(
      BucketRepository buckets,
      Outbox outbox,
      TransactionalOperator tx,
      TenantQuotas quotas,
      StorageProperties properties) {
    this.buckets = buckets;
    this.outbox = outbox;
    this.tx = tx;
    this.quotas = quotas;
    this.recent =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.bucketReadCacheTtl())
            .maximumSize(100_000)
            .build();
  }

  /**
   * @param objectLock S3 Object Lock for good, which enables versioning whatever {@code versioning}
   *     says
   */
  public record NewBucket(
      String name,
      boolean versioning,
      boolean encryption,
      boolean publicAccess,
      boolean objectLock) {

    /** Without Object Lock. */
    public NewBucket(String name, boolean versioning, boolean encryption, boolean publicAccess) {
      this(name, versioning, encryption, publicAccess, false);
    }
  }

  /**
   * Creates a bucket within the tenant's {@code buckets} limit: the tenant's limits are fetched
   * first (so its usage row holds them), and the insert's trigger counts the bucket and refuses one
   * too many (TooManyBuckets) in the same transaction.
   */
  public Mono<Bucket> create(Instance instance, NewBucket request) {
    var violation = BucketNames.violation(request.name());
    if (violation.isPresent()) {
      return Mono.error(StorageErrors.invalidBucketName(violation.get()));
    }
    Bucket bucket =
        new Bucket(
            UUID.randomUUID(),
            instance.serviceId(),
            request.name(),
            request.versioning() || request.objectLock()
                ? VersioningStatus.ENABLED
                : VersioningStatus.UNVERSIONED,
            request.encryption(),
            request.publicAccess(),
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            request.objectLock(),
            null);
    Mono<Bucket> created =
        buckets
            .insert(bucket)
            .switchIfEmpty(
                Mono.error(
                    () ->
                        StorageErrors.of(
                            ErrorKind.CONFLICT,
                            "BucketAlreadyExists",
                            "The requested bucket name is not available",
                            "Bucket '" + request.name() + "' already exists")))
            .flatMap(b -> event(instance, b, "created").thenReturn(b))
            .as(tx::transactional)
            .onErrorMap(QuotaErrors::translate);
    return quotas.of(instance.tenantId()).then(created);
  }

  public Flux<Bucket> list(Instance instance) {
    return buckets.list(instance.serviceId());
  }

  public Mono<Bucket> require(Instance instance, String name) {
    return buckets
        .find(instance.serviceId(), name)
        .switchIfEmpty(Mono.error(() -> StorageErrors.noSuchBucket(name)));
  }

  /**
   * {@link #require} for object requests (GET, HEAD, listings, PUT, DELETE): as this node last saw
   * the bucket, at most {@code bucket-read-cache-ttl} ago. A bucket deleted through another node
   * meanwhile fails the object's commit (foreign key), which the caller reports as NoSuchBucket.
   */
  public Mono<Bucket> requireRecent(Instance instance, String name) {
    Bucket cached = recent.getIfPresent(cacheKey(instance, name));
    if (cached != null) {
      return Mono.just(cached);
    }
    return require(instance, name).doOnNext(b -> recent.put(cacheKey(instance, name), b));
  }

  private static String cacheKey(Instance instance, String name) {
    return instance.serviceId() + "/" + name;
  }

  public Mono<BucketStats> stats(Bucket bucket) {
    return buckets.stats(bucket.id());
  }

  public Mono<BucketStats> usage(Instance instance) {
    return buckets.usage(instance.serviceId());
  }

  public Mono<VersioningStatus> versioning(Instance instance, String name) {
    return require(instance, name).map(Bucket::versioningStatus);
  }

  /**
   * Enables or suspends versioning (S3's PutBucketVersioning). A bucket can never go back to
   * unversioned: its versions keep their ids.
   */
  public Mono<Bucket> setVersioning(Instance instance, String name, VersioningStatus status) {
    if (status == VersioningStatus.UNVERSIONED) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "IllegalVersioningConfigurationException",
              "The Versioning element must be specified",
              "Status must be Enabled or Suspended"));
    }
    return require(instance, name)
        .flatMap(
            bucket -> {
              Bucket changed = bucket.withVersioning(status);
              return buckets
                  .setVersioning(bucket.id(), status)
                  .flatMap(
                      updated ->
                          updated == 1
                              ? event(instance, changed, "updated").thenReturn(changed)
                              : Mono.error(
                                  status != VersioningStatus.ENABLED
                                      ? invalidBucketState(
                                          "An Object Lock configuration is present on this"
                                              + " bucket, so the versioning state cannot be"
                                              + " changed.")
                                      : StorageErrors.noSuchBucket(name)));
            })
        .as(tx::transactional)
        .doOnSuccess(done -> recent.invalidate(cacheKey(instance, name)));
  }

  /**
   * S3's PutObjectLockConfiguration: turns Object Lock on (for good) with {@code rule} as the
   * default retention of new versions (null: none). A bucket without Object Lock gets it only while
   * its versioning is enabled (409 InvalidBucketState otherwise), as AWS now allows.
   */
  public Mono<Bucket> setObjectLock(Instance instance, String name, DefaultRetention rule) {
    return require(instance, name)
        .flatMap(
            bucket -> {
              Bucket changed = bucket.withObjectLock(rule);
              return buckets
                  .setObjectLock(bucket.id(), rule)
                  .flatMap(
                      updated ->
                          updated == 1
                              ? event(instance, changed, "updated").thenReturn(changed)
                              : Mono.error(
                                  invalidBucketState(
                                      "Versioning must be 'Enabled' on the bucket to apply a"
                                          + " Object Lock configuration")));
            })
        .as(tx::transactional)
        .doOnSuccess(done -> recent.invalidate(cacheKey(instance, name)));
  }

  private static RuntimeException invalidBucketState(String message) {
    return StorageErrors.of(ErrorKind.CONFLICT, "InvalidBucketState", message, null);
  }

  /**
   * Turns the bucket's default encryption at rest on or off (S3's Put/DeleteBucketEncryption). It
   * applies to new writes only: objects keep the form they were written in.
   */
  public Mono<Bucket> setEncryption(Instance instance, String name, boolean enabled) {
    return require(instance, name)
        .flatMap(
            bucket -> {
              Bucket changed = bucket.withEncryption(enabled);
              return buckets
                  .setEncryption(bucket.id(), enabled)
                  .then(event(instance, changed, "updated"))
                  .thenReturn(changed);
            })
        .as(tx::transactional)
        .doOnSuccess(done -> recent.invalidate(cacheKey(instance, name)));
  }

  /** Deletes a bucket without any object version; 409 BucketNotEmpty otherwise. */
  /** Removes every bucket of a deleted instance with its objects' metadata (not their files). */
  public Mono<Void> deleteAllOf(Instance instance) {
    return buckets.deleteAllOf(instance.serviceId()).then();
  }

  public Mono<Void> delete(Instance instance, String name) {
    return require(instance, name)
        .flatMap(
            bucket ->
                buckets
                    .deleteIfEmpty(bucket.id())
                    .flatMap(
                        n ->
                            n == 1
                                ? event(instance, bucket, "deleted").then()
                                : Mono.error(
                                    StorageErrors.of(
                                        ErrorKind.CONFLICT,
                                        "BucketNotEmpty",
                                        "The bucket you tried to delete is not empty",
                                        "Bucket '" + name + "' still holds objects"))))
        .as(tx::transactional)
        .doOnSuccess(done -> recent.invalidate(cacheKey(instance, name)));
  }

  private Mono<UUID> event(Instance instance, Bucket bucket, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", instance.tenantId());
    data.put("serviceId", instance.serviceId());
    data.put("bucket", bucket.name());
    data.put("versioning", bucket.versioning());
    data.put("versioningStatus", bucket.versioningStatus().label());
    data.put("encryption", bucket.encryption());
    data.put("publicAccess", bucket.publicAccess());
    data.put("objectLock", bucket.objectLock());
    return outbox.appendForTenant(
        instance.tenantId(),
        TOPIC,
        instance.serviceId() + "/" + bucket.name(),
        "bucket",
        verb,
        data);
  }
}
