package dev.cumulus.storage.object.application;

import dev.cumulus.storage.blob.domain.BlobRegion;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.StoredObject;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

/**
 * An object's bytes to send.
 *
 * @param range the requested range, null for the whole object
 * @param content the bytes, streamed
 * @param region the same bytes as a plain file region when they can be sent without copying (null
 *     otherwise)
 */
public record Download(
    StoredObject object, ByteRange range, Flux<DataBuffer> content, BlobRegion region) {}
