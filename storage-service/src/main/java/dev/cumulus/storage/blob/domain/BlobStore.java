package dev.cumulus.storage.blob.domain;

import dev.cumulus.storage.blob.encryption.CustomerKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where object bytes live, independent of the metadata store. The filesystem implementation is the
 * default; an S3 backend can implement the same contract.
 *
 * <p>Write protocol (crash safety): {@link #store} streams the bytes to a temporary file while
 * computing size and MD5, fsyncs it, and moves it atomically to a fresh, never reused path. Only
 * then does the caller commit the metadata row that points at that path, so an object becomes
 * visible only when its bytes are durable. A crash between move and commit leaves an unreferenced
 * blob, which the janitor removes ({@link #sweep}); a failed commit deletes the blob at once.
 *
 * <p>Buffers: a store owns the content it subscribes to and releases each buffer exactly once,
 * including buffers its upstream operators discard (it installs the {@code DataBuffer} discard hook
 * for the whole chain). A decorator that transforms content before handing it on adds no hook of
 * its own: Reactor composes hooks, so the buffer would be released twice, and a pooled buffer may
 * by then belong to another request.
 */
public interface BlobStore {

  /**
   * Stores the bytes durably under the namespace (one service instance).
   *
   * @return where they are (a path starting with {@code <namespace>/}), their size and MD5
   */
  Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content);

  /**
   * Like {@link #store(String, Flux)}, without hashing the bytes ({@code md5Hex} may be null): for
   * a decorator that transforms them and hashes the original bytes itself.
   */
  default Mono<StoredBlob> storeUnhashed(String namespace, Flux<DataBuffer> content) {
    return store(namespace, content);
  }

  /**
   * Stores the bytes, encrypted at rest under the data key of {@code encryptFor} (a tenant id) when
   * it is not null. Size and MD5 are the plaintext's.
   */
  default Mono<StoredBlob> store(String namespace, Flux<DataBuffer> content, String encryptFor) {
    if (encryptFor == null) {
      return store(namespace, content);
    }
    return Mono.error(
        new UnsupportedOperationException(getClass().getSimpleName() + " cannot encrypt"));
  }

  /**
   * Like {@link #store(String, Flux, String)}, except that plain (not encrypted) content that turns
   * out to be at most {@code inlineLimit} bytes long is not written: it comes back in {@link
   * StoredBlob#inline()}, with no path, for the caller to keep with its metadata, whose commit then
   * makes it durable. For small objects a file costs more than its bytes.
   */
  default Mono<StoredBlob> storeOrInline(
      String namespace, Flux<DataBuffer> content, String encryptFor, int inlineLimit) {
    return store(namespace, content, encryptFor);
  }

  /**
   * Stores the bytes sealed under a key the client holds (S3's SSE-C) rather than a tenant's data
   * key: never inline, since a row would keep them readable. {@code owner} (a tenant id) is
   * recorded in the blob as for {@link #store(String, Flux, String)}. Size and MD5 are the
   * plaintext's.
   */
  default Mono<StoredBlob> store(
      String namespace, Flux<DataBuffer> content, String owner, CustomerKey key) {
    return Mono.error(
        new UnsupportedOperationException(getClass().getSimpleName() + " cannot encrypt"));
  }

  /** Reads plaintext of a blob stored with {@link #store(String, Flux, String, CustomerKey)}. */
  default Flux<DataBuffer> read(String path, long offset, long length, CustomerKey key) {
    return Flux.error(
        new UnsupportedOperationException(getClass().getSimpleName() + " cannot decrypt"));
  }

  /** Reads {@code length} bytes from {@code offset}. */
  Flux<DataBuffer> read(String path, long offset, long length);

  /**
   * Reads {@code length} plaintext bytes from {@code offset} of a blob stored with {@code
   * encrypted} as {@link StoredBlob#encrypted()} said. A blob that fails authentication is an error
   * signal, never wrong bytes.
   */
  default Flux<DataBuffer> read(String path, long offset, long length, boolean encrypted) {
    if (!encrypted) {
      return read(path, offset, length);
    }
    return Flux.error(
        new UnsupportedOperationException(getClass().getSimpleName() + " cannot decrypt"));
  }

  /**
   * The same bytes as {@link #read} of a plain (not encrypted) blob, as a region of a plain file
   * that may be sent without copying; empty when the store keeps them in another form (remote).
   */
  default Optional<BlobRegion> region(String path, long offset, long length) {
    return Optional.empty();
  }

  /** Deletes one blob; a missing blob is not an error. */
  Mono<Void> delete(String path);

  /** Deletes every blob of a namespace. */
  Mono<Void> deleteNamespace(String namespace);

  /**
   * Removes temporary files older than {@code grace}, and committed-looking blobs older than {@code
   * grace} that no metadata points at.
   *
   * @param referenced given a batch of blob paths, those of them that metadata points at
   * @return how many files were removed
   */
  Mono<Long> sweep(Duration grace, Function<List<String>, Mono<Set<String>>> referenced);
}
