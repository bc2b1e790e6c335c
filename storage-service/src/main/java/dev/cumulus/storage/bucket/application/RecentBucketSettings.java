package dev.cumulus.storage.bucket.application;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.instance.Instance;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * A per-bucket setting (lifecycle rules, CORS rules) as object requests see it: read from the
 * database at most once per {@code ttl} per bucket, so a GET or a browser's request does not pay a
 * query for a setting that rarely changes. This node's own changes show at once ({@link #forget});
 * another node's, or a bucket deleted and created again under the same name, within {@code ttl}
 * (S3, too, takes a while to apply a changed lifecycle or CORS configuration).
 *
 * @param <S> the setting
 */
public final class RecentBucketSettings<S> {

  private record BucketRef(String serviceId, String bucket) {}

  private final AsyncLoadingCache<BucketRef, Optional<S>> recent;

  /**
   * @param ttl how long a read setting is used
   * @param load the setting of (service id, bucket name); empty when it has none
   */
  public RecentBucketSettings(Duration ttl, BiFunction<String, String, Mono<S>> load) {
    this.recent =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(ttl)
            .buildAsync(
                (ref, executor) ->
                    load.apply(ref.serviceId(), ref.bucket())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .toFuture());
  }

  /** The bucket's setting; empty when it has none. */
  public Mono<S> get(Instance instance, String bucketName) {
    return Mono.fromFuture(recent.get(new BucketRef(instance.serviceId(), bucketName)), true)
        .flatMap(Mono::justOrEmpty);
  }

  /** Drops what was read for the bucket: call after changing its setting. */
  public void forget(Instance instance, String bucketName) {
    recent.synchronous().invalidate(new BucketRef(instance.serviceId(), bucketName));
  }
}
