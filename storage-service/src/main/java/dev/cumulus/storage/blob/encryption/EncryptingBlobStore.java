package dev.cumulus.storage.blob.encryption;

import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.BlobCipher.Header;
import dev.cumulus.storage.blob.encryption.BlobCipher.IntegrityException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Encryption at rest as a decorator of any {@link BlobStore}: blobs asked to be encrypted are
 * sealed in {@link BlobCipher}'s format under their tenant's data key before the inner store writes
 * them, and opened segment by segment on the way out (a range read opens only the segments it
 * needs). Plain blobs pass straight through. Memory per stream is about one segment; the AES-GCM
 * and MD5 work runs on the blob store's bounded scheduler, never on an event loop.
 */
public class EncryptingBlobStore implements BlobStore {

  /** Network buffers queued ahead of the cipher: bounds memory per upload. */
  private static final int PREFETCH = 8;

  private final BlobStore inner;
  private final DataKeys keys;
  private final Scheduler crypto;

  public EncryptingBlobStore(BlobStore inner, DataKeys keys, Scheduler crypto) {
    this.inner = inner;
    this.keys = keys;
    this.crypto = crypto;
  }

  @Override
  public Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content) {
    return inner.store(namespace, content);
  }

  @Override
  public Mono<StoredBlob> storeUnhashed(String namespace, Flux<DataBuffer> content) {
    return inner.storeUnhashed(namespace, content);
  }

  /** Plain content may stay inline; encrypted content is always sealed into a blob. */
  @Override
  public Mono<StoredBlob> storeOrInline(
      String namespace, Flux<DataBuffer> content, String encryptFor, int inlineLimit) {
    if (encryptFor == null) {
      return inner.storeOrInline(namespace, content, null, inlineLimit);
    }
    return store(namespace, content, encryptFor);
  }

  @Override
  public Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content, String encryptFor) {
    if (encryptFor == null) {
      return inner.store(namespace, content);
    }
    return keys.of(encryptFor).flatMap(key -> seal(namespace, content, encryptFor, key));
  }

  @Override
  public Mono<StoredBlob> store(
      String namespace, Flux<DataBuffer> content, String owner, CustomerKey key) {
    return seal(namespace, content, owner, key.dataKey());
  }

  private Mono<StoredBlob> seal(
      String namespace, Flux<DataBuffer> content, String owner, byte[] key) {
    return Mono.defer(
        () -> {
          BlobCipher.Sealer sealer = new BlobCipher.Sealer(key, Header.fresh(owner), namespace);
          MessageDigest md5 = md5();
          long[] size = {0};
          Flux<DataBuffer> sealed =
              Flux.concat(
                  Mono.fromCallable(() -> wrap(sealer.header())),
                  content
                      .publishOn(crypto, PREFETCH)
                      .concatMapIterable(
                          buffer -> {
                            List<byte[]> segments = new ArrayList<>(1);
                            try (var views = buffer.readableByteBuffers()) {
                              while (views.hasNext()) {
                                ByteBuffer view = views.next();
                                size[0] += view.remaining();
                                md5.update(view.duplicate());
                                segments.addAll(sealer.push(view));
                              }
                            } finally {
                              DataBufferUtils.release(buffer);
                            }
                            return segments.stream().map(EncryptingBlobStore::wrap).toList();
                          }),
                  Mono.fromCallable(() -> wrap(sealer.finish())));
          // Plaintext buffers discarded on the way (cancel, error) are released by the inner
          // store's discard hook (BlobStore's contract): one here too would release them twice.
          // The inner store need not hash the ciphertext: the plaintext's MD5 is the one kept.
          return inner
              .storeUnhashed(namespace, sealed)
              .map(
                  blob ->
                      new StoredBlob(
                          blob.path(), size[0], HexFormat.of().formatHex(md5.digest()), true));
        });
  }

  @Override
  public Flux<DataBuffer> read(String path, long offset, long length) {
    return inner.read(path, offset, length);
  }

  /** Plain blobs only (the caller knows which are encrypted): they are the inner store's files. */
  @Override
  public Optional<BlobRegion> region(String path, long offset, long length) {
    return inner.region(path, offset, length);
  }

  /** The header names the tenant; the key is the client's, whoever the header names. */
  @Override
  public Flux<DataBuffer> read(String path, long offset, long length, CustomerKey key) {
    if (length <= 0) {
      return Flux.empty();
    }
    return header(path).flatMapMany(header -> open(path, header, key.dataKey(), offset, length));
  }

  @Override
  public Flux<DataBuffer> read(String path, long offset, long length, boolean encrypted) {
    if (!encrypted) {
      return inner.read(path, offset, length);
    }
    if (length <= 0) {
      return Flux.empty();
    }
    return header(path)
        .flatMapMany(
            header ->
                keys.of(header.owner())
                    .flatMapMany(key -> open(path, header, key, offset, length)));
  }

  private Mono<Header> header(String path) {
    return DataBufferUtils.join(inner.read(path, 0, BlobCipher.MAX_HEADER_SIZE))
        .map(
            buffer -> {
              try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return Header.parse(ByteBuffer.wrap(bytes));
              } finally {
                DataBufferUtils.release(buffer);
              }
            })
        .switchIfEmpty(Mono.error(() -> new IntegrityException("Encrypted blob is empty")));
  }

  /** The plaintext [offset, offset + length), from the segments that hold it. */
  private Flux<DataBuffer> open(String path, Header header, byte[] key, long offset, long length) {
    long first = offset / BlobCipher.SEGMENT_SIZE;
    long count = (offset + length - 1) / BlobCipher.SEGMENT_SIZE - first + 1;
    BlobCipher.Opener opener = new BlobCipher.Opener(key, header, namespaceOf(path), first, count);
    // Segment-aligned plaintext position of the next opened segment, and what is still owed.
    long[] position = {first * BlobCipher.SEGMENT_SIZE};
    long[] owed = {length};
    Function<List<byte[]>, List<DataBuffer>> trim =
        segments -> {
          List<DataBuffer> out = new ArrayList<>(segments.size());
          for (byte[] plaintext : segments) {
            long from = Math.max(0, offset - position[0]);
            int n = (int) Math.min(plaintext.length - from, owed[0]);
            position[0] += plaintext.length;
            if (n > 0) {
              out.add(
                  DefaultDataBufferFactory.sharedInstance.wrap(
                      ByteBuffer.wrap(plaintext, (int) from, n)));
              owed[0] -= n;
            }
          }
          return out;
        };
    // One byte past the last wanted segment: its presence tells that segment is not the last.
    Flux<DataBuffer> sealed =
        inner.read(path, header.sealedOffset(first), count * BlobCipher.SEALED_SEGMENT_SIZE + 1);
    return Flux.concat(
        sealed
            .publishOn(crypto, 2)
            .concatMapIterable(
                buffer -> {
                  List<byte[]> opened = new ArrayList<>(1);
                  try (var views = buffer.readableByteBuffers()) {
                    while (views.hasNext()) {
                      opened.addAll(opener.push(views.next()));
                    }
                  } finally {
                    DataBufferUtils.release(buffer);
                  }
                  return trim.apply(opened);
                })
            .doOnDiscard(DataBuffer.class, DataBufferUtils::release),
        Flux.defer(
            () -> {
              List<DataBuffer> rest = trim.apply(opener.finish());
              if (owed[0] > 0) {
                return Flux.error(
                    new IntegrityException(
                        "Encrypted blob " + path + " ends " + owed[0] + " bytes early"));
              }
              return Flux.fromIterable(rest);
            }));
  }

  @Override
  public Mono<Void> delete(String path) {
    return inner.delete(path);
  }

  @Override
  public Mono<Void> deleteNamespace(String namespace) {
    return inner.deleteNamespace(namespace);
  }

  @Override
  public Mono<Long> sweep(Duration grace, Function<List<String>, Mono<Set<String>>> referenced) {
    return inner.sweep(grace, referenced);
  }

  /** Blob paths start with their namespace ({@link BlobStore#store}). */
  private static String namespaceOf(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static DataBuffer wrap(byte[] bytes) {
    return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
