package dev.cumulus.storage.multipart.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A multipart upload in flight: the object it will become once completed.
 *
 * @param encrypted whether its parts, and the object, are encrypted at rest (decided at creation)
 */
public record MultipartUpload(
    String uploadId,
    UUID bucketId,
    String key,
    String contentType,
    Map<String, String> userMetadata,
    Instant initiatedAt,
    boolean encrypted) {}
