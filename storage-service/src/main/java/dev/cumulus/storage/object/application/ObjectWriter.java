package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.domain.WriteCondition;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import dev.cumulus.storage.quota.application.QuotaErrors;
import dev.cumulus.storage.quota.application.TenantQuotas;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PutObject, CopyObject and the commit a completed multipart upload ends with. Writes follow {@link
 * BlobStore}'s protocol: bytes durable first, metadata (with its outbox event) committed second,
 * replaced bytes removed third.
 */
@Service
public class ObjectWriter {

  /** Inline bytes are read with their row on every GET and HEAD: they must stay small. */
  private static final long MAX_INLINE_THRESHOLD = 256 * 1024;

  private final BucketService buckets;
  private final ObjectRepository objects;
  private final ObjectReader reader;
  private final BlobStore blobs;
  private final ObjectBlobs bytes;
  private final ObjectEvents events;
  private final TransactionalOperator tx;
  private final TenantQuotas quotas;
  private final int inlineThreshold;

  ObjectWriter(
      BucketService buckets,
      ObjectRepository objects,
      ObjectReader reader,
      BlobStore blobs,
      ObjectBlobs bytes,
      ObjectEvents events,
      TransactionalOperator tx,
      TenantQuotas quotas,
      StorageProperties properties) {
    this.buckets = buckets;
    this.objects = objects;
    this.reader = reader;
    this.blobs = blobs;
    this.bytes = bytes;
    this.events = events;
    this.tx = tx;
    this.quotas = quotas;
    this.inlineThreshold =
        (int) Math.min(properties.inlineThreshold().toBytes(), MAX_INLINE_THRESHOLD);
  }

  /**
   * Whose data key encrypts a new blob of the instance: its tenant's when {@code encrypted}, else
   * none (null).
   */
  public static String encryptionOwner(Instance instance, boolean encrypted) {
    return encrypted ? instance.tenantId() : null;
  }

