package dev.cumulus.storage.blob.encryption;

import static dev.cumulus.storage.blob.encryption.BlobCipher.SEALED_SEGMENT_SIZE;
import static dev.cumulus.storage.blob.encryption.BlobCipher.SEGMENT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.storage.blob.CountedBuffer;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.BlobCipher.IntegrityException;
import dev.cumulus.storage.blob.filesystem.FileSystemBlobStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The segmented AES-GCM format through the blob-store seam, on real files: round trips and ranges
 * of every size class, and every kind of damage detected as an error, never as wrong bytes.
 */
class EncryptingBlobStoreTests {

  @TempDir Path root;
  final Scheduler io = Schedulers.newBoundedElastic(2, 100, "test-io");
  final Map<String, byte[]> keyring = new ConcurrentHashMap<>();
  final DataKeys keys = owner -> Mono.just(keyring.computeIfAbsent(owner, o -> random(32, o)));

  FileSystemBlobStore files;
  EncryptingBlobStore store;

  @AfterEach
  void stop() {
    io.dispose();
  }

  EncryptingBlobStore store() {
    files = new FileSystemBlobStore(root, io);
    store = new EncryptingBlobStore(files, keys, io);
    return store;
  }

  @Test
  void everySizeRoundTripsWithThePlaintextsSizeAndMd5AndEveryRangeReadsBack() throws Exception {
    store();
    int[] sizes = {
      0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE, 5 * 1024 * 1024 + 7
    };
    for (int size : sizes) {
      byte[] plain = random(size, "p" + size);
      StoredBlob blob = store.store("svc", chunks(plain, 8191), "tenant-a").block();
      assertThat(blob.encrypted()).isTrue();
      assertThat(blob.size()).isEqualTo(size);
      assertThat(blob.md5Hex()).isEqualTo(md5(plain));
      long sealedSize = Files.size(files.blobDir().resolve(blob.path()));
      assertThat(sealedSize)
          .isEqualTo(BlobCipher.sealedSize(BlobCipher.Header.fresh("tenant-a"), size));
      assertThat(read(blob, 0, size)).as("size %d", size).isEqualTo(plain);
      for (long[] range : ranges(size)) {
        int from = (int) range[0];
        int length = (int) range[1];
        assertThat(read(blob, from, length))
            .as("size %d range %d+%d", size, from, length)
            .isEqualTo(Arrays.copyOfRange(plain, from, from + length));
      }
    }
  }

  @Test
  void theFileHoldsNoPlaintextAndTwoBlobsOfTheSameBytesDiffer() throws Exception {
    store();
    byte[] plain = "the same secret line, again and again. ".repeat(5000).getBytes();
    StoredBlob one = store.store("svc", chunks(plain, 4096), "tenant-a").block();
    StoredBlob two = store.store("svc", chunks(plain, 4096), "tenant-a").block();
    byte[] first = Files.readAllBytes(files.blobDir().resolve(one.path()));
    byte[] second = Files.readAllBytes(files.blobDir().resolve(two.path()));
    assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("the same secret");
    assertThat(Arrays.copyOfRange(first, 100, 200))
        .isNotEqualTo(Arrays.copyOfRange(second, 100, 200));
  }

