package dev.cumulus.storage.blob.filesystem;

import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Object bytes as files: {@code <root>/tmp/<uuid>.part} while an upload is in flight, {@code
 * <root>/blobs/<namespace>/<uuid>} once stored. Writes go through {@link AsynchronousFileChannel}
 * ({@link DataBufferUtils#write}); the blocking steps (open, fsync, rename, delete, directory
 * walks) run on a bounded scheduler, never on an event loop. Memory per upload is one buffer in
 * flight.
 */
public class FileSystemBlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final int CHUNK = 64 * 1024;
  private static final int WRITE_BATCH = 1024 * 1024;
  private static final String PART = ".part";

  private final Path tmp;
  private final Path blobs;
  private final Scheduler io;
  private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

  public FileSystemBlobStore(Path root, Scheduler io) {
    Path base = root.toAbsolutePath().normalize();
    this.tmp = base.resolve("tmp");
    this.blobs = base.resolve("blobs");
    this.io = io;
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

  private Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content, boolean hash) {
    String ns = namespace(namespace);
    return blocking(
            () -> {
              Files.createDirectories(tmp);
              return tmp.resolve(UUID.randomUUID() + PART);
            })
        .flatMap(
            temp -> {
              MessageDigest md5 = md5();
              long[] size = {0};
              // The MD5 runs on an I/O thread, one batch behind the event loop, which meanwhile
              // receives (and for SigV4 hashes) the next batch: two cores instead of one.
              Flux<DataBuffer> measured =
                  batched(content)
                      .publishOn(io, 1)
                      .doOnNext(
                          buffer -> {
                            size[0] += buffer.readableByteCount();
                            if (!hash) {
                              return;
                            }
                            try (var views = buffer.readableByteBuffers()) {
                              while (views.hasNext()) {
                                md5.update(views.next());
                              }
                            }
                          })
                      .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
              return DataBufferUtils.write(
                      measured, temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                  .then(
                      blocking(
                          () -> {
                            force(temp);
                            Path dir = blobs.resolve(ns);
                            Files.createDirectories(dir);
                            String name = UUID.randomUUID().toString();
                            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                            forceDirectory(dir);
                            return new StoredBlob(
                                ns + "/" + name,
                                size[0],
                                hash ? HexFormat.of().formatHex(md5.digest()) : null);
                          }))
                  .onErrorResume(error -> deleteQuietly(temp).then(Mono.<StoredBlob>error(error)))
                  .doOnCancel(() -> deleteQuietly(temp).subscribe());
            });
  }

  /**
   * Joins the network's small buffers (often 8 to 64 KiB) into writes of about {@link
   * #WRITE_BATCH}: every asynchronous file write costs a hand-off to the I/O pool, which dominated
   * large uploads.
   */
  private Flux<DataBuffer> batched(Flux<DataBuffer> content) {
    return Flux.defer(
        () -> {
          long[] pending = {0};
          return content
              .bufferUntil(
                  buffer -> {
                    pending[0] += buffer.readableByteCount();
                    if (pending[0] >= WRITE_BATCH) {
                      pending[0] = 0;
                      return true;
                    }
                    return false;
                  })
              // One contiguous copy: a composite buffer would still be written piece by piece.
              .map(
                  buffers ->
                      buffers.size() == 1
                          ? buffers.get(0)
                          : DefaultDataBufferFactory.sharedInstance.join(buffers));
        });
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
  public Mono<Long> sweep(Duration grace, Function<String, Mono<Boolean>> referenced) {
    return blocking(
            () -> {
              Instant cutoff = Instant.now().minus(grace);
              long removed = 0;
              for (Path file : files(tmp)) {
                if (olderThan(file, cutoff) && Files.deleteIfExists(file)) {
                  removed++;
                }
              }
              return removed;
            })
        .flatMap(
            removedTemp ->
                blocking(() -> stale(blobs, Instant.now().minus(grace)))
                    .flatMapMany(Flux::fromIterable)
                    .concatMap(
                        file -> {
                          String path = blobs.relativize(file).toString().replace('\\', '/');
                          return referenced
                              .apply(path)
                              .flatMap(
                                  used ->
                                      used
                                          ? Mono.just(0L)
                                          : blocking(() -> Files.deleteIfExists(file) ? 1L : 0L));
                        })
                    .reduce(removedTemp, Long::sum))
        .doOnNext(
            removed -> {
              if (removed > 0) {
                log.info("Storage janitor removed {} orphaned file(s)", removed);
              }
            });
  }

  private <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
    return Mono.fromCallable(work).subscribeOn(io);
  }

  private Mono<Void> deleteQuietly(Path file) {
    return blocking(() -> Files.deleteIfExists(file)).onErrorResume(e -> Mono.just(false)).then();
  }

  private Path resolve(String path) {
    Path file = blobs.resolve(path).normalize();
    if (!file.startsWith(blobs) || file.equals(blobs)) {
      throw new IllegalArgumentException("Not a blob path: " + path);
    }
    return file;
  }

  private static String namespace(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("Not a valid blob namespace: " + namespace);
    }
    return namespace;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Makes the rename durable; not every platform can open a directory, which is fine there. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("Cannot fsync directory {}: {}", dir, e.toString());
    }
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

  private static List<Path> stale(Path root, Instant cutoff) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.walk(root)) {
      return entries.filter(Files::isRegularFile).filter(f -> olderThan(f, cutoff)).toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.walk(dir)) {
      for (Path p : entries.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
