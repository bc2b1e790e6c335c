package dev.cumulus.storage.multipart.domain;

import java.time.Instant;

/** One uploaded part: its bytes are a blob of their own until the upload completes. */
public record UploadedPart(
    int partNumber, long size, String etag, String storagePath, Instant lastModified) {}
