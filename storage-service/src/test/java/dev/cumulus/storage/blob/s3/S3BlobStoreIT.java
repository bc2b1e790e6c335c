package dev.cumulus.storage.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.testsupport.S3MockServer;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.DataKeys;
import dev.cumulus.storage.blob.encryption.EncryptingBlobStore;
import dev.cumulus.storage.config.BlobProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 blob backend against a real S3 API (S3Mock, a process of its own): the filesystem store's
 * guarantees, over the stock async client.
 */
class S3BlobStoreIT {

  static final String BUCKET = "cumulus-blobs";
  static final Duration WAIT = Duration.ofSeconds(60);

  static S3AsyncClient client;
  static S3BlobStore store;
  static Scheduler crypto;
  final String namespace = "svc-" + UUID.randomUUID();

  @BeforeAll
  static void start() {
    client =
        S3BlobClients.create(
            new BlobProperties.S3(
                S3MockServer.shared(BUCKET).endpoint(),
                "us-east-1",
                BUCKET,
                "test",
                "test",
                true,
                "it/",
                DataSize.ofMegabytes(5),
                DataSize.ofMegabytes(10),
                null,
                null,
                null));
    store = new S3BlobStore(client, BUCKET, "it/", Duration.ofMillis(-1000));
    crypto = Schedulers.newBoundedElastic(2, 100, "test-crypto");
  }

  @AfterAll
  static void stop() {
    client.close();
    crypto.dispose();
  }

  @Test
  void storedBytesReadBackWholeAndByRangeUnderAFreshKey() {
    byte[] bytes = random(300_000, 1);
    StoredBlob first = store.store(namespace, chunks(bytes, 8192)).block(WAIT);
    StoredBlob second = store.store(namespace, chunks(bytes, 8192)).block(WAIT);

    assertThat(first.path()).startsWith(namespace + "/");
    assertThat(second.path()).isNotEqualTo(first.path());
    assertThat(first.size()).isEqualTo(bytes.length);
    assertThat(first.md5Hex()).isEqualTo(md5(bytes));
    assertThat(read(first.path(), 0, bytes.length)).isEqualTo(bytes);
    assertThat(read(first.path(), 1000, 5000)).isEqualTo(slice(bytes, 1000, 5000));
    // A range running past the end stops at it; one starting there reads nothing, as a file.
    assertThat(read(first.path(), bytes.length - 10, 100))
        .isEqualTo(slice(bytes, bytes.length - 10, 10));
    assertThat(read(first.path(), bytes.length, 100)).isEmpty();
    assertThat(keys()).contains("it/" + first.path(), "it/" + second.path());

    StoredBlob empty = store.store(namespace, Flux.empty()).block(WAIT);
    assertThat(empty.size()).isZero();
    assertThat(empty.md5Hex()).isEqualTo(md5(new byte[0]));
    assertThat(read(empty.path(), 0, 0)).isEmpty();
    assertThat(keys()).contains("it/" + empty.path());
  }

