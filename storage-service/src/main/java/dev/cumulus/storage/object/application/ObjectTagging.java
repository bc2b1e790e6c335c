package dev.cumulus.storage.object.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * S3 object tagging of one version (the current one when no version id is given): read, replace,
 * remove. Tags written with the object come with it ({@link ObjectWriter}); these calls change them
 * afterwards, in the version's own row.
 */
@Service
public class ObjectTagging {

  private final ObjectReader reader;
  private final ObjectRepository objects;

  ObjectTagging(ObjectReader reader, ObjectRepository objects) {
    this.reader = reader;
    this.objects = objects;
  }

  /** The version, with its tags; NoSuchKey, NoSuchVersion or the delete marker it is otherwise. */
  public Mono<StoredObject> get(Instance instance, String bucket, String key, String versionId) {
    return reader.head(instance, bucket, key, versionId);
  }

  /**
   * Replaces the version's tags with {@code tags} (already checked against S3's rules; empty
   * removes them all).
   *
   * @return the version, as shown (its id null in a bucket never versioned)
   */
  public Mono<StoredObject> replace(
      Instance instance, String bucket, String key, String versionId, Map<String, String> tags) {
    return reader
        .head(instance, bucket, key, versionId)
        .flatMap(
            found ->
                objects
                    .setTags(
                        found.bucketId(),
                        key,
                        found.versionId() == null ? StoredObject.NULL_VERSION : found.versionId(),
                        Map.copyOf(tags))
                    .flatMap(
                        updated ->
                            updated
                                ? Mono.just(found)
                                // Replaced or deleted since it was read.
                                : Mono.error(StorageErrors.noSuchKey(key))));
  }
}
