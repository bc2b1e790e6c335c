package dev.cumulus.storage.blob.filesystem;

import dev.cumulus.storage.blob.domain.BlobPaths;
import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Object bytes as files: {@code <root>/tmp/<uuid>.part} while an upload is in flight, {@code
 * <root>/blobs/<namespace>/<uuid>} once stored. Uploads are written by a {@link BlobWriter} in
 * batches of about a megabyte; every blocking step (write, fsync, rename, delete, directory walks)
 * runs on a bounded scheduler, never on an event loop. Memory per upload is a few batches. Reads go
 * through {@link AsynchronousFileChannel}, or a file region the server can {@code sendfile}.
 */
public class FileSystemBlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);
  private static final int CHUNK = 64 * 1024;
  private static final int WRITE_BATCH = 1024 * 1024;

  /** Where uploads are hashed (MD5): CPU work, never blocking. */
  private static final Scheduler HASHER = Schedulers.parallel();

  /**
   * Batches (of about {@link #WRITE_BATCH} bytes) an upload may queue for its I/O thread, and for
   * its MD5 thread: enough for each stage to find the next batch ready when it finishes one (the
   * event loop is refilled three at a time), few enough to keep an upload to ~9 MiB of buffers.
   */
  private static final int WRITE_QUEUE = 4;

  private static final int HASH_QUEUE = 2;

  private static final String PART = ".part";
  private static final int SWEEP_BATCH = 500;

  private final Path tmp;
  private final Path blobs;
  private final Scheduler io;

  /**
   * Early syncs of large uploads (see BlobWriter.EARLY_SYNC) block: they run on the I/O threads.
   */
  private final Executor syncer;

  private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

  public FileSystemBlobStore(Path root, Scheduler io) {
    Path base = root.toAbsolutePath().normalize();
    this.tmp = base.resolve("tmp");
    this.blobs = base.resolve("blobs");
    this.io = io;
    this.syncer = task -> io.schedule(task);
  }

  public Path tmpDir() {
    return tmp;
  }

  public Path blobDir() {
    return blobs;
  }

  @Override
  public Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content) {
    return store(namespace, content, true);
  }

  @Override
  public Mono<StoredBlob> storeUnhashed(String namespace, Flux<DataBuffer> content) {
    return store(namespace, content, false);
  }

  /**
   * Content that ends within {@code inlineLimit} bytes comes back in memory instead of becoming a
   * file. The first batch tells: {@link #batched} emits a batch smaller than {@link #WRITE_BATCH}
   * only when the content ends, so a first batch within the limit is all of it.
   */
  @Override
  public Mono<StoredBlob> storeOrInline(
      String namespace, Flux<DataBuffer> content, String encryptFor, int inlineLimit) {
    if (encryptFor != null || inlineLimit <= 0) {
      return store(namespace, content, encryptFor);
    }
    String ns = namespace(namespace);
    int limit = Math.min(inlineLimit, WRITE_BATCH - 1);
    return owningBatches(
        content,
        (batches, owned) ->
            batches
                .switchOnFirst(
                    (first, all) -> {
                      if (first.isOnComplete()) {
                        return Mono.just(inline(List.of()));
                      }
                      if (first.hasValue() && BlobWriter.byteCount(first.get()) <= limit) {
                        return all.take(1)
                            .<StoredBlob>handle(
                                (batch, sink) -> {
                                  if (owned.take(batch)) {
                                    sink.next(inline(batch));
                                  }
                                });
                      }
                      return write(ns, all, true, owned);
                    })
                .single());
  }

  /**
   * Runs an upload over the content's batches ({@link #batched}), each registered in one {@link
   * QueuedBatches} as it is formed, and gives it the only discard hooks: Reactor composes nested
   * hooks, so a hook at each level would release a discarded batch once per level, and a pooled
   * buffer released twice may free memory the pool has meanwhile handed to another request. A batch
   * is released by whoever {@link QueuedBatches#take}s it: a stage, a discard, or the clean-up of
   * an upload that failed or was cancelled.
   */
  private static Mono<StoredBlob> owningBatches(
      Flux<DataBuffer> content,
      BiFunction<Flux<List<DataBuffer>>, QueuedBatches, Mono<StoredBlob>> upload) {
    return Mono.defer(
        () -> {
          QueuedBatches owned = new QueuedBatches();
          return upload
              .apply(batched(content).map(owned::add), owned)
              // Buffers of a batch still being formed are no one's yet.
              .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
              .doOnDiscard(
                  List.class,
                  batch -> {
                    if (owned.take(batch)) {
                      releaseAll(batch);
                    }
                  })
              .doFinally(
                  signal -> {
                    if (signal != SignalType.ON_COMPLETE) {
                      owned.releaseRemaining();
                    }
                  });
        });
  }

  /** Copies a small batch into one array, hashes it and releases the buffers. */
  private static StoredBlob inline(List<DataBuffer> batch) {
    try {
      byte[] bytes = new byte[(int) BlobWriter.byteCount(batch)];
      int at = 0;
      for (DataBuffer buffer : batch) {
        int n = buffer.readableByteCount();
        buffer.read(bytes, at, n);
        at += n;
      }
      return StoredBlob.inline(bytes, BlobWriter.md5Hex(bytes));
    } finally {
      releaseAll(batch);
    }
  }

  private Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content, boolean hash) {
    String ns = namespace(namespace);
    return owningBatches(content, (batches, owned) -> write(ns, batches, hash, owned));
  }

  /**
   * Writes the batches to a temporary file, then moves it to a fresh blob path. Three threads work
   * on an upload at once, each on its own batch, in order: the event loop receives one, an I/O
   * thread writes the one before, and a CPU thread adds the one before that to the MD5. MD5 runs at
   * ~650 MB/s on one core and cannot be split, so it sets the pace of a large upload: it must never
   * wait for a write or a thread hand-off. Each stage drains its small queue in a loop, so a busy
   * stage goes from batch to batch without a hand-off; memory stays at a few batches per upload.
   */
  private Mono<StoredBlob> write(
      String ns, Flux<List<DataBuffer>> batches, boolean hash, QueuedBatches queued) {
    return Mono.defer(
        () -> {
          BlobWriter writer = new BlobWriter(tmp.resolve(UUID.randomUUID() + PART), hash, syncer);
          String name = UUID.randomUUID().toString();
          // Every batch is registered in queued (it arrives so) or owned by the stage that took it.
          Flux<List<DataBuffer>> written =
              batches
                  .publishOn(io, WRITE_QUEUE)
                  .handle(
                      (batch, sink) -> {
                        if (!queued.take(batch)) {
                          return; // released already: the upload has ended
                        }
                        try {
                          writer.write(batch);
                        } catch (IOException | RuntimeException e) {
                          releaseAll(batch);
                          sink.error(e);
                          return;
                        }
                        sink.next(queued.add(batch));
                      });
          // Hashed (when asked) and released; nothing goes further: Mono.then discards
          // what reaches it, which would release the batches a second time.
          Flux<Void> done =
              (hash ? written.publishOn(HASHER, HASH_QUEUE) : written)
                  .handle(
                      (batch, sink) -> {
                        if (!queued.take(batch)) {
                          return;
                        }
                        try {
                          writer.hash(batch);
                        } finally {
                          releaseAll(batch);
                        }
                      });
          return done.then(
                  blocking(
                      () -> {
                        String md5 = writer.finish(blobs.resolve(ns).resolve(name));
                        return new StoredBlob(ns + "/" + name, writer.size(), md5);
                      }))
              .onErrorResume(error -> step(writer::abort).then(Mono.<StoredBlob>error(error)))
              .doOnCancel(() -> step(writer::abort).subscribe());
        });
  }

  /**
   * Groups the network's buffers (a few KiB to 1 MiB, as reads bring them) into batches of about
   * {@link #WRITE_BATCH} bytes: every batch costs a hand-off to the I/O and MD5 threads, which
   * would dominate large uploads at the granularity of small reads.
   */
  private static Flux<List<DataBuffer>> batched(Flux<DataBuffer> content) {
    return Flux.defer(
        () -> {
          long[] pending = {0};
          return content.bufferUntil(
              buffer -> {
                pending[0] += buffer.readableByteCount();
                if (pending[0] >= WRITE_BATCH) {
                  pending[0] = 0;
                  return true;
                }
                return false;
              });
        });
  }

  private static void releaseAll(List<?> buffers) {
    for (Object buffer : buffers) {
      if (buffer instanceof DataBuffer data) {
        DataBufferUtils.release(data);
      }
    }
  }

  @Override
  public Flux<DataBuffer> read(String path, long offset, long length) {
    Path file = resolve(path);
    if (length <= 0) {
      return Flux.empty();
    }
    return DataBufferUtils.takeUntilByteCount(
        DataBufferUtils.readAsynchronousFileChannel(
            () -> AsynchronousFileChannel.open(file, StandardOpenOption.READ),
            offset,
            buffers,
            CHUNK),
        length);
  }

  @Override
  public Optional<BlobRegion> region(String path, long offset, long length) {
    return Optional.of(new BlobRegion(resolve(path), offset, Math.max(0, length)));
  }

  @Override
  public Mono<Void> delete(String path) {
    Path file = resolve(path);
    return blocking(() -> Files.deleteIfExists(file)).then();
  }

  @Override
  public Mono<Void> deleteNamespace(String namespace) {
    Path dir = blobs.resolve(namespace(namespace));
    return blocking(
            () -> {
              deleteTree(dir);
              return true;
            })
        .then();
  }

  @Override
  public Mono<Long> sweep(Duration grace, Function<List<String>, Mono<Set<String>>> referenced) {
    Instant cutoff = Instant.now().minus(grace);
    Mono<Long> temporary =
        blocking(
            () -> {
              long removed = 0;
              for (Path file : files(tmp)) {
                if (olderThan(file, cutoff) && Files.deleteIfExists(file)) {
                  removed++;
                }
              }
              return removed;
            });
    // The blob tree is walked lazily on the I/O scheduler and checked a batch at a time: a data
    // directory of millions of files costs neither memory nor one query per file.
    Mono<Long> unreferenced =
        Flux.using(() -> walk(blobs), Flux::fromStream, Stream::close)
            .filter(file -> Files.isRegularFile(file) && olderThan(file, cutoff))
            .subscribeOn(io)
            .map(file -> blobs.relativize(file).toString().replace('\\', '/'))
            .buffer(SWEEP_BATCH)
            .concatMap(
                paths ->
                    referenced
                        .apply(paths)
                        .flatMap(used -> blocking(() -> deleteAllBut(paths, used))),
                1)
            .reduce(0L, Long::sum);
    return temporary
        .flatMap(removedTemp -> unreferenced.map(removedBlobs -> removedTemp + removedBlobs))
        .doOnNext(
            removed -> {
              if (removed > 0) {
                log.info("Storage janitor removed {} orphaned file(s)", removed);
              }
            });
  }

  private long deleteAllBut(List<String> paths, Set<String> used) throws IOException {
    long removed = 0;
    for (String path : paths) {
      if (!used.contains(path) && Files.deleteIfExists(blobs.resolve(path))) {
        removed++;
      }
    }
    return removed;
  }

  private <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
    return Mono.fromCallable(work).subscribeOn(io);
  }

  /** A blocking step without a result. */
  private interface Step {
    void run() throws IOException;
  }

  private Mono<Void> step(Step step) {
    return Mono.<Void>fromCallable(
            () -> {
              step.run();
              return null; // completes empty; a checked exception reaches onError as it is
            })
        .subscribeOn(io);
  }

  private Path resolve(String path) {
    Path file = blobs.resolve(path).normalize();
    if (!file.startsWith(blobs) || file.equals(blobs)) {
      throw new IllegalArgumentException("Not a blob path: " + path);
    }
    return file;
  }

  private static String namespace(String namespace) {
    return BlobPaths.namespace(namespace);
  }

  private static boolean olderThan(Path file, Instant cutoff) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      return modified.toInstant().isBefore(cutoff);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).toList();
    }
  }

  private static Stream<Path> walk(Path root) throws IOException {
    return Files.isDirectory(root) ? Files.walk(root) : Stream.empty();
  }

  /**
   * Files first, streamed (a namespace may hold millions: no list of them in memory), then the few
   * directories, deepest first.
   */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.walk(dir)) {
      Iterator<Path> files = entries.filter(Files::isRegularFile).iterator();
      while (files.hasNext()) {
        Files.deleteIfExists(files.next());
      }
    }
    try (Stream<Path> entries = Files.walk(dir)) {
      for (Path directory : entries.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(directory);
      }
    }
  }
}
