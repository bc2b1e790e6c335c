package dev.cumulus.storage.multipart.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A multipart upload in flight: the object it will become once completed. */
public record MultipartUpload(
    String uploadId,
    UUID bucketId,
    String key,
    String contentType,
    Map<String, String> userMetadata,
    Instant initiatedAt) {}