  @Test
  void theStartUpCheckNamesAMissingBucketAndWhereItWasLookedFor() {
    String endpoint = S3MockServer.shared(BUCKET).endpoint();
    store.checkBucket(endpoint).block(WAIT);
    S3BlobStore missing = new S3BlobStore(client, "no-such-bucket", "it/", Duration.ZERO);
    assertThatThrownBy(() -> missing.checkBucket(endpoint).block(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'no-such-bucket'")
        .hasMessageContaining(endpoint)
        .hasMessageContaining("does not exist");
  }

  @Test
  void aLongBodyOfUnknownLengthGoesUpInPartsAndReadsBack() {
    byte[] bytes = random(12 * 1024 * 1024 + 123, 2);
    StoredBlob blob = store.store(namespace, chunks(bytes, 64 * 1024)).block(WAIT);

    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5Hex()).isEqualTo(md5(bytes));
    assertThat(read(blob.path(), 0, bytes.length)).isEqualTo(bytes);
    int at = 6 * 1024 * 1024 - 17; // across the first part boundary
    assertThat(read(blob.path(), at, 100_000)).isEqualTo(slice(bytes, at, 100_000));
  }

  @Test
  void aFailingBodyFailsTheStoreWithItsOwnErrorAndLeavesNoObject() {
    IllegalStateException bad = new IllegalStateException("client went away");
    Flux<DataBuffer> failing = chunks(random(100_000, 3), 4096).concatWith(Flux.error(bad));

    assertThatThrownBy(() -> store.store(namespace, failing).block(WAIT)).isSameAs(bad);
    assertThat(keys()).isEmpty();
  }

  @Test
  void smallPlainBodiesComeBackInlineAndLargerOnesAreStored() {
    byte[] small = "tiny".getBytes(StandardCharsets.UTF_8);
    StoredBlob inline = store.storeOrInline(namespace, chunks(small, 2), null, 1024).block(WAIT);
    assertThat(inline.path()).isNull();
    assertThat(inline.inline()).isEqualTo(small);
    assertThat(inline.md5Hex()).isEqualTo(md5(small));
    assertThat(store.storeOrInline(namespace, Flux.empty(), null, 1024).block(WAIT).inline())
        .isEmpty();

    byte[] larger = random(5000, 4);
    StoredBlob stored = store.storeOrInline(namespace, chunks(larger, 700), null, 1024).block(WAIT);
    assertThat(stored.path()).isNotNull();
    assertThat(stored.md5Hex()).isEqualTo(md5(larger));
    assertThat(read(stored.path(), 0, larger.length)).isEqualTo(larger);
  }

  @Test
  void encryptionAtRestWrapsItAsItWrapsTheFileStore() {
    DataKeys keys = owner -> Mono.just(random(32, owner.hashCode()));
    EncryptingBlobStore encrypting = new EncryptingBlobStore(store, keys, crypto);
    byte[] plain = random(200_000, 5);

    StoredBlob blob = encrypting.store(namespace, chunks(plain, 10_000), "tenant-a").block(WAIT);

    assertThat(blob.encrypted()).isTrue();
    assertThat(blob.md5Hex()).isEqualTo(md5(plain));
    byte[] atRest = read(blob.path(), 0, 300_000);
    assertThat(new String(atRest, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(slice(plain, 0, 64), StandardCharsets.ISO_8859_1));
    assertThat(join(encrypting.read(blob.path(), 0, plain.length, true))).isEqualTo(plain);
    assertThat(join(encrypting.read(blob.path(), 70_000, 1000, true)))
        .isEqualTo(slice(plain, 70_000, 1000));
  }

  @Test
  void deletesOneBlobOrAWholeNamespaceAndTheJanitorRemovesOnlyUnreferencedOnes() {
    StoredBlob gone = store.store(namespace, chunks(random(10, 6), 10)).block(WAIT);
    StoredBlob live = store.store(namespace, chunks(random(10, 7), 10)).block(WAIT);
    StoredBlob orphan = store.store(namespace, chunks(random(10, 8), 10)).block(WAIT);

    store.delete(gone.path()).block(WAIT);
    store.delete(gone.path()).block(WAIT); // a missing blob is not an error
    assertThat(keys()).containsExactlyInAnyOrder("it/" + live.path(), "it/" + orphan.path());

    // Nothing is old enough under a long grace, the janitor's or the backend's upload grace (a
    // long upload completes looking as old as its start); with none, what nothing references goes.
    assertThat(store.sweep(Duration.ofHours(1), paths -> Mono.just(Set.of())).block(WAIT)).isZero();
    S3BlobStore longUploads = new S3BlobStore(client, BUCKET, "it/", Duration.ofHours(1));
    assertThat(
            longUploads.sweep(Duration.ofMillis(-1000), paths -> Mono.just(Set.of())).block(WAIT))
        .isZero();
    Long removed =
        store.sweep(Duration.ofMillis(-1000), paths -> Mono.just(Set.of(live.path()))).block(WAIT);
    assertThat(removed).isGreaterThanOrEqualTo(1);
    assertThat(keys()).containsExactly("it/" + live.path());

    store.deleteNamespace(namespace).block(WAIT);
    assertThat(keys()).isEmpty();
  }

  @Test
  void pathsThatAreNotBlobPathsAreRefused() {
    assertThatThrownBy(() -> store.read("../other/x", 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.store("../x", Flux.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  List<String> keys() {
    return Flux.from(
            client
                .listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("it/" + namespace + "/"))
                .contents())
        .map(S3Object::key)
        .collectList()
        .block(WAIT);
  }

  byte[] read(String path, long offset, long length) {
    return join(store.read(path, offset, length));
  }

  static byte[] join(Flux<DataBuffer> content) {
    return DataBufferUtils.join(content)
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .block(WAIT);
  }

  static Flux<DataBuffer> chunks(byte[] bytes, int size) {
    List<byte[]> parts = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += size) {
      parts.add(slice(bytes, at, Math.min(size, bytes.length - at)));
    }
    return Flux.fromIterable(parts).map(DefaultDataBufferFactory.sharedInstance::wrap);
  }

  static byte[] slice(byte[] bytes, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(bytes, from, out, 0, length);
    return out;
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