  /**
   * Stores an object, encrypted at rest when the command or the bucket's default asks for it.
   * Within the tenant's quota: a declared size above its largest object is refused before any byte
   * is read, a body that grows past it while streaming as soon as it does, and a commit that would
   * take the tenant past its stored bytes is rolled back (see {@link #commit}).
   */
  public Mono<StoredObject> put(PutObjectCommand put) {
    String type;
    try {
      ObjectKeys.check(put.key());
      type = ContentTypes.forStorage(put.contentType());
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    Instance instance = put.instance();
    return quotas
        .forWrite(instance.tenantId(), put.declaredSize())
        .zipWith(buckets.requireRecent(instance, put.bucket()))
        .doOnNext(found -> checkLock(found.getT2(), put))
        .delayUntil(found -> checkCondition(found.getT2(), put.key(), put.condition()))
        .flatMap(
            found ->
                store(
                        instance,
                        TenantQuotas.capped(put.content(), found.getT1().maxObjectBytes()),
                        put.encrypt() || found.getT2().encryption(),
                        put.customerKey())
                    .flatMap(blob -> checkMd5(blob, put.expectedMd5Hex()))
                    .flatMap(
                        blob ->
                            commit(
                                instance,
                                found.getT2(),
                                put.key(),
                                new ObjectMetadata(type, put.userMetadata(), put.tags(), put.lock())
                                    .sealed(fingerprint(put.customerKey()), put.checksum().get()),
                                blob,
                                blob.md5Hex(),
                                null,
                                put.condition())));
  }

  /**
   * Stores new bytes: sealed under the client's key when there is one (SSE-C: always a blob, never
   * inline), else encrypted at rest when {@code encrypt}, else plain (small ones inline).
   */
  private Mono<StoredBlob> store(
      Instance instance, Flux<DataBuffer> content, boolean encrypt, CustomerKey customerKey) {
    if (customerKey != null) {
      return blobs.store(instance.serviceId(), content, instance.tenantId(), customerKey);
    }
    return blobs.storeOrInline(
        instance.serviceId(), content, encryptionOwner(instance, encrypt), inlineThreshold);
  }

  /** What is stored of a client's key: a salted fingerprint, never the key. */
  public static byte[] fingerprint(CustomerKey key) {
    return key == null ? null : key.fingerprint();
  }

  /**
   * A PutObject's Object Lock, before its body is read: only a bucket with Object Lock takes one
   * (InvalidRequest), a retain-until date must be in the future (InvalidArgument), and a write that
   * puts a retention or legal hold on its version (its own, or the bucket's default) must carry
   * Content-MD5 or an x-amz-checksum-* (InvalidRequest), as AWS requires.
   */
  private static void checkLock(Bucket bucket, PutObjectCommand put) {
    ObjectLocking.checkRequest(bucket, put.lock(), Instant.now());
    if (ObjectLocking.needsIntegrityCheck(bucket, put.lock())
        && put.expectedMd5Hex() == null
        && !put.checksummed()) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequest",
          "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with"
              + " Object Lock parameters",
          null);
    }
  }

  /**
   * Copies one version of an object; the copy is encrypted at rest when the command or the target
   * bucket's default asks for it, whether or not the source was. A conditional copy (the command's
   * condition on the target key) is checked as a conditional PutObject is: before any byte is
   * copied (412, or 404 for If-Match without an object), and again under the key's lock at commit
   * (409 ConditionalRequestConflict).
   */
  public Mono<StoredObject> copy(CopyObjectCommand copy) {
    ObjectMetadata replacement;
    try {
      ObjectKeys.check(copy.targetKey());
      // Replaced metadata is held to PutObject's rules: a copy without a Content-Type gets the
      // default (the row needs one), not a constraint violation.
      replacement =
          copy.metadata() == null
              ? null
              : new ObjectMetadata(
                  ContentTypes.forStorage(copy.metadata().contentType()),
                  copy.metadata().userMetadata(),
                  null);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    Instance instance = copy.instance();
    return reader
        .head(instance, copy.sourceBucket(), copy.sourceKey(), copy.sourceVersionId())
        .doOnNext(source -> CustomerKeys.check(source, copy.sourceCustomerKey()))
        .zipWith(buckets.require(instance, copy.targetBucket()))
        .doOnNext(found -> ObjectLocking.checkRequest(found.getT2(), copy.lock(), Instant.now()))
        .delayUntil(found -> checkCondition(found.getT2(), copy.targetKey(), copy.condition()))
        .delayUntil(found -> quotas.forWrite(instance.tenantId(), found.getT1().size()))
        .flatMap(
            found -> {
              StoredObject source = found.getT1();
              Bucket target = found.getT2();
              ObjectMetadata kept =
                  new ObjectMetadata(
                      replacement != null ? replacement.contentType() : source.contentType(),
                      replacement != null ? replacement.userMetadata() : source.userMetadata(),
                      // S3's x-amz-tagging-directive: COPY (the default) or REPLACE.
                      copy.tags() != null ? copy.tags() : source.tags(),
                      copy.lock(),
                      fingerprint(copy.targetCustomerKey()),
                      // The same bytes, the same checksum; a multipart one is of parts, not kept.
                      source.checksum() == null || source.checksum().composite()
                          ? null
                          : source.checksum());
              return store(
                      instance,
                      bytes.content(source, 0, source.size(), copy.sourceCustomerKey()),
                      copy.encrypt() || target.encryption(),
                      copy.targetCustomerKey())
                  .flatMap(
                      blob ->
                          commit(
                              instance,
                              target,
                              copy.targetKey(),
                              kept,
                              blob,
                              blob.md5Hex(),
                              null,
                              copy.condition()));
            });
  }

  /**
   * A conditional write's first check, before any byte is read: 412 PreconditionFailed (or 404
   * NoSuchKey for If-Match without an object) when the key's current object already says no. The
   * check that decides is the commit's ({@link #commit}); this one spares the upload.
   */
  public Mono<Void> checkCondition(Bucket bucket, String key, WriteCondition condition) {
    if (condition == null) {
      return Mono.empty();
    }
    return objects
        .latest(bucket.id(), key)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            current ->
                switch (condition.check(current.orElse(null))) {
                  case PROCEED -> Mono.empty();
                  case NO_OBJECT -> Mono.error(StorageErrors.noSuchKey(key));
                  case FAILED ->
                      Mono.error(
                          StorageErrors.of(
                              ErrorKind.PRECONDITION_FAILED,
                              "PreconditionFailed",
                              "At least one of the pre-conditions you specified did not hold",
                              conditionHeader(condition)));
                });
  }

  /**
   * The decisive check, under the key's writer lock in the commit's transaction: a write whose
   * condition held when it began but no longer does lost to a concurrent writer of the key (409
   * ConditionalRequestConflict, as S3 answers; the client may retry).
   */
  private Mono<Void> holdsAtCommit(Bucket bucket, String key, WriteCondition condition) {
    return objects
        .lock(bucket.id(), key)
        .then(objects.latest(bucket.id(), key).map(Optional::of).defaultIfEmpty(Optional.empty()))
        .flatMap(
            current ->
                condition.check(current.orElse(null)) == WriteCondition.Verdict.PROCEED
                    ? Mono.<Void>empty()
                    : Mono.error(
                        StorageErrors.of(
                            ErrorKind.CONFLICT,
                            "ConditionalRequestConflict",
                            "A conflicting operation occurred. If using PutObject you can retry the"
                                + " request. If using multipart upload you should initiate another"
                                + " CreateMultipartUpload request and re-upload each part.",
                            conditionHeader(condition))));
  }

  /**
   * Work for the {@code alongside} of a {@link #commit} of an object completed from a multipart
   * upload: records the sizes of its parts, in order (GetObject's {@code partNumber}). In the
   * commit's transaction, under the key's lock, so the key's latest version is the one committed.
   */
  public Mono<Void> recordParts(Bucket bucket, String key, List<Long> partSizes) {
    return objects.setLatestPartSizes(bucket.id(), key, partSizes).then();
  }

  private static String conditionHeader(WriteCondition condition) {
    return condition.ifNoneMatch() ? "If-None-Match" : "If-Match";
  }

  private Mono<StoredBlob> checkMd5(StoredBlob blob, String expectedMd5) {
    if (expectedMd5 == null || expectedMd5.equals(blob.md5Hex())) {
      return Mono.just(blob);
    }
    return bytes
        .discard(blob)
        .then(
            Mono.error(
                StorageErrors.of(
                    ErrorKind.BAD_REQUEST,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                    "received MD5 " + blob.md5Hex())));
  }

  /**
   * Makes durable bytes the object at {@code key}: its metadata row and its {@code created} event
   * are written by one statement ({@link ObjectRepository#commit}, atomic on its own), in one
   * transaction with {@code alongside} when there is such work (a multipart upload removes its
   * parts there); then the bytes it replaced are deleted. If the commit fails, the new bytes are
   * deleted.
   *
   * <p>The usage triggers count the new version in the same transaction (migration V10): a commit
   * that would take the tenant past its stored bytes fails with QuotaExceeded and its bytes are
   * deleted.
   *
   * <p>With versioning enabled the new version gets a fresh id and the previous one stays, bytes
   * and all. Otherwise it is version "null", which replaces the key's previous "null" version (the
   * only one in a bucket that was never versioned): those bytes are the ones deleted.
   *
   * @param alongside work to commit together with the object, or null for none: then (and without a
   *     condition) no transaction is opened around the single statement (BEGIN and COMMIT would be
   *     round trips), and the statement may carry the commits of concurrent requests too (group
   *     commit)
   * @param condition what the key's current object must be, checked under the key's lock in the
   *     commit's transaction (409 ConditionalRequestConflict when it no longer holds), or null
   */
  public Mono<StoredObject> commit(
      Instance instance,
      Bucket bucket,
      String key,
      ObjectMetadata metadata,
      StoredBlob blob,
      String etag,
      Mono<Void> alongside,
      WriteCondition condition) {
    Map<String, String> userMetadata = metadata.userMetadata();
    Instant modified = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    StoredObject unlocked =
        new StoredObject(
            bucket.id(),
            key,
            blob.size(),
            etag,
            metadata.contentType(),
            userMetadata == null ? Map.of() : Map.copyOf(userMetadata),
            blob.path(),
            modified,
            Versions.newVersionId(bucket),
            true,
            false,
            blob.encrypted(),
            blob.inline(),
            metadata.tags() == null ? Map.of() : Map.copyOf(metadata.tags()),
            List.of(),
            null,
            null,
            metadata.customerKey(),
            metadata.checksum());
    StoredObject object;
    try {
      object = ObjectLocking.forNewVersion(bucket, metadata.lock(), unlocked, modified);
    } catch (RuntimeException e) {
      return bytes.discard(blob).then(Mono.error(e));
    }
    StoredObject shown = Versions.shown(bucket, object);
    boolean alone = alongside == null && condition == null;
    Mono<Optional<String>> written =
        events
            .row(instance, bucket, shown, "created")
            .flatMap(
                event ->
                    alone ? objects.commitGrouped(object, event) : objects.commit(object, event))
            .delayUntil(committed -> events.signalRelayOnCommit());
    Mono<Optional<String>> replaced =
        alone
            ? written
            : (condition == null ? Mono.<Void>empty() : holdsAtCommit(bucket, key, condition))
                .then(written)
                .flatMap(old -> alongside == null ? Mono.just(old) : alongside.thenReturn(old))
                .as(tx::transactional);
    return replaced
        .onErrorMap(ObjectRepository::bucketGone, gone -> StorageErrors.noSuchBucket(bucket.name()))
        .onErrorMap(QuotaErrors::translate)
        .onErrorMap(ObjectRepository::lockedVersion, locked -> ObjectLocking.protectedVersion(key))
        .onErrorResume(error -> bytes.discard(blob).then(Mono.error(error)))
        .flatMap(
            old -> old.isEmpty() ? Mono.just(shown) : bytes.delete(old.get()).thenReturn(shown));
  }
}
