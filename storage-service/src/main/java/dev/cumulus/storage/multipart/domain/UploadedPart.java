package dev.cumulus.storage.multipart.domain;

import java.time.Instant;

/**
 * One uploaded part: its bytes are a blob of their own until the upload completes.
 *
 * @param checksum the base64 checksum the client sent with it (the upload's algorithm), or null
 */
public record UploadedPart(
    int partNumber,
    long size,
    String etag,
    String storagePath,
    Instant lastModified,
    String checksum) {}