  /**
   * Plaintext buffers released exactly once ({@link CountedBuffer}) when an encrypted upload is
   * cancelled midway or fails, wherever they wait at that moment.
   */
  @Test
  void everyPlaintextBufferIsReleasedExactlyOnceHoweverTheUploadEnds() throws Exception {
    store();
    for (int round = 0; round < 20; round++) {
      List<CountedBuffer> seen = new CopyOnWriteArrayList<>();
      var upload =
          store
              .store("svc", CountedBuffer.content(6 << 20, seen).concatWith(Flux.never()), "t")
              .subscribe();
      int cancelAfter = 8 + round * 4; // cancel at different points of the stream
      await()
          .atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> seen.size() >= cancelAfter);
      upload.dispose();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> CountedBuffer.allReleased(seen));
      Thread.sleep(20); // a second release would come right after the first
      assertThat(CountedBuffer.releaseCounts(seen)).as("round %d", round).containsOnly(1);
    }
    List<CountedBuffer> failing = new CopyOnWriteArrayList<>();
    assertThatThrownBy(
            () ->
                store
                    .store(
                        "svc",
                        CountedBuffer.content(3 << 20, failing)
                            .concatWith(Mono.error(new java.io.IOException("reset"))),
                        "t")
                    .block(Duration.ofSeconds(10)))
        .hasMessageContaining("reset");
    assertThat(CountedBuffer.releaseCounts(failing)).containsOnly(1);
  }

  @Test
  void plainBlobsPassThroughUntouched() throws Exception {
    store();
    byte[] plain = random(100_000, "plain");
    StoredBlob blob = store.store("svc", chunks(plain, 4096), null).block();
    assertThat(blob.encrypted()).isFalse();
    assertThat(Files.readAllBytes(files.blobDir().resolve(blob.path()))).isEqualTo(plain);
    assertThat(join(store.read(blob.path(), 5, 10, false)))
        .isEqualTo(Arrays.copyOfRange(plain, 5, 15));
  }

  @Test
  void aFlippedByteAnywhereIsAnErrorNotWrongBytes() throws Exception {
    store();
    byte[] plain = random(3 * SEGMENT_SIZE + 100, "flip");
    StoredBlob blob = store.store("svc", chunks(plain, 65536), "tenant-a").block();
    Path file = files.blobDir().resolve(blob.path());
    byte[] sealed = Files.readAllBytes(file);
    int header = BlobCipher.Header.fresh("tenant-a").length();
    // A byte of the salt, of the nonce prefix, of each segment's ciphertext and of a tag.
    int[] positions = {
      10, header - 1, header + 5, header + SEALED_SEGMENT_SIZE + 7, sealed.length - 1
    };
    for (int position : positions) {
      byte[] damaged = sealed.clone();
      damaged[position] ^= 0x01;
      Files.write(file, damaged);
      assertThatThrownBy(() -> read(blob, 0, plain.length))
          .as("flipped byte %d", position)
          .isInstanceOf(IntegrityException.class);
    }
    // A range that does not touch the damaged segment still reads.
    byte[] damaged = sealed.clone();
    damaged[header + 2 * SEALED_SEGMENT_SIZE + 3] ^= 0x01;
    Files.write(file, damaged);
    assertThat(read(blob, 0, SEGMENT_SIZE)).isEqualTo(Arrays.copyOf(plain, SEGMENT_SIZE));
    assertThatThrownBy(() -> read(blob, 2L * SEGMENT_SIZE, 10))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void aTruncatedBlobIsAnErrorWhereverItWasCut() throws Exception {
    store();
    byte[] plain = random(3 * SEGMENT_SIZE, "cut");
    StoredBlob blob = store.store("svc", chunks(plain, 65536), "tenant-a").block();
    Path file = files.blobDir().resolve(blob.path());
    byte[] sealed = Files.readAllBytes(file);
    int header = BlobCipher.Header.fresh("tenant-a").length();
    // At a segment boundary (the shorter blob would otherwise look whole), inside a segment,
    // inside the header.
    int[] cuts = {header + 2 * SEALED_SEGMENT_SIZE, header + SEALED_SEGMENT_SIZE + 99, 20, 0};
    for (int cut : cuts) {
      Files.write(file, Arrays.copyOf(sealed, cut));
      assertThatThrownBy(() -> read(blob, 0, plain.length))
          .as("cut at %d", cut)
          .isInstanceOf(IntegrityException.class);
      assertThatThrownBy(() -> read(blob, SEGMENT_SIZE, 10))
          .as("range of a blob cut at %d", cut)
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void swappedSegmentsAreAnError() throws Exception {
    store();
    byte[] plain = random(3 * SEGMENT_SIZE + 1, "swap");
    StoredBlob blob = store.store("svc", chunks(plain, 65536), "tenant-a").block();
    Path file = files.blobDir().resolve(blob.path());
    byte[] sealed = Files.readAllBytes(file);
    int header = BlobCipher.Header.fresh("tenant-a").length();
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, header, swapped, header + SEALED_SEGMENT_SIZE, SEALED_SEGMENT_SIZE);
    System.arraycopy(sealed, header + SEALED_SEGMENT_SIZE, swapped, header, SEALED_SEGMENT_SIZE);
    Files.write(file, swapped);
    assertThatThrownBy(() -> read(blob, 0, plain.length)).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> read(blob, SEGMENT_SIZE + 5, 5))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void anotherKeyOrAnotherOwnerInTheHeaderIsAnError() throws Exception {
    store();
    byte[] plain = random(1000, "key");
    StoredBlob blob = store.store("svc", chunks(plain, 100), "tenant-a").block();
    keyring.put("tenant-a", random(32, "another key"));
    assertThatThrownBy(() -> read(blob, 0, plain.length)).isInstanceOf(IntegrityException.class);

    // The header names tenant-b instead (same length): its key cannot open tenant-a's data.
    StoredBlob other = store.store("svc", chunks(plain, 100), "tenant-a").block();
    Path file = files.blobDir().resolve(other.path());
    byte[] sealed = Files.readAllBytes(file);
    int ownerAt = new String(sealed, 0, 40, StandardCharsets.ISO_8859_1).indexOf("tenant-a");
    sealed[ownerAt + "tenant-".length()] = 'b';
    Files.write(file, sealed);
    assertThatThrownBy(() -> read(other, 0, plain.length)).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aBlobMovedIntoAnotherNamespaceDoesNotOpenThere() throws Exception {
    store();
    byte[] plain = random(1000, "moved");
    StoredBlob blob = store.store("svc-a", chunks(plain, 100), "tenant-a").block();
    StoredBlob victim = store.store("svc-b", chunks(random(1000, "b"), 100), "tenant-a").block();
    Files.copy(
        files.blobDir().resolve(blob.path()),
        files.blobDir().resolve(victim.path()),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(read(blob, 0, plain.length)).isEqualTo(plain);
    assertThatThrownBy(() -> read(victim, 0, plain.length)).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aPlainFileReadAsEncryptedIsAnError() throws Exception {
    store();
    StoredBlob blob = store.store("svc", chunks(random(5000, "x"), 100), null).block();
    assertThatThrownBy(() -> read(blob.path(), 0, 100, true))
        .isInstanceOf(IntegrityException.class);
  }

  // ---------------------------------------------------------------------------------------------

  /** Ranges around every segment boundary, the first and last bytes, and the whole. */
  private static Set<long[]> ranges(int size) {
    Set<long[]> ranges = new LinkedHashSet<>();
    if (size == 0) {
      return ranges;
    }
    long[] starts = {
      0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 2L * SEGMENT_SIZE - 1, size - 1
    };
    long[] lengths = {1, 2, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3L * SEGMENT_SIZE};
    for (long start : starts) {
      if (start < 0 || start >= size) {
        continue;
      }
      for (long length : lengths) {
        ranges.add(new long[] {start, Math.min(length, size - start)});
      }
      ranges.add(new long[] {start, size - start});
    }
    return ranges;
  }

  private byte[] read(StoredBlob blob, long offset, long length) {
    return read(blob.path(), offset, length, true);
  }

  private byte[] read(String path, long offset, long length, boolean encrypted) {
    return join(store.read(path, offset, length, encrypted));
  }

  private static byte[] join(Flux<DataBuffer> content) {
    DataBuffer joined = DataBufferUtils.join(content).block(Duration.ofSeconds(30));
    if (joined == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[joined.readableByteCount()];
    joined.read(bytes);
    return bytes;
  }

  private static Flux<DataBuffer> chunks(byte[] bytes, int size) {
    return Flux.range(0, (bytes.length + size - 1) / size)
        .map(
            i ->
                DefaultDataBufferFactory.sharedInstance.wrap(
                    ByteBuffer.wrap(
                        Arrays.copyOfRange(
                            bytes, i * size, Math.min(bytes.length, (i + 1) * size)))));
  }

  private static byte[] random(int size, String seed) {
    byte[] bytes = new byte[size];
    new Random(seed.hashCode()).nextBytes(bytes);
    return bytes;
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
