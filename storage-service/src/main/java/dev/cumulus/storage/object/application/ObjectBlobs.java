package dev.cumulus.storage.object.application;

import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.domain.StoredBlob;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.object.domain.StoredObject;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An object version's bytes, wherever they are kept: a blob file or its metadata row. */
@Component
class ObjectBlobs {

  private static final Logger log = LoggerFactory.getLogger(ObjectBlobs.class);

  private final BlobStore blobs;

  ObjectBlobs(BlobStore blobs) {
    this.blobs = blobs;
  }

  /**
   * {@code length} bytes of a version from {@code offset}; {@code key} opens one sealed by the
   * client's key (SSE-C), checked against its fingerprint ({@link CustomerKeys}), null for others.
   */
  Flux<DataBuffer> content(StoredObject object, long offset, long length, CustomerKey key) {
    try {
      CustomerKeys.check(object, key);
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
    if (key != null) {
      return blobs.read(object.storagePath(), offset, length, key);
    }
    if (object.inline() == null) {
      return blobs.read(object.storagePath(), offset, length, object.encrypted());
    }
    if (length <= 0) {
      return Flux.empty();
    }
    // A fresh buffer per subscription: the server releases what it writes.
    return Flux.defer(
        () ->
            Flux.just(
                DefaultDataBufferFactory.sharedInstance.wrap(
                    ByteBuffer.wrap(object.inline(), (int) offset, (int) length))));
  }

  /** Removes bytes that will not be committed; inline ones were never written. */
  Mono<Void> discard(StoredBlob blob) {
    return blob.path() == null ? Mono.empty() : delete(blob.path());
  }

  /** After the metadata no longer points at them; a failure leaves work for the janitor. */
  Mono<Void> delete(String path) {
    return blobs
        .delete(path)
        .onErrorResume(
            e -> {
              log.warn("Could not delete blob {}: {}", path, e.toString());
              return Mono.empty();
            });
  }
}
