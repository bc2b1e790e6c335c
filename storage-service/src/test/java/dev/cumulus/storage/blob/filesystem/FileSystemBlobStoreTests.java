package dev.cumulus.storage.blob.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.blob.CountedBuffer;
import dev.cumulus.storage.blob.domain.StoredBlob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class FileSystemBlobStoreTests {

  @TempDir Path root;
  final Scheduler io = Schedulers.newBoundedElastic(2, 100, "test-io");

  @AfterEach
  void stop() {
    io.dispose();
  }

  @Test
  void storesStreamedBytesWithSizeAndMd5AndReadsRanges() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    byte[] bytes = new byte[200_000];
    new Random(1).nextBytes(bytes);

    StoredBlob blob = store.store("svc-1", chunks(bytes, 8192)).block(Duration.ofSeconds(10));

    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    assertThat(blob.path()).startsWith("svc-1/");
    assertThat(Files.readAllBytes(store.blobDir().resolve(blob.path()))).isEqualTo(bytes);
    assertThat(files(store.tmpDir())).isEmpty();
    assertThat(read(store, blob.path(), 70_000, 100_000))
        .isEqualTo(Arrays.copyOfRange(bytes, 70_000, 170_000));
    assertThat(read(store, blob.path(), 0, bytes.length)).isEqualTo(bytes);
  }

  /** Tenants' bytes are the service user's alone: 0600 files in 0700 directories (issue 21). */
  @Test
  void blobsAreReadableByTheServiceUserOnly() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    StoredBlob blob =
        store.store("svc-1", chunks(new byte[] {1, 2, 3}, 2)).block(Duration.ofSeconds(10));
    Path file = store.blobDir().resolve(blob.path());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    for (Path dir = file.getParent(); !dir.equals(root); dir = dir.getParent()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
    }
  }

  @Test
  void storesALargeUploadInBatchesAndReleasesEveryBuffer() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    // Several write batches hashed beside the write, and early syncs in the background
    // (BlobWriter.EARLY_SYNC) before the final one.
    byte[] bytes = new byte[(int) (2.5 * BlobWriter.EARLY_SYNC)];
    new Random(2).nextBytes(bytes);
    List<ByteBuf> received = new ArrayList<>();
    Flux<DataBuffer> content = nettyChunks(bytes, received);

    StoredBlob blob = store.store("svc-1", content).block(Duration.ofSeconds(10));

    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    assertThat(Files.readAllBytes(store.blobDir().resolve(blob.path()))).isEqualTo(bytes);
    assertThat(received)
        .hasSize(bytes.length / 65536)
        .allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
  }

  @Test
  void aLargeUploadThatFailsHalfwayReleasesItsBuffersAndLeavesNoFile() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    List<ByteBuf> received = new ArrayList<>();
    Flux<DataBuffer> broken =
        nettyChunks(new byte[(int) (1.5 * BlobWriter.EARLY_SYNC)], received) // past a sync
            .concatWith(Flux.error(new IOException("connection reset by peer")));

    assertThatThrownBy(() -> store.store("svc-1", broken).block(Duration.ofSeconds(10)))
        .hasMessageContaining("connection reset");

    assertThat(received).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
    assertThat(files(store.tmpDir())).isEmpty();
    assertThat(files(store.blobDir())).isEmpty();
  }

  @Test
  void aLargeUploadCancelledWhileItsBatchesAreInFlightReleasesThemAndLeavesNoFile()
      throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    List<ByteBuf> received = new CopyOnWriteArrayList<>(); // filled on the store's threads
    // 6 MiB arrive, then the client goes silent: batches sit in every stage (writing, queued for
    // the MD5, hashing) when the request is cancelled.
    Flux<DataBuffer> stalled =
        nettyChunks(new byte[6 * 1024 * 1024], received).concatWith(Flux.never());

    var upload = store.store("svc-1", stalled).subscribe();
    waitUntil(() -> files(store.tmpDir()).size() == 1 && sizeOf(store.tmpDir()) >= 4 << 20);
    upload.dispose();

    waitUntil(() -> files(store.tmpDir()).isEmpty());
    waitUntil(() -> received.stream().allMatch(chunk -> chunk.refCnt() == 0));
    assertThat(received).hasSize(96).allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
    assertThat(files(store.blobDir())).isEmpty();
  }

  /** Each buffer released exactly once ({@link CountedBuffer}), however an upload ends. */
  @Test
  void everyBufferIsReleasedExactlyOnceHoweverTheUploadEnds() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    for (int round = 0; round < 20; round++) {
      List<CountedBuffer> stalledPlain = new CopyOnWriteArrayList<>();
      List<CountedBuffer> stalledInline = new CopyOnWriteArrayList<>();
      var plain =
          store.store(
              "svc-1", CountedBuffer.content(6 << 20, stalledPlain).concatWith(Flux.never()));
      var inline =
          store.storeOrInline(
              "svc-1",
              CountedBuffer.content(6 << 20, stalledInline).concatWith(Flux.never()),
              null,
              32768);
      var first = plain.subscribe();
      var second = inline.subscribe();
      waitUntil(() -> stalledPlain.size() == 96 && stalledInline.size() == 96);
      Thread.sleep(round % 5); // cancel at different points of the pipeline
      first.dispose();
      second.dispose();
      waitUntil(() -> files(store.tmpDir()).isEmpty());
      waitUntil(
          () ->
              CountedBuffer.allReleased(stalledPlain) && CountedBuffer.allReleased(stalledInline));
      Thread.sleep(20); // a second release would come right after the first
      assertThat(CountedBuffer.releaseCounts(stalledPlain))
          .as("store(), round %d", round)
          .containsOnly(1);
      assertThat(CountedBuffer.releaseCounts(stalledInline))
          .as("storeOrInline(), round %d", round)
          .containsOnly(1);
    }
    List<CountedBuffer> failing = new CopyOnWriteArrayList<>();
    List<CountedBuffer> small = new CopyOnWriteArrayList<>();
    List<CountedBuffer> large = new CopyOnWriteArrayList<>();
    assertThatThrownBy(
            () ->
                store
                    .storeOrInline(
                        "svc-1",
                        CountedBuffer.content(3 << 20, failing)
                            .concatWith(Mono.error(new IOException("reset"))),
                        null,
                        32768)
                    .block(Duration.ofSeconds(10)))
        .hasMessageContaining("reset");
    store
        .storeOrInline("svc-1", CountedBuffer.content(20_000, small), null, 32768)
        .block(Duration.ofSeconds(10));
    store
        .storeOrInline("svc-1", CountedBuffer.content(3 << 20, large), null, 32768)
        .block(Duration.ofSeconds(10));
    assertThat(CountedBuffer.releaseCounts(failing)).as("failed").containsOnly(1);
    assertThat(CountedBuffer.releaseCounts(small)).as("inline").containsOnly(1);
    assertThat(CountedBuffer.releaseCounts(large)).as("file").containsOnly(1);
  }

  @Test
  void anInterruptedUploadLeavesNoFileBehind() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    Flux<DataBuffer> broken =
        chunks(new byte[50_000], 4096)
            .concatWith(Flux.error(new IOException("connection reset by peer")));

    assertThatThrownBy(() -> store.store("svc-1", broken).block(Duration.ofSeconds(10)))
        .hasMessageContaining("connection reset");

    assertThat(files(store.tmpDir())).isEmpty();
    assertThat(files(store.blobDir())).isEmpty();
  }

  @Test
  void theJanitorWalksLazilyAndAsksAboutReferencesInBatches() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Path dir = Files.createDirectories(store.blobDir().resolve("svc-1"));
    Set<String> live = new HashSet<>();
    for (int i = 0; i < 1_203; i++) {
      Path file = Files.writeString(dir.resolve("blob-" + i), "x");
      Files.setLastModifiedTime(file, old);
      if (i % 3 == 0) {
        live.add("svc-1/blob-" + i);
      }
    }
    Path fresh = Files.writeString(dir.resolve("in-flight"), "x");
    List<Integer> batches = new ArrayList<>();

    Long removed =
        store
            .sweep(
                Duration.ofMinutes(5),
                paths -> {
                  batches.add(paths.size());
                  return Mono.just(
                      paths.stream().filter(live::contains).collect(Collectors.toSet()));
                })
            .block(Duration.ofSeconds(30));

    assertThat(removed).isEqualTo(1_203 - 401);
    assertThat(batches).containsExactly(500, 500, 203);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> "svc-1/" + p.getFileName()))
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(live.stream(), Stream.of("svc-1/in-flight")).toList());
    }
    assertThat(fresh).exists();
  }

  @Test
  void deletingANamespaceRemovesItsBlobsAndNoOthers() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    for (int i = 0; i < 30; i++) {
      store.store("svc-1", chunks(new byte[] {(byte) i}, 1)).block(Duration.ofSeconds(10));
    }
    StoredBlob other = store.store("svc-2", chunks(new byte[10], 4)).block(Duration.ofSeconds(10));

    store.deleteNamespace("svc-1").block(Duration.ofSeconds(10));

    assertThat(store.blobDir().resolve("svc-1")).doesNotExist();
    assertThat(files(store.blobDir())).containsExactly(store.blobDir().resolve(other.path()));
  }

  @Test
  void refusesNamespacesAndPathsOutsideItsRoot() {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    assertThatThrownBy(() -> store.store("../etc", Flux.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read("../../etc/passwd", 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsContentWithinTheInlineLimitInMemoryAndReleasesItsBuffers() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    byte[] bytes = new byte[150_000]; // three network buffers
    new Random(4).nextBytes(bytes);
    List<ByteBuf> received = new ArrayList<>();

    StoredBlob blob =
        store
            .storeOrInline("svc-1", nettyChunks(bytes, received), null, bytes.length)
            .block(Duration.ofSeconds(10));

    assertThat(blob.path()).isNull();
    assertThat(blob.inline()).isEqualTo(bytes);
    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    assertThat(files(root)).isEmpty();
    assertThat(received).hasSize(3).allSatisfy(b -> assertThat(b.refCnt()).isZero());

    StoredBlob empty =
        store.storeOrInline("svc-1", Flux.empty(), null, 1024).block(Duration.ofSeconds(10));
    assertThat(empty.inline()).isEmpty();
    assertThat(empty.md5Hex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(files(root)).isEmpty();
  }

  @Test
  void writesContentPastTheInlineLimitAsAFile() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    byte[] small = new byte[4096];
    byte[] large = new byte[1_500_000]; // past one write batch too
    new Random(5).nextBytes(small);
    new Random(6).nextBytes(large);
    List<ByteBuf> received = new ArrayList<>();

    StoredBlob justOver =
        store.storeOrInline("svc-1", chunks(small, 1000), null, 4095).block(Duration.ofSeconds(10));
    StoredBlob big =
        store
            .storeOrInline("svc-1", nettyChunks(large, received), null, 32768)
            .block(Duration.ofSeconds(10));
    StoredBlob off =
        store.storeOrInline("svc-1", chunks(small, 1000), null, 0).block(Duration.ofSeconds(10));

    assertThat(justOver.inline()).isNull();
    assertThat(Files.readAllBytes(store.blobDir().resolve(justOver.path()))).isEqualTo(small);
    assertThat(big.inline()).isNull();
    assertThat(big.md5Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(large)));
    assertThat(Files.readAllBytes(store.blobDir().resolve(big.path()))).isEqualTo(large);
    assertThat(received).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    assertThat(off.inline()).isNull();
    assertThat(files(store.blobDir())).hasSize(3);
    assertThat(files(store.tmpDir())).isEmpty();
  }

  @Test
  void aSmallUploadThatFailsKeepsNothingAndReleasesItsBuffers() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(root, io);
    byte[] bytes = new byte[100_000];
    List<ByteBuf> received = new ArrayList<>();
    Flux<DataBuffer> failing =
        nettyChunks(bytes, received).concatWith(Mono.error(new IOException("connection reset")));

    assertThatThrownBy(
            () -> store.storeOrInline("svc-1", failing, null, 32768).block(Duration.ofSeconds(10)))
        .hasMessageContaining("connection reset");
    assertThatThrownBy(
            () ->
                store
                    .storeOrInline("svc-1", failing, null, 1_000_000)
                    .block(Duration.ofSeconds(10)))
        .hasMessageContaining("connection reset");

    assertThat(received).hasSize(4).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    assertThat(files(root)).isEmpty();
  }

  private static byte[] read(FileSystemBlobStore store, String path, long offset, long length) {
    return DataBufferUtils.join(store.read(path, offset, length))
        .map(
            buffer -> {
              byte[] out = new byte[buffer.readableByteCount()];
              buffer.read(out);
              DataBufferUtils.release(buffer);
              return out;
            })
        .block(Duration.ofSeconds(10));
  }

  private static Flux<DataBuffer> chunks(byte[] bytes, int size) {
    return Flux.range(0, (bytes.length + size - 1) / size)
        .map(
            i ->
                DefaultDataBufferFactory.sharedInstance.wrap(
                    Arrays.copyOfRange(bytes, i * size, Math.min(bytes.length, (i + 1) * size))));
  }

  /**
   * 64 KiB direct Netty buffers, as the server hands them over; each is recorded in {@code seen}.
   */
  private static Flux<DataBuffer> nettyChunks(byte[] bytes, List<ByteBuf> seen) {
    NettyDataBufferFactory network = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    int size = 65536;
    return Flux.range(0, (bytes.length + size - 1) / size)
        .map(
            i -> {
              ByteBuf chunk =
                  Unpooled.directBuffer()
                      .writeBytes(bytes, i * size, Math.min(size, bytes.length - i * size));
              seen.add(chunk);
              return network.wrap(chunk);
            });
  }

  private static List<Path> files(Path dir) throws IOException {
    return BlobFiles.under(dir);
  }

  private static long sizeOf(Path dir) throws IOException {
    long bytes = 0;
    for (Path file : files(dir)) {
      bytes += Files.size(file);
    }
    return bytes;
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  /** False while a file the condition looks at vanishes under it (an upload cleaning up). */
  private static boolean holdsNow(Condition condition) throws IOException {
    try {
      return condition.holds();
    } catch (java.io.UncheckedIOException vanished) {
      return false;
    }
  }

  /** Polls until the condition holds; fails after 10 s. */
  private static void waitUntil(Condition condition) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> holdsNow(condition));
  }
}
