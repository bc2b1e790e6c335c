package dev.cumulus.storage.bucket.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.persistence.BucketRepository;
import dev.cumulus.storage.common.StorageErrors;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * S3 bucket tagging (Put/Get/DeleteBucketTagging): a bucket's tag set, kept in its row. The tags
 * come here already checked against S3's rules (the S3 adapter does it, as for object tags).
 */
@Service
public class BucketTagging {

  private final BucketService buckets;
  private final BucketRepository repository;

  BucketTagging(BucketService buckets, BucketRepository repository) {
    this.buckets = buckets;
    this.repository = repository;
  }

  /** The bucket's tags, by key; 404 NoSuchTagSet when it has none, NoSuchBucket without it. */
  public Mono<Map<String, String>> get(Instance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> repository.tags(bucket.id()))
        .switchIfEmpty(Mono.error(() -> StorageErrors.noSuchBucket(bucketName)))
        .flatMap(
            tags ->
                tags.isPresent()
                    ? Mono.just((Map<String, String>) new TreeMap<>(tags.get()))
                    : Mono.error(noSuchTagSet(bucketName)));
  }

  /** Replaces the bucket's tag set; an empty one removes it, as DeleteBucketTagging does. */
  public Mono<Void> replace(Instance instance, String bucketName, Map<String, String> tags) {
    return set(instance, bucketName, tags.isEmpty() ? null : Map.copyOf(tags));
  }

  /** Removes the bucket's tag set (done too when it has none). */
  public Mono<Void> delete(Instance instance, String bucketName) {
    return set(instance, bucketName, null);
  }

  private Mono<Void> set(Instance instance, String bucketName, Map<String, String> tags) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> repository.setTags(bucket.id(), tags))
        .flatMap(
            updated ->
                updated == 1
                    ? Mono.<Void>empty()
                    // Deleted since it was found.
                    : Mono.error(StorageErrors.noSuchBucket(bucketName)));
  }

  private static RuntimeException noSuchTagSet(String bucketName) {
    return StorageErrors.of(
        ErrorKind.NOT_FOUND,
        "NoSuchTagSet",
        "The TagSet does not exist",
        "Bucket '" + bucketName + "' has no tag set");
  }
}
