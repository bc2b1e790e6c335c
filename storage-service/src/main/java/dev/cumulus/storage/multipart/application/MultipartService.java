package dev.cumulus.storage.multipart.application;

import dev.cumulus.platform.crypto.OpaqueIds;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.multipart.domain.CompositeChecksum;
import dev.cumulus.storage.multipart.domain.MultipartEtag;
import dev.cumulus.storage.multipart.domain.MultipartUpload;
import dev.cumulus.storage.multipart.domain.UploadedPart;
import dev.cumulus.storage.multipart.persistence.MultipartRepository;
import dev.cumulus.storage.object.application.ContentTypes;
import dev.cumulus.storage.object.application.CustomerKeys;
import dev.cumulus.storage.object.application.ObjectLocking;
import dev.cumulus.storage.object.application.ObjectMetadata;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.application.ObjectWriter;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.domain.WriteCondition;
import dev.cumulus.storage.quota.application.QuotaErrors;
import dev.cumulus.storage.quota.application.TenantQuotas;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Multipart uploads (S3's Create/UploadPart/Complete/Abort): parts are stored as durable blobs of
 * their own; Complete concatenates them into one new blob and commits the object in the same
 * transaction that removes the upload, then deletes the part blobs. A crash anywhere leaves either
 * the upload (retryable) or the object, and at worst unreferenced blobs for the janitor.
 */
@Service
public class MultipartService {

  public static final int MAX_PART_NUMBER = 10_000;

  /** S3's minimum size of every part but the last. */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(MultipartService.class);

  private final BucketService buckets;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final MultipartRepository uploads;
  private final BlobStore blobs;
  private final TransactionalOperator tx;
  private final TenantQuotas quotas;

  public MultipartService(
      BucketService buckets,
      ObjectReader reader,
      ObjectWriter writer,
      MultipartRepository uploads,
      BlobStore blobs,
      TransactionalOperator tx,
      TenantQuotas quotas) {
    this.quotas = quotas;
    this.buckets = buckets;
    this.reader = reader;
    this.writer = writer;
    this.uploads = uploads;
    this.blobs = blobs;
    this.tx = tx;
  }

  /** One part the client lists in Complete, with the ETag it got for it. */
  public record CompletedPart(int partNumber, String etag) {}

  public Mono<MultipartUpload> create(
      Instance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata) {
    return create(instance, bucketName, key, contentType, userMetadata, false, Map.of(), null);
  }

  /**
   * Starts an upload whose parts and object are encrypted at rest when {@code encrypt} asks for it
   * or the bucket does by default (at this moment: a later change of the default does not apply).
   * The object gets {@code tags} (already checked against S3's rules) and {@code lock} (null: none;
   * checked against the bucket now) when the upload completes.
   */
  public Mono<MultipartUpload> create(
      Instance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata,
      boolean encrypt,
      Map<String, String> tags,
      ObjectLockRequest lock) {
    return create(
        instance, bucketName, key, contentType, userMetadata, encrypt, tags, lock, null, null);
  }

  /**
   * The same, its parts and object sealed under the client's key when {@code customerKey} is not
   * null (SSE-C: every part and the completion must bring it), its parts carrying checksums of
   * {@code checksumAlgorithm} (S3's name) when it is not null.
   */
  public Mono<MultipartUpload> create(
      Instance instance,
      String bucketName,
      String key,
      String contentType,
      Map<String, String> userMetadata,
      boolean encrypt,
      Map<String, String> tags,
      ObjectLockRequest lock,
      CustomerKey customerKey,
      String checksumAlgorithm) {
    String type;
    try {
      ObjectKeys.check(key);
      type = ContentTypes.forStorage(contentType);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    String uploadId = OpaqueIds.random(24);
    return buckets
        .require(instance, bucketName)
        .doOnNext(bucket -> ObjectLocking.checkRequest(bucket, lock, Instant.now()))
        .flatMap(
            bucket -> {
              MultipartUpload upload =
                  new MultipartUpload(
                      uploadId,
                      bucket.id(),
                      key,
                      type,
                      userMetadata == null ? Map.of() : Map.copyOf(userMetadata),
                      Instant.now().truncatedTo(ChronoUnit.MILLIS),
                      customerKey != null || encrypt || bucket.encryption(),
                      tags == null ? Map.of() : Map.copyOf(tags),
                      lock,
                      ObjectWriter.fingerprint(customerKey),
                      checksumAlgorithm);
              return uploads.insert(upload).thenReturn(upload);
            });
  }

  /**
   * Stores one part (replacing an earlier one of the same number). Parts count against the
   * stored-bytes quota from when they are recorded ("parked" until their upload completes or is
   * aborted), and no part may be larger than the tenant's largest object.
   */
  public Mono<UploadedPart> uploadPart(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      int partNumber,
      Flux<DataBuffer> content) {
    return uploadPart(instance, bucketName, key, uploadId, partNumber, content, null, () -> null);
  }

  /**
   * The same, sealed under the client's key (SSE-C: the upload's, else 403 AccessDenied; 400
   * without it), with the checksum the client sent with it ({@code checksum}, known once {@code
   * content} has completed; its algorithm must be the upload's).
   */
  public Mono<UploadedPart> uploadPart(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      int partNumber,
      Flux<DataBuffer> content,
      CustomerKey customerKey,
      Supplier<ObjectChecksum> checksum) {
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "InvalidArgument",
              "Part number must be an integer between 1 and 10000, inclusive",
              "partNumber " + partNumber));
    }
    return quotas
        .forPart(instance.tenantId())
        .zipWith(require(instance, bucketName, key, uploadId))
        .doOnNext(found -> CustomerKeys.check(found.getT2().customerKey(), customerKey))
        .flatMap(
            found -> {
              Flux<DataBuffer> capped =
                  TenantQuotas.capped(content, found.getT1().maxObjectBytes());
              Mono<StoredBlob> stored =
                  customerKey != null
                      ? blobs.store(instance.serviceId(), capped, instance.tenantId(), customerKey)
                      : blobs.store(
                          instance.serviceId(),
                          capped,
                          ObjectWriter.encryptionOwner(instance, found.getT2().encrypted()));
              return stored.flatMap(
                  blob -> {
                    ObjectChecksum sent = checksum.get();
                    String expected = found.getT2().checksumAlgorithm();
                    if (sent != null && expected != null && !expected.equals(sent.algorithm())) {
                      return deleteQuietly(blob.path())
                          .then(Mono.error(checksumMismatch(expected, sent.algorithm())));
                    }
                    return recordPart(
                        uploadId, partNumber, blob, sent == null ? null : sent.value());
                  });
            });
  }

  private static ApiException checksumMismatch(String expected, String actual) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "InvalidRequest",
        "Checksum Type mismatch occurred, expected checksum Type: "
            + expected.toLowerCase(java.util.Locale.ROOT)
            + ", actual checksum Type: "
            + actual.toLowerCase(java.util.Locale.ROOT),
        null);
  }

  /** Copies (a byte range of) an existing object as one part. */
  public Mono<UploadedPart> copyPart(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      int partNumber,
      StoredObject source,
      long offset,
      long length,
      CustomerKey sourceCustomerKey,
      CustomerKey customerKey) {
    Flux<DataBuffer> content;
    try {
      content =
          reader
              .download(source, "bytes=" + offset + "-" + (offset + length - 1), sourceCustomerKey)
              .content();
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return uploadPart(
        instance, bucketName, key, uploadId, partNumber, content, customerKey, () -> null);
  }

  private Mono<UploadedPart> recordPart(
      String uploadId, int partNumber, StoredBlob blob, String checksum) {
    UploadedPart part =
        new UploadedPart(
            partNumber,
            blob.size(),
            blob.md5Hex(),
            blob.path(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            checksum);
    return uploads
        .putPart(uploadId, part)
        .flatMap(replaced -> deleteQuietly(replaced).then(Mono.<UploadedPart>empty()))
        .defaultIfEmpty(part)
        .onErrorResume(
            error ->
                deleteQuietly(blob.path())
                    .then(
                        Mono.error(
                            // The upload was completed or aborted meanwhile.
                            SqlStates.isForeignKeyViolation(error)
                                ? noSuchUpload(uploadId)
                                : QuotaErrors.translate(error))));
  }

  public Flux<UploadedPart> parts(
      Instance instance, String bucketName, String key, String uploadId, int afterPart, int limit) {
    return require(instance, bucketName, key, uploadId)
        .flatMapMany(found -> uploads.parts(uploadId, afterPart, limit));
  }

  public Flux<MultipartUpload> list(
      Instance instance, String bucketName, String prefix, String afterKey, int limit) {
    return buckets
        .require(instance, bucketName)
        .flatMapMany(
            bucket ->
                uploads.list(
                    bucket.id(),
                    prefix == null ? "" : prefix,
                    afterKey == null ? "" : afterKey,
                    limit));
  }

  /**
   * Assembles the listed parts, in order, into the object. Every part but the last must be at least
   * 5 MiB, and each listed ETag must be the one its part got.
   */
  public Mono<StoredObject> complete(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      List<CompletedPart> requested) {
    return complete(instance, bucketName, key, uploadId, requested, null);
  }

  /**
   * {@link #complete} as a conditional write: the object is committed only when the key's current
   * object meets {@code condition} (null for none), checked before the parts are assembled and
   * again under the key's lock as the object is committed ({@link ObjectWriter#commit}). When it
   * fails the upload and its parts stay as they were.
   */
  public Mono<StoredObject> complete(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      List<CompletedPart> requested,
      WriteCondition condition) {
    return complete(instance, bucketName, key, uploadId, requested, condition, null);
  }

  /**
   * The same, for an upload sealed under the client's key (SSE-C), which the completion must bring
   * too: its parts are opened and the object sealed afresh under it.
   */
  public Mono<StoredObject> complete(
      Instance instance,
      String bucketName,
      String key,
      String uploadId,
      List<CompletedPart> requested,
      WriteCondition condition,
      CustomerKey customerKey) {
    if (requested.isEmpty()) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "MalformedXML",
              "You must specify at least one part",
              "CompleteMultipartUpload lists no part"));
    }
    for (int i = 1; i < requested.size(); i++) {
      if (requested.get(i).partNumber() <= requested.get(i - 1).partNumber()) {
        return Mono.error(
            StorageErrors.of(
                ErrorKind.BAD_REQUEST,
                "InvalidPartOrder",
                "The list of parts was not in ascending order. The parts list must be specified"
                    + " in order by part number.",
                null));
      }
    }
    return buckets
        .require(instance, bucketName)
        .flatMap(
            bucket ->
                require(bucket, key, uploadId)
                    .doOnNext(upload -> CustomerKeys.check(upload.customerKey(), customerKey))
                    .then(writer.checkCondition(bucket, key, condition))
                    .then(uploads.parts(uploadId, 0, MAX_PART_NUMBER).collectList())
                    .flatMap(stored -> chosen(stored, requested))
                    .delayUntil(parts -> fits(instance, parts))
                    .flatMap(
                        parts ->
                            assemble(
                                instance, bucket, key, uploadId, parts, condition, customerKey)));
  }

  /** The assembled object must not be larger than the tenant's largest (EntityTooLarge). */
  private Mono<Void> fits(Instance instance, List<UploadedPart> parts) {
    long size = parts.stream().mapToLong(UploadedPart::size).sum();
    return quotas
        .forWrite(instance.tenantId(), -1)
        .flatMap(
            quota ->
                size > quota.maxObjectBytes()
                    ? Mono.error(QuotaErrors.entityTooLarge(quota.maxObjectBytes()))
                    : Mono.empty());
  }

  private Mono<StoredObject> assemble(
      Instance instance,
      Bucket bucket,
      String key,
      String uploadId,
      List<UploadedPart> parts,
      WriteCondition condition,
      CustomerKey customerKey) {
    String etag = MultipartEtag.of(parts.stream().map(UploadedPart::etag).toList());
    return uploads
        .find(bucket.id(), key, uploadId)
        .flatMap(
            upload ->
                sealAgain(instance, upload, parts, customerKey)
                    .flatMap(
                        blob ->
                            writer.commit(
                                instance,
                                bucket,
                                key,
                                new ObjectMetadata(
                                        upload.contentType(),
                                        upload.userMetadata(),
                                        upload.tags(),
                                        upload.lock())
                                    .sealed(
                                        ObjectWriter.fingerprint(customerKey),
                                        checksum(upload, parts)),
                                blob,
                                etag,
                                removeUpload(uploadId)
                                    .then(
                                        writer.recordParts(
                                            bucket,
                                            key,
                                            parts.stream().map(UploadedPart::size).toList())),
                                condition)))
        .flatMap(object -> deleteAllParts(uploadId, parts).thenReturn(object));
  }

  /** Parts are opened and the object sealed afresh: one blob, one format. */
  private Mono<StoredBlob> sealAgain(
      Instance instance, MultipartUpload upload, List<UploadedPart> parts, CustomerKey key) {
    if (key != null) {
      return blobs.store(
          instance.serviceId(),
          Flux.fromIterable(parts).concatMap(p -> blobs.read(p.storagePath(), 0, p.size(), key)),
          instance.tenantId(),
          key);
    }
    return blobs.store(
        instance.serviceId(),
        Flux.fromIterable(parts)
            .concatMap(p -> blobs.read(p.storagePath(), 0, p.size(), upload.encrypted())),
        ObjectWriter.encryptionOwner(instance, upload.encrypted()));
  }

  /** S3's composite checksum, when the upload named an algorithm and every part has a checksum. */
  private static ObjectChecksum checksum(MultipartUpload upload, List<UploadedPart> parts) {
    if (upload.checksumAlgorithm() == null) {
      return null;
    }
    String value =
        CompositeChecksum.of(
            upload.checksumAlgorithm(), parts.stream().map(UploadedPart::checksum).toList());
    return value == null ? null : new ObjectChecksum(upload.checksumAlgorithm(), value);
  }

  /** Inside the commit's transaction: gone, or the commit fails (completed or aborted already). */
  private Mono<Void> removeUpload(String uploadId) {
    return uploads
        .lock(uploadId)
        .flatMap(
            present ->
                present
                    ? uploads.delete(uploadId).then()
                    : Mono.<Void>error(noSuchUpload(uploadId)));
  }

  private Mono<List<UploadedPart>> chosen(
      List<UploadedPart> stored, List<CompletedPart> requested) {
    Map<Integer, UploadedPart> byNumber = new java.util.HashMap<>();
    stored.forEach(p -> byNumber.put(p.partNumber(), p));
    List<UploadedPart> parts = new ArrayList<>();
    for (CompletedPart want : requested) {
      UploadedPart part = byNumber.get(want.partNumber());
      String etag = want.etag() == null ? null : want.etag().replace("\"", "").strip();
      if (part == null || (etag != null && !etag.equals(part.etag()))) {
        return Mono.error(
            StorageErrors.of(
                ErrorKind.BAD_REQUEST,
                "InvalidPart",
                "One or more of the specified parts could not be found. The part may not have been"
                    + " uploaded, or the specified entity tag may not match the part's entity"
                    + " tag.",
                "part " + want.partNumber()));
      }
      parts.add(part);
    }
    for (int i = 0; i < parts.size() - 1; i++) {
      if (parts.get(i).size() < MIN_PART_SIZE) {
        return Mono.error(
            StorageErrors.of(
                ErrorKind.BAD_REQUEST,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed object size.",
                "part " + parts.get(i).partNumber() + " is " + parts.get(i).size() + " bytes"));
      }
    }
    return Mono.just(parts);
  }

  /** Deletes the upload and every part's bytes; unknown uploads are NoSuchUpload. */
  public Mono<Void> abort(Instance instance, String bucketName, String key, String uploadId) {
    return require(instance, bucketName, key, uploadId)
        .then(uploads.parts(uploadId, 0, MAX_PART_NUMBER).collectList())
        .flatMap(
            parts ->
                removeUpload(uploadId).as(tx::transactional).then(deleteAllParts(uploadId, parts)));
  }

  private Mono<Void> deleteAllParts(String uploadId, List<UploadedPart> parts) {
    return Flux.fromIterable(parts)
        .concatMap(p -> deleteQuietly(p.storagePath()))
        .then()
        .doOnSuccess(v -> log.debug("Multipart upload {} cleaned up", uploadId));
  }

  private Mono<MultipartUpload> require(
      Instance instance, String bucketName, String key, String uploadId) {
    return buckets.require(instance, bucketName).flatMap(b -> require(b, key, uploadId));
  }

  private Mono<MultipartUpload> require(Bucket bucket, String key, String uploadId) {
    return uploads
        .find(bucket.id(), key, uploadId)
        .switchIfEmpty(Mono.error(() -> noSuchUpload(uploadId)));
  }

  private Mono<Void> deleteQuietly(String path) {
    return blobs
        .delete(path)
        .onErrorResume(
            e -> {
              log.warn("Could not delete part blob {}: {}", path, e.toString());
              return Mono.empty();
            });
  }

  private static ApiException noSuchUpload(String uploadId) {
    return StorageErrors.of(
        ErrorKind.NOT_FOUND,
        "NoSuchUpload",
        "The specified multipart upload does not exist. The upload ID might be invalid, or the"
            + " multipart upload might have been aborted or completed.",
        "uploadId " + uploadId);
  }
}
