package dev.cumulus.storage.object.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An object's metadata; its bytes are at {@code storagePath} in the blob store. */
public record StoredObject(
    UUID bucketId,
    String key,
    long size,
    String etag,
    String contentType,
    Map<String, String> userMetadata,
    String storagePath,
    Instant lastModified) {}
