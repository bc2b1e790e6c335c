package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectPage;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import dev.cumulus.storage.support.StorageErrors;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Object use cases shared by every web adapter. Writes follow {@link BlobStore}'s protocol: bytes
 * durable first, metadata (with its outbox event) committed second, replaced bytes removed third.
 * Deletes remove the metadata first and the bytes after the commit.
 */
@Service
public class ObjectService {

  public static final int MAX_KEYS = 1000;
  private static final Logger log = LoggerFactory.getLogger(ObjectService.class);

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final BlobStore blobs;
  private final Outbox outbox;
  private final TransactionalOperator tx;

  public ObjectService(
      BucketService buckets,
      ObjectRepository objects,
      BlobStore blobs,
      Outbox outbox,
      TransactionalOperator tx) {
    this.buckets = buckets;
    this.objects = objects;
    this.blobs = blobs;
    this.outbox = outbox;
    this.tx = tx;
  }

  /** The object with a range to serve: the whole object when {@code range} is empty. */
  public record Download(StoredObject object, ByteRange range, Flux<DataBuffer> content) {}

  /** Validates a key before any byte is read, so bad input never reaches the disk. */
  public static void checkKey(String key) {
    ObjectKeys.violation(key)
        .ifPresent(
            v -> {
              throw StorageErrors.of(
                  ErrorKind.BAD_REQUEST,
                  v.contains("bytes long") ? "KeyTooLongError" : "InvalidArgument",
                  "The specified key is not valid",
                  v);
            });
  }

  public Mono<StoredObject> put(
      StorageInstance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata,
      Flux<DataBuffer> content) {
    try {
      checkKey(key);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    String type =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    return buckets
        .require(instance, bucketName)
        .flatMap(
            bucket ->
                blobs
                    .store(instance.serviceId(), content)
                    .flatMap(blob -> commit(instance, bucket, key, type, userMetadata, blob)));
  }

  private Mono<StoredObject> commit(
      StorageInstance instance,
      Bucket bucket,
      String key,
      String type,
      Map<String, String> userMetadata,
      StoredBlob blob) {
    StoredObject object =
        new StoredObject(
            bucket.id(),
            key,
            blob.size(),
            blob.md5Hex(),
            type,
            userMetadata == null ? Map.of() : Map.copyOf(userMetadata),
            blob.path(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Mono<String> previous =
        objects
            .lockPath(bucket.id(), key)
            .defaultIfEmpty("")
            .flatMap(
                old ->
                    objects
                        .upsert(object)
                        .then(event(instance, bucket, object, "created"))
                        .thenReturn(old));
    return previous
        .as(tx::transactional)
        .onErrorResume(
            error ->
                blobs.delete(blob.path()).onErrorResume(e -> Mono.empty()).then(Mono.error(error)))
        .flatMap(old -> old.isEmpty() ? Mono.just(object) : deleteBytes(old).thenReturn(object));
  }

  public Mono<ObjectPage> list(
      StorageInstance instance,
      String bucketName,
      String prefix,
      int maxKeys,
      String continuationToken) {
    if (maxKeys < 0 || maxKeys > MAX_KEYS) {
      return Mono.error(StorageErrors.invalidRequest("maxKeys must be between 0 and " + MAX_KEYS));
    }
    String after = "";
    if (continuationToken != null && !continuationToken.isEmpty()) {
      var decoded = ObjectKeys.afterKey(continuationToken);
      if (decoded.isEmpty()) {
        return Mono.error(
            StorageErrors.of(
                ErrorKind.BAD_REQUEST,
                "InvalidArgument",
                "The continuation token provided is incorrect",
                "continuationToken is not valid"));
      }
      after = decoded.get();
    }
    String from = after;
    String p = prefix == null ? "" : prefix;
    return buckets
        .require(instance, bucketName)
        .flatMap(
            bucket ->
                maxKeys == 0
                    ? Mono.just(new ObjectPage(List.of(), false, null))
                    : objects
                        .list(bucket.id(), p, from, maxKeys + 1)
                        .collectList()
                        .map(
                            found -> {
                              if (found.size() <= maxKeys) {
                                return new ObjectPage(found, false, null);
                              }
                              List<StoredObject> page = found.subList(0, maxKeys);
                              return new ObjectPage(
                                  List.copyOf(page),
                                  true,
                                  ObjectKeys.token(page.get(page.size() - 1).key()));
                            }));
  }

  public Mono<StoredObject> head(StorageInstance instance, String bucketName, String key) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> objects.find(bucket.id(), key))
        .switchIfEmpty(Mono.error(() -> StorageErrors.noSuchKey(key)));
  }

  /**
   * The object and its bytes (or the requested range of them).
   *
   * @throws ByteRange.Unsatisfiable (as an error signal) when the range is past the end
   */
  public Mono<Download> get(
      StorageInstance instance, String bucketName, String key, String rangeHeader) {
    return head(instance, bucketName, key)
        .map(
            object -> {
              ByteRange range = ByteRange.resolve(rangeHeader, object.size()).orElse(null);
              long offset = range == null ? 0 : range.first();
              long length = range == null ? object.size() : range.length();
              return new Download(object, range, blobs.read(object.storagePath(), offset, length));
            });
  }

  /** Deletes the object; emits whether it existed. */
  public Mono<Boolean> delete(StorageInstance instance, String bucketName, String key) {
    return buckets
        .require(instance, bucketName)
        .flatMap(
            bucket ->
                objects
                    .delete(bucket.id(), key)
                    .flatMap(
                        path ->
                            event(instance, bucket, deletedObject(bucket, key), "deleted")
                                .thenReturn(path))
                    .as(tx::transactional)
                    .flatMap(path -> deleteBytes(path).thenReturn(true))
                    .defaultIfEmpty(false));
  }

  private static StoredObject deletedObject(Bucket bucket, String key) {
    return new StoredObject(bucket.id(), key, 0, null, null, Map.of(), null, Instant.now());
  }

  /** After the metadata no longer points at them; a failure leaves work for the janitor. */
  private Mono<Void> deleteBytes(String path) {
    return blobs
        .delete(path)
        .onErrorResume(
            e -> {
              log.warn("Could not delete blob {}: {}", path, e.toString());
              return Mono.empty();
            });
  }

  private Mono<UUID> event(
      StorageInstance instance, Bucket bucket, StoredObject object, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", instance.tenantId());
    data.put("serviceId", instance.serviceId());
    data.put("bucket", bucket.name());
    data.put("key", object.key());
    if ("created".equals(verb)) {
      data.put("size", object.size());
      data.put("etag", object.etag());
      data.put("contentType", object.contentType());
    }
    return outbox.appendForTenant(
        instance.tenantId(),
        BucketService.TOPIC,
        instance.serviceId() + "/" + bucket.name() + "/" + object.key(),
        "object",
        verb,
        data);
  }
}
