package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.bucket.domain.VersioningStatus;
import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.ListQuery;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectPage;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import dev.cumulus.storage.support.StorageErrors;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.unit.DataSize;
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
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Inline bytes are read with their row on every GET and HEAD: they must stay small. */
  private static final long MAX_INLINE_THRESHOLD = 256 * 1024;

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final BlobStore blobs;
  private final Outbox outbox;
  private final TransactionalOperator tx;
  private final int inlineThreshold;

  /**
   * @param inlineThreshold plain objects up to this size keep their bytes in their metadata row (no
   *     blob file: see migration V7); 0 turns that off
   */
  public ObjectService(
      BucketService buckets,
      ObjectRepository objects,
      BlobStore blobs,
      Outbox outbox,
      TransactionalOperator tx,
      @Value("${cumulus.storage.inline-threshold:32KB}") DataSize inlineThreshold) {
    this.buckets = buckets;
    this.objects = objects;
    this.blobs = blobs;
    this.outbox = outbox;
    this.tx = tx;
    this.inlineThreshold = (int) Math.min(inlineThreshold.toBytes(), MAX_INLINE_THRESHOLD);
  }

  /** The object with a range to serve: the whole object when {@code range} is empty. */
  /**
   * An object's bytes to send.
   *
   * @param range the requested range, null for the whole object
   * @param content the bytes, streamed
   * @param region the same bytes as a plain file region when they can be sent without copying (null
   *     otherwise)
   */
  public record Download(
      StoredObject object, ByteRange range, Flux<DataBuffer> content, BlobRegion region) {}

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
    return put(instance, bucketName, key, contentType, userMetadata, null, content);
  }

  /**
   * Stores an object.
   *
   * @param contentMd5 the client's {@code Content-MD5} (base64), or null: when the bytes do not
   *     match it, nothing is committed and the error is {@code BadDigest}
   */
  public Mono<StoredObject> put(
      StorageInstance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata,
      String contentMd5,
      Flux<DataBuffer> content) {
    return put(instance, bucketName, key, contentType, userMetadata, contentMd5, false, content);
  }

  /**
   * Stores an object, encrypted at rest when {@code encrypt} asks for it (S3's {@code
   * x-amz-server-side-encryption}) or the bucket does by default.
   */
  public Mono<StoredObject> put(
      StorageInstance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata,
      String contentMd5,
      boolean encrypt,
      Flux<DataBuffer> content) {
    String expectedMd5;
    try {
      checkKey(key);
      expectedMd5 = contentMd5Hex(contentMd5);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    String type =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket ->
                blobs
                    .storeOrInline(
                        instance.serviceId(),
                        content,
                        encryptionOwner(instance, encrypt || bucket.encryption()),
                        inlineThreshold)
                    .flatMap(blob -> checkMd5(blob, expectedMd5))
                    .flatMap(blob -> commit(instance, bucket, key, type, userMetadata, blob)));
  }

  /**
   * Copies an object's bytes to another key (possibly in another bucket of the instance).
   *
   * @param metadata the copy's content type and user metadata, or null to keep the source's
   */
  public Mono<StoredObject> copy(
      StorageInstance instance,
      String sourceBucket,
      String sourceKey,
      String targetBucket,
      String targetKey,
      ObjectMetadata metadata) {
    return copy(instance, sourceBucket, sourceKey, null, targetBucket, targetKey, metadata);
  }

  /**
   * Copies one version of an object ({@code sourceVersionId} null: the current one).
   *
   * @param metadata the copy's content type and user metadata, or null to keep the source's
   */
  public Mono<StoredObject> copy(
      StorageInstance instance,
      String sourceBucket,
      String sourceKey,
      String sourceVersionId,
      String targetBucket,
      String targetKey,
      ObjectMetadata metadata) {
    return copy(
        instance,
        sourceBucket,
        sourceKey,
        sourceVersionId,
        targetBucket,
        targetKey,
        metadata,
        false);
  }

  /**
   * Copies one version of an object; the copy is encrypted at rest when {@code encrypt} asks for it
   * or the target bucket does by default, whether or not the source was.
   */
  public Mono<StoredObject> copy(
      StorageInstance instance,
      String sourceBucket,
      String sourceKey,
      String sourceVersionId,
      String targetBucket,
      String targetKey,
      ObjectMetadata metadata,
      boolean encrypt) {
    try {
      checkKey(targetKey);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return head(instance, sourceBucket, sourceKey, sourceVersionId)
        .zipWith(buckets.require(instance, targetBucket))
        .flatMap(
            found -> {
              StoredObject source = found.getT1();
              ObjectMetadata kept =
                  metadata != null
                      ? metadata
                      : new ObjectMetadata(source.contentType(), source.userMetadata());
              return blobs
                  .storeOrInline(
                      instance.serviceId(),
                      content(source, 0, source.size()),
                      encryptionOwner(instance, encrypt || found.getT2().encryption()),
                      inlineThreshold)
                  .flatMap(
                      blob ->
                          commit(
                              instance,
                              found.getT2(),
                              targetKey,
                              kept.contentType(),
                              kept.userMetadata(),
                              blob));
            });
  }

  /**
   * Whose data key encrypts a new blob of the instance: its tenant's when {@code encrypted}, else
   * none (null).
   */
  public static String encryptionOwner(StorageInstance instance, boolean encrypted) {
    return encrypted ? instance.tenantId() : null;
  }

  /** Content type and user metadata of an object. */
  public record ObjectMetadata(String contentType, Map<String, String> userMetadata) {}

  /**
   * The hex MD5 a {@code Content-MD5} header stands for; null for null.
   *
   * @throws dev.cumulus.platform.error.ApiException {@code InvalidDigest} when it is not the base64
   *     of 16 bytes
   */
  public static String contentMd5Hex(String contentMd5) {
    if (contentMd5 == null) {
      return null;
    }
    byte[] digest;
    try {
      digest = java.util.Base64.getDecoder().decode(contentMd5.strip());
    } catch (IllegalArgumentException e) {
      digest = new byte[0];
    }
    if (digest.length != 16) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidDigest",
          "The Content-MD5 you specified was invalid.",
          "Content-MD5 must be the base64 of 16 bytes");
    }
    return java.util.HexFormat.of().formatHex(digest);
  }

  private Mono<StoredBlob> checkMd5(StoredBlob blob, String expectedMd5) {
    if (expectedMd5 == null || expectedMd5.equals(blob.md5Hex())) {
      return Mono.just(blob);
    }
    return discard(blob)
        .then(
            Mono.error(
                StorageErrors.of(
                    ErrorKind.BAD_REQUEST,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                    "received MD5 " + blob.md5Hex())));
  }

  private Mono<StoredObject> commit(
      StorageInstance instance,
      Bucket bucket,
      String key,
      String type,
      Map<String, String> userMetadata,
      StoredBlob blob) {
    return commit(instance, bucket, key, type, userMetadata, blob, blob.md5Hex(), null);
  }

  /**
   * Makes durable bytes the object at {@code key}: its metadata row and its {@code created} event
   * are written by one statement ({@link ObjectRepository#commit}, atomic on its own), in one
   * transaction with {@code alongside} when there is such work (a multipart upload removes its
   * parts there); then the bytes it replaced are deleted. If the commit fails, the new bytes are
   * deleted.
   *
   * <p>With versioning enabled the new version gets a fresh id and the previous one stays, bytes
   * and all. Otherwise it is version "null", which replaces the key's previous "null" version (the
   * only one in a bucket that was never versioned): those bytes are the ones deleted.
   *
   * @param alongside work to commit together with the object, or null for none: then no transaction
   *     is opened around the single statement (BEGIN and COMMIT would be round trips), and the
   *     statement may carry the commits of concurrent requests too (group commit)
   */
  public Mono<StoredObject> commit(
      StorageInstance instance,
      Bucket bucket,
      String key,
      String type,
      Map<String, String> userMetadata,
      StoredBlob blob,
      String etag,
      Mono<Void> alongside) {
    StoredObject object =
        new StoredObject(
            bucket.id(),
            key,
            blob.size(),
            etag,
            type,
            userMetadata == null ? Map.of() : Map.copyOf(userMetadata),
            blob.path(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            newVersionId(bucket),
            true,
            false,
            blob.encrypted(),
            blob.inline());
    StoredObject shown = shown(bucket, object);
    Mono<Optional<String>> written =
        eventRow(instance, bucket, shown, "created")
            .flatMap(
                event ->
                    alongside == null
                        ? objects.commitGrouped(object, event)
                        : objects.commit(object, event))
            .delayUntil(committed -> outbox.signalRelayOnCommit());
    Mono<Optional<String>> replaced =
        alongside == null
            ? written
            : written.flatMap(old -> alongside.thenReturn(old)).as(tx::transactional);
    return replaced
        .onErrorMap(ObjectRepository::bucketGone, gone -> StorageErrors.noSuchBucket(bucket.name()))
        .onErrorResume(error -> discard(blob).then(Mono.error(error)))
        .flatMap(
            old -> old.isEmpty() ? Mono.just(shown) : deleteBytes(old.get()).thenReturn(shown));
  }

  /** Removes bytes that will not be committed; inline ones were never written. */
  private Mono<Void> discard(StoredBlob blob) {
    return blob.path() == null ? Mono.empty() : deleteBytes(blob.path());
  }

  /** Enabled buckets give every write a fresh version id; the others write version "null". */
  private static String newVersionId(Bucket bucket) {
    if (bucket.versioningStatus() != VersioningStatus.ENABLED) {
      return StoredObject.NULL_VERSION;
    }
    byte[] id = new byte[24];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  /**
   * Inside the write's transaction: removes the "null" version a new "null" version replaces, and
   * emits the path of its bytes ("" when there are none) for deletion after the commit.
   */
  private Mono<String> replacedBytes(Bucket bucket, String key, String versionId) {
    if (!StoredObject.NULL_VERSION.equals(versionId)) {
      return Mono.just("");
    }
    return objects
        .deleteVersion(bucket.id(), key, versionId)
        .map(old -> old.storagePath() == null ? "" : old.storagePath())
        .defaultIfEmpty("");
  }

  /** A version as clients see it: buckets that were never versioned show no version ids. */
  private static StoredObject shown(Bucket bucket, StoredObject object) {
    return bucket.versioned() ? object : object.withVersionId(null);
  }

  /** The seed API's listing: a prefix, a page size and an opaque continuation token. */
  public Mono<ObjectPage> list(
      StorageInstance instance,
      String bucketName,
      String prefix,
      int maxKeys,
      String continuationToken) {
    return afterToken(continuationToken)
        .flatMap(after -> list(instance, bucketName, new ListQuery(prefix, null, after, maxKeys)));
  }

  /** The key a continuation token stands for ("" for none); InvalidArgument when malformed. */
  public static Mono<String> afterToken(String continuationToken) {
    if (continuationToken == null || continuationToken.isEmpty()) {
      return Mono.just("");
    }
    return Mono.justOrEmpty(ObjectKeys.afterKey(continuationToken))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.BAD_REQUEST,
                        "InvalidArgument",
                        "The continuation token provided is incorrect",
                        "continuationToken is not valid")));
  }

  /** A listing with S3's full semantics: prefix, delimiter roll-up, start position, page size. */
  public Mono<ObjectPage> list(StorageInstance instance, String bucketName, ListQuery query) {
    if (query.maxKeys() < 0 || query.maxKeys() > MAX_KEYS) {
      return Mono.error(StorageErrors.invalidRequest("maxKeys must be between 0 and " + MAX_KEYS));
    }
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket ->
                query.maxKeys() == 0
                    ? Mono.just(new ObjectPage(List.of(), false, null))
                    : new Listing(bucket.id(), query).next());
  }

  /**
   * One listing in progress: reads keys in batches and rolls them up at the delimiter. A common
   * prefix counts once towards maxKeys, and the next read skips past all of its keys.
   */
  private final class Listing {

    private final UUID bucketId;
    private final ListQuery query;
    private final int batch;
    private final List<StoredObject> found = new java.util.ArrayList<>();
    private final List<String> prefixes = new java.util.ArrayList<>();
    private String after;

    Listing(UUID bucketId, ListQuery query) {
      this.bucketId = bucketId;
      this.query = query;
      this.batch = Math.min(query.maxKeys() + 1, MAX_KEYS);
      this.after = query.after();
    }

    Mono<ObjectPage> next() {
      return objects
          .list(bucketId, query.prefix(), after, batch)
          .collectList()
          .flatMap(
              rows -> {
                for (StoredObject row : rows) {
                  String rolledUp = commonPrefix(row.key());
                  if (rolledUp != null && rolledUp.equals(last(prefixes))) {
                    continue;
                  }
                  if (found.size() + prefixes.size() == query.maxKeys()) {
                    return Mono.just(page(true));
                  }
                  if (rolledUp != null) {
                    prefixes.add(rolledUp);
                    after = rolledUp + ObjectKeys.PAST;
                  } else {
                    found.add(row);
                    after = row.key();
                  }
                }
                return rows.size() < batch ? Mono.just(page(false)) : next();
              });
    }

    private String commonPrefix(String key) {
      return ObjectKeys.commonPrefix(key, query.prefix(), query.delimiter());
    }

    private ObjectPage page(boolean truncated) {
      return new ObjectPage(
          List.copyOf(found),
          List.copyOf(prefixes),
          truncated,
          truncated ? ObjectKeys.token(after) : null);
    }

    private static String last(List<String> list) {
      return list.isEmpty() ? null : list.get(list.size() - 1);
    }
  }

  public Mono<StoredObject> head(StorageInstance instance, String bucketName, String key) {
    return head(instance, bucketName, key, null);
  }

  /**
   * One version of an object ({@code versionId} null: the current one). A delete marker is a {@link
   * DeleteMarkerException}; an unknown version is {@code NoSuchVersion}.
   */
  public Mono<StoredObject> head(
      StorageInstance instance, String bucketName, String key, String versionId) {
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
                    .map(found -> shown(bucket, found)))
        .flatMap(
            found ->
                !found.deleteMarker()
                    ? Mono.just(found)
                    : Mono.error(
                        versionId == null
                            ? DeleteMarkerException.latest(key, found.versionId())
                            : DeleteMarkerException.byVersion(key, found.versionId())));
  }

  private static ApiException noSuchVersion(String key, String versionId) {
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
  public Mono<Download> get(
      StorageInstance instance, String bucketName, String key, String rangeHeader) {
    return head(instance, bucketName, key).map(object -> download(object, rangeHeader));
  }

  /**
   * The bytes of an object already looked up (or the requested range of them).
   *
   * @throws ByteRange.Unsatisfiable when the range is past the end
   */
  public Download download(StoredObject object, String rangeHeader) {
    ByteRange range = ByteRange.resolve(rangeHeader, object.size()).orElse(null);
    long offset = range == null ? 0 : range.first();
    long length = range == null ? object.size() : range.length();
    // Only a plain file's bytes can be sent without copying; inline and encrypted ones cannot.
    BlobRegion region =
        object.inline() != null || object.encrypted()
            ? null
            : blobs.region(object.storagePath(), offset, length).orElse(null);
    return new Download(object, range, content(object, offset, length), region);
  }

  /** {@code length} bytes of a version from {@code offset}, wherever they are kept. */
  private Flux<DataBuffer> content(StoredObject object, long offset, long length) {
    if (object.inline() == null) {
      return blobs.read(object.storagePath(), offset, length, object.encrypted());
    }
    if (length <= 0) {
      return Flux.empty();
    }
    // A fresh buffer per subscription: the server releases what it writes.
    return Flux.defer(
        () ->
            Flux.just(
                DefaultDataBufferFactory.sharedInstance.wrap(
                    ByteBuffer.wrap(object.inline(), (int) offset, (int) length))));
  }

  /**
   * What a delete did.
   *
   * @param existed whether a current object (or, by version id, that version) was there
   * @param versionId the version removed or the delete marker written; null when not versioned
   * @param deleteMarker whether that version is a delete marker
   */
  public record Deletion(boolean existed, String versionId, boolean deleteMarker) {}

  /** Deletes the object; emits whether it existed. */
  public Mono<Boolean> delete(StorageInstance instance, String bucketName, String key) {
    return delete(instance, bucketName, key, null).map(Deletion::existed);
  }

  /**
   * S3's DeleteObject. With a version id, that version is removed for good (and the next newest
   * becomes current). Without one, a versioned bucket gets a delete marker, which hides the key but
   * keeps its versions; a bucket that was never versioned loses the object.
   */
  public Mono<Deletion> delete(
      StorageInstance instance, String bucketName, String key, String versionId) {
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket -> {
              if (versionId != null) {
                return deleteVersion(instance, bucket, key, versionId, null);
              }
              return deleteCurrent(instance, bucket, key, null);
            });
  }

  /**
   * Lifecycle expiration: DeleteObject without a version id, but only while the key's current
   * object is still one last modified before {@code modifiedBefore} (checked under the key's lock,
   * so an object rewritten after a rule found it due is not expired).
   */
  public Mono<Deletion> expire(
      StorageInstance instance, String bucketName, String key, Instant modifiedBefore) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> deleteCurrent(instance, bucket, key, modifiedBefore));
  }

  private Mono<Deletion> deleteCurrent(
      StorageInstance instance, Bucket bucket, String key, Instant modifiedBefore) {
    return bucket.versioned()
        ? writeDeleteMarker(instance, bucket, key, modifiedBefore)
        : deleteVersion(instance, bucket, key, StoredObject.NULL_VERSION, modifiedBefore);
  }

  /** Inside the key's lock: true unless a guard is given and the current object fails it. */
  private Mono<Boolean> stillDue(Bucket bucket, String key, Instant modifiedBefore) {
    if (modifiedBefore == null) {
      return Mono.just(true);
    }
    return objects
        .latest(bucket.id(), key)
        .map(l -> !l.deleteMarker() && l.lastModified().isBefore(modifiedBefore))
        .defaultIfEmpty(false);
  }

  private Mono<Deletion> deleteVersion(
      StorageInstance instance,
      Bucket bucket,
      String key,
      String versionId,
      Instant modifiedBefore) {
    return objects
        .lock(bucket.id(), key)
        .then(stillDue(bucket, key, modifiedBefore))
        .filter(Boolean::booleanValue)
        .flatMap(due -> objects.deleteVersion(bucket.id(), key, versionId))
        .flatMap(
            removed ->
                (removed.latest() ? objects.promoteNewest(bucket.id(), key) : Mono.just(0L))
                    .then(event(instance, bucket, shown(bucket, removed), "deleted"))
                    .thenReturn(removed))
        .as(tx::transactional)
        .flatMap(
            removed ->
                (removed.storagePath() == null
                        ? Mono.<Void>empty()
                        : deleteBytes(removed.storagePath()))
                    .thenReturn(
                        new Deletion(
                            true, shown(bucket, removed).versionId(), removed.deleteMarker())))
        .defaultIfEmpty(new Deletion(false, bucket.versioned() ? versionId : null, false));
  }

  private Mono<Deletion> writeDeleteMarker(
      StorageInstance instance, Bucket bucket, String key, Instant modifiedBefore) {
    StoredObject marker =
        StoredObject.deleteMarker(
            bucket.id(), key, newVersionId(bucket), Instant.now().truncatedTo(ChronoUnit.MILLIS));
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
                                        ? event(instance, bucket, marker, "deleted").then()
                                        : Mono.<Void>empty())
                                .thenReturn(old))
                    .map(old -> new MarkerWrite(existed, old)))
        .as(tx::transactional)
        .flatMap(
            done -> {
              Deletion deletion = new Deletion(done.existed(), marker.versionId(), true);
              return done.replacedPath().isEmpty()
                  ? Mono.just(deletion)
                  : deleteBytes(done.replacedPath()).thenReturn(deletion);
            })
        .defaultIfEmpty(new Deletion(false, null, false));
  }

  /** A committed delete marker: whether it hid a current object, and the bytes it replaced. */
  private record MarkerWrite(boolean existed, String replacedPath) {}

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
    return eventRow(instance, bucket, object, verb).flatMap(outbox::append);
  }

  /** The outbox row of an object event, for {@link Outbox#append} or the commit statement. */
  private Mono<Outbox.Row> eventRow(
      StorageInstance instance, Bucket bucket, StoredObject object, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", instance.tenantId());
    data.put("serviceId", instance.serviceId());
    data.put("bucket", bucket.name());
    data.put("key", object.key());
    if (object.versionId() != null) {
      data.put("versionId", object.versionId());
    }
    if (object.deleteMarker()) {
      data.put("deleteMarker", true);
    }
    if ("created".equals(verb)) {
      data.put("size", object.size());
      data.put("etag", object.etag());
      data.put("contentType", object.contentType());
    }
    return outbox.rowForTenant(
        instance.tenantId(),
        BucketService.TOPIC,
        instance.serviceId() + "/" + bucket.name() + "/" + object.key(),
        "object",
        verb,
        data);
  }
}
