package dev.cumulus.storage.lifecycle.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.application.RecentBucketSettings;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.lifecycle.domain.LifecycleConfiguration;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** A bucket's lifecycle configuration (S3's Put/Get/DeleteBucketLifecycle). */
@Service
public class LifecycleService {

  /**
   * How long object requests may see a bucket's rules as they were (S3 too takes a while to apply a
   * changed lifecycle configuration); this instance's own changes show at once.
   */
  static final Duration RECENT = Duration.ofSeconds(10);

  private final BucketService buckets;
  private final LifecycleRepository configurations;
  private final RecentBucketSettings<LifecycleConfiguration> recent;

  public LifecycleService(BucketService buckets, LifecycleRepository configurations) {
    this.buckets = buckets;
    this.configurations = configurations;
    this.recent = new RecentBucketSettings<>(RECENT, configurations::find);
  }

  /**
   * When the current version of {@code key}, last modified then, expires under the bucket's rules
   * (S3's {@code x-amz-expiration}); empty when no enabled rule expires it. {@code lastModified} is
   * asked for only when the bucket has rules, the object's size and tags read only when a rule
   * filters by them.
   */
  public Mono<LifecycleConfiguration.Expiry> expiryOf(
      Instance instance, String bucketName, String key, Supplier<Instant> lastModified) {
    return recent
        .get(instance, bucketName)
        .flatMap(
            configuration ->
                !configuration.needsObjectFacts()
                    ? Mono.justOrEmpty(configuration.expiryOf(key, lastModified.get()))
                    // A tag or size rule: one more small read of the current version's row.
                    : configurations
                        .currentSizeAndTags(instance.serviceId(), bucketName, key)
                        .flatMap(
                            facts ->
                                Mono.justOrEmpty(
                                    configuration.expiryOf(
                                        key, lastModified.get(), facts.size(), facts.tags()))));
  }

  /** Replaces the bucket's rules; InvalidArgument or InvalidRequest when S3 would refuse them. */
  public Mono<Void> put(
      Instance instance, String bucketName, LifecycleConfiguration configuration) {
    var violation = configuration.violation();
    if (violation.isPresent()) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              violation.get().code(),
              violation.get().message(),
              "LifecycleConfiguration"));
    }
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.save(bucket.id(), configuration))
        .doOnSuccess(done -> recent.forget(instance, bucketName));
  }

  /** The bucket's rules; NoSuchLifecycleConfiguration when it has none. */
  public Mono<LifecycleConfiguration> get(Instance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.find(bucket.id()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.NOT_FOUND,
                        "NoSuchLifecycleConfiguration",
                        "The lifecycle configuration does not exist",
                        "Bucket '" + bucketName + "' has no lifecycle configuration")));
  }

  /** Removes the bucket's rules (none is fine, as in S3). */
  public Mono<Void> delete(Instance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.delete(bucket.id()))
        .doOnSuccess(done -> recent.forget(instance, bucketName))
        .then();
  }
}
