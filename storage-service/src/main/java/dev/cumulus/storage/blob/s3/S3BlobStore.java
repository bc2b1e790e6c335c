package dev.cumulus.storage.blob.s3;

import dev.cumulus.storage.blob.domain.BlobPaths;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object bytes as objects in one bucket of any S3 API (AWS S3, Ceph RGW, MinIO): blob {@code
 * <namespace>/<uuid>} is the object {@code <keyPrefix><namespace>/<uuid>}. Every write goes to a
 * fresh key, so no object is overwritten in place and a reader never sees half of one: S3 makes an
 * object visible only once its PutObject or CompleteMultipartUpload succeeded, and {@link #store}
 * completes only then, so the caller commits metadata (and acknowledges) only for durable bytes.
 *
 * <p>Bodies are streamed: the length of an upload is not known in advance, so the client's
 * multipart support ({@link S3BlobClients}) cuts it into parts as bytes arrive and sends them while
 * the next fill, holding at most its upload buffer per upload; a body shorter than one part is one
 * PutObject. Reads are ranged GETs streamed as they arrive. Nothing here blocks: every call is the
 * async client's, on its own Netty threads.
 *
 * <p>Crash orphans (an upload abandoned halfway, an object written but never committed) are found
 * by {@link #sweep}: stale multipart uploads under the prefix are aborted, and objects older than
 * the grace period that no metadata references are deleted.
 */
public class S3BlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  /** DeleteObjects takes at most a thousand keys. */
  private static final int DELETE_BATCH = 1000;

  private static final int SWEEP_BATCH = 500;

  /**
   * Where uploads are hashed (MD5, the object's ETag: S3's own checksums are not asked for, and a
   * multipart object's ETag is not its MD5 anyway): CPU work off the event loop that brought the
   * bytes, a few buffers queued ahead of it.
   */
  private static final Scheduler HASHER = Schedulers.parallel();

  private static final int HASH_QUEUE = 4;

  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final Duration uploadGrace;

  public S3BlobStore(S3AsyncClient s3, String bucket, String keyPrefix, Duration uploadGrace) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalStateException(
          "cumulus.storage.blob.backend is s3 but cumulus.storage.blob.s3.bucket is not set");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = keyPrefix == null ? "" : keyPrefix;
    this.uploadGrace = uploadGrace;
  }

  /**
   * Fails, naming the bucket and where it was looked for, unless the bucket exists and these
   * credentials may use it: a start-up check, so a wrong setting is not first seen as failing
   * uploads.
   */
  public Mono<Void> checkBucket(String endpoint) {
    String where = "S3 bucket '" + bucket + "' at " + (endpoint == null ? "AWS S3" : endpoint);
    return Mono.fromFuture(() -> s3.headBucket(r -> r.bucket(bucket)))
        .then()
        .onErrorMap(
            e -> {
              Throwable cause = unwrap(e);
              String why =
                  cause instanceof S3Exception s3e
                      ? switch (s3e.statusCode()) {
                        case 404 -> "does not exist (create it first)";
                        case 401, 403 -> "is not accessible with the configured credentials";
                        default -> "cannot be used: HTTP " + s3e.statusCode();
                      }
                      : "cannot be reached: " + cause;
              return new IllegalStateException(
                  where + " " + why + " (cumulus.storage.blob.s3.*)", cause);
            });
  }

  /** The object key of a blob path. */
  public String key(String path) {
    if (!BlobPaths.isBlobPath(path)) {
      throw new IllegalArgumentException("Not a blob path: " + path);
    }
    return prefix + path;
  }

  @Override
  public Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content) {
    return upload(namespace, heapCopies(content), true);
  }

  @Override
  public Mono<StoredBlob> storeUnhashed(String namespace, Flux<DataBuffer> content) {
    return upload(namespace, heapCopies(content), false);
  }

  /**
   * Content that ends within {@code inlineLimit} bytes comes back in memory instead of becoming an
   * object: a remote PUT costs far more than a small row. Bytes are held until the limit is passed,
   * then everything goes to S3.
   */
  @Override
  public Mono<StoredBlob> storeOrInline(
      String namespace, Flux<DataBuffer> content, String encryptFor, int inlineLimit) {
    if (encryptFor != null || inlineLimit <= 0) {
      return store(namespace, content, encryptFor);
    }
    BlobPaths.namespace(namespace);
    return Flux.defer(
            () -> {
              long[] seen = {0};
              boolean[] over = {false};
              // The first list: buffers up to just past the limit (or all of a short body);
              // after it, one list per buffer.
              return heapCopies(content)
                  .bufferUntil(
                      buffer -> {
                        if (!over[0]) {
                          seen[0] += buffer.remaining();
                          over[0] = seen[0] > inlineLimit;
                        }
                        return over[0];
                      });
            })
        .switchOnFirst(
            (first, all) -> {
              if (first.isOnComplete()) {
                return Mono.just(inline(List.of()));
              }
              if (first.hasValue() && bytes(first.get()) <= inlineLimit) {
                return all.next().map(S3BlobStore::inline);
              }
              return upload(namespace, all.concatMapIterable(list -> list), true);
            })
        .single();
  }

  private Mono<StoredBlob> upload(String namespace, Flux<ByteBuffer> bytes, boolean hash) {
    String path = BlobPaths.fresh(namespace);
    return Mono.defer(
        () -> {
          MessageDigest md5 = hash ? md5() : null;
          long[] size = {0};
          // The content's own error (a bad body, a limit) is the answer, not the SDK's wrapper.
          AtomicReference<Throwable> contentError = new AtomicReference<>();
          Flux<ByteBuffer> body =
              (hash ? bytes.publishOn(HASHER, HASH_QUEUE) : bytes)
                  .doOnNext(
                      buffer -> {
                        size[0] += buffer.remaining();
                        if (md5 != null) {
                          md5.update(buffer.duplicate());
                        }
                      })
                  .doOnError(contentError::set);
          // An empty body has no part to cut: it is an empty PutObject.
          return body.switchOnFirst(
                  (first, all) ->
                      Mono.fromFuture(
                          () ->
                              s3.putObject(
                                  r -> r.bucket(bucket).key(prefix + path),
                                  first.isOnComplete()
                                      ? AsyncRequestBody.empty()
                                      : AsyncRequestBody.fromPublisher(all))))
              .single()
              .onErrorMap(e -> contentError.get() != null, e -> contentError.get())
              .map(
                  done ->
                      new StoredBlob(
                          path,
                          size[0],
                          md5 == null ? null : HexFormat.of().formatHex(md5.digest())));
        });
  }

  /**
   * The bytes as heap buffers the SDK may keep as long as it likes (a part is retried from them),
   * each network buffer released as soon as it is copied; the discard hook releases those the chain
   * drops.
   */
  private static Flux<ByteBuffer> heapCopies(Flux<DataBuffer> content) {
    return content
        .<ByteBuffer>handle(
            (buffer, sink) -> {
              try {
                int n = buffer.readableByteCount();
                if (n > 0) {
                  byte[] bytes = new byte[n];
                  buffer.read(bytes);
                  sink.next(ByteBuffer.wrap(bytes));
                }
              } finally {
                DataBufferUtils.release(buffer);
              }
            })
        .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
  }

  private static long bytes(List<ByteBuffer> buffers) {
    long n = 0;
    for (ByteBuffer buffer : buffers) {
      n += buffer.remaining();
    }
    return n;
  }

  private static StoredBlob inline(List<ByteBuffer> buffers) {
    byte[] bytes = new byte[(int) bytes(buffers)];
    int at = 0;
    for (ByteBuffer buffer : buffers) {
      int n = buffer.remaining();
      buffer.duplicate().get(bytes, at, n);
      at += n;
    }
    MessageDigest md5 = md5();
    return StoredBlob.inline(bytes, HexFormat.of().formatHex(md5.digest(bytes)));
  }

  /** A ranged GET; a range starting at or past the end reads nothing, as a file would. */
  @Override
  public Flux<DataBuffer> read(String path, long offset, long length) {
    if (length <= 0) {
      return Flux.empty();
    }
    String key = key(path);
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return Mono.fromFuture(
            () ->
                s3.getObject(
                    r -> r.bucket(bucket).key(key).range(range),
                    AsyncResponseTransformer.toPublisher()))
        .flatMapMany(Flux::from)
        .<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::wrap)
        .onErrorResume(S3BlobStore::rangeNotSatisfiable, e -> Flux.empty());
  }

  private static boolean rangeNotSatisfiable(Throwable error) {
    return unwrap(error) instanceof S3Exception s3e && s3e.statusCode() == 416;
  }

  @Override
  public Mono<Void> delete(String path) {
    String key = key(path);
    return Mono.fromFuture(() -> s3.deleteObject(r -> r.bucket(bucket).key(key))).then();
  }

  @Override
  public Mono<Void> deleteNamespace(String namespace) {
    String under = prefix + BlobPaths.namespace(namespace) + "/";
    return Flux.from(s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(under)).contents())
        .map(S3Object::key)
        .buffer(DELETE_BATCH)
        .concatMap(this::deleteKeys, 1)
        .then();
  }

  @Override
  public Mono<Long> sweep(Duration grace, Function<List<String>, Mono<Set<String>>> referenced) {
    // S3 dates a multipart object from its upload's start: a long upload completes looking old,
    // and must not be taken for an orphan (nor aborted) before its metadata commits.
    Instant cutoff = Instant.now().minus(grace.compareTo(uploadGrace) > 0 ? grace : uploadGrace);
    Mono<Long> unreferenced =
        Flux.from(s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents())
            .filter(object -> object.lastModified().isBefore(cutoff))
            .map(object -> pathOf(object.key()))
            .filter(BlobPaths::isBlobPath)
            .buffer(SWEEP_BATCH)
            .concatMap(
                paths ->
                    referenced
                        .apply(paths)
                        .flatMap(
                            used -> {
                              List<String> orphans = new ArrayList<>();
                              for (String path : paths) {
                                if (!used.contains(path)) {
                                  orphans.add(prefix + path);
                                }
                              }
                              return deleteKeys(orphans);
                            }),
                1)
            .reduce(0L, Long::sum);
    return abortStaleUploads(cutoff)
        .flatMap(aborted -> unreferenced.map(removed -> aborted + removed))
        .doOnNext(
            removed -> {
              if (removed > 0) {
                log.info("Storage janitor removed {} orphaned object(s) or upload(s)", removed);
              }
            });
  }

  /** Multipart uploads a crash or a failed abort left behind, so no parts stay billed. */
  private Mono<Long> abortStaleUploads(Instant cutoff) {
    return Flux.from(
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads())
        .filter(upload -> upload.initiated().isBefore(cutoff))
        .filter(upload -> BlobPaths.isBlobPath(pathOf(upload.key())))
        .concatMap(this::abort, 1)
        .reduce(0L, Long::sum)
        .onErrorResume(
            e -> {
              log.warn("Cannot list stale multipart uploads in {}: {}", bucket, e.toString());
              return Mono.just(0L);
            });
  }

  private Mono<Long> abort(MultipartUpload upload) {
    return Mono.fromFuture(
            () ->
                s3.abortMultipartUpload(
                    r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())))
        .thenReturn(1L)
        .onErrorResume(
            e -> {
              log.warn("Cannot abort multipart upload of {}: {}", upload.key(), e.toString());
              return Mono.just(0L);
            });
  }

  private Mono<Long> deleteKeys(List<String> keys) {
    if (keys.isEmpty()) {
      return Mono.just(0L);
    }
    List<ObjectIdentifier> ids =
        keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    return Mono.fromFuture(
            () -> s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids).quiet(true))))
        .map(
            done -> {
              done.errors()
                  .forEach(
                      e -> log.warn("Cannot delete {} from {}: {}", e.key(), bucket, e.message()));
              return (long) (keys.size() - done.errors().size());
            });
  }

  /** The blob path of an object key under the prefix; null for any other key. */
  private String pathOf(String key) {
    return key != null && key.startsWith(prefix) ? key.substring(prefix.length()) : null;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause instanceof java.util.concurrent.CompletionException
            || !(cause instanceof S3Exception) && cause.getCause() instanceof S3Exception)) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
