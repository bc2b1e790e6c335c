package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** GetObject and HeadObject, for every web adapter. */
@Service
public class ObjectReader {

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final BlobStore blobs;
  private final ObjectBlobs bytes;

  ObjectReader(
      BucketService buckets, ObjectRepository objects, BlobStore blobs, ObjectBlobs bytes) {
    this.buckets = buckets;
    this.objects = objects;
    this.blobs = blobs;
    this.bytes = bytes;
  }

  public Mono<StoredObject> head(Instance instance, String bucketName, String key) {
    return head(instance, bucketName, key, null);
  }

  /**
   * One version of an object ({@code versionId} null: the current one). A delete marker is a {@link
   * DeleteMarkerException}; an unknown version is {@code NoSuchVersion}.
   */
  public Mono<StoredObject> head(
      Instance instance, String bucketName, String key, String versionId) {
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket ->
                (versionId == null
                        ? objects.latestGrouped(bucket.id(), key)
                        : objects.findVersion(bucket.id(), key, versionId))
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                versionId == null
                                    ? StorageErrors.noSuchKey(key)
                                    : noSuchVersion(key, versionId)))
                    .map(found -> Versions.shown(bucket, found)))
        .flatMap(
            found ->
                !found.deleteMarker()
                    ? Mono.just(found)
                    : Mono.error(
                        versionId == null
                            ? DeleteMarkerException.latest(key, found.versionId())
                            : DeleteMarkerException.byVersion(key, found.versionId())));
  }

  static ApiException noSuchVersion(String key, String versionId) {
    return StorageErrors.of(
        ErrorKind.NOT_FOUND,
        "NoSuchVersion",
        "The specified version does not exist.",
        "Version " + versionId + " of '" + key + "' not found");
  }

  /**
   * The object and its bytes (or the requested range of them).
   *
   * @throws ByteRange.Unsatisfiable (as an error signal) when the range is past the end
   */
  public Mono<Download> get(Instance instance, String bucketName, String key, String rangeHeader) {
    return head(instance, bucketName, key).map(object -> download(object, rangeHeader, null));
  }

  /**
   * The bytes of an object already looked up (or the requested range of them).
   *
   * @throws ByteRange.Unsatisfiable when the range is past the end
   */
  public Download download(StoredObject object, String rangeHeader, CustomerKey customerKey) {
    return download(
        object, ByteRange.resolve(rangeHeader, object.size()).orElse(null), customerKey);
  }

  /**
   * The bytes of an object already looked up: {@code range} of them, all when it is null.
   *
   * @param customerKey the key that sealed it (SSE-C), null for an object the service encrypted or
   *     left plain
   * @throws ApiException when the key is missing, wrong or not applicable ({@link CustomerKeys}),
   *     before any byte is read
   */
  public Download download(StoredObject object, ByteRange range, CustomerKey customerKey) {
    CustomerKeys.check(object, customerKey);
    long offset = range == null ? 0 : range.first();
    long length = range == null ? object.size() : range.length();
    // Only a plain file's bytes can be sent without copying; inline and encrypted ones cannot.
    BlobRegion region =
        object.inline() != null || object.encrypted()
            ? null
            : blobs.region(object.storagePath(), offset, length).orElse(null);
    return new Download(object, range, bytes.content(object, offset, length, customerKey), region);
  }
}
