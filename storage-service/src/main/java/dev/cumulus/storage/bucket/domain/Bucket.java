package dev.cumulus.storage.bucket.domain;

import java.time.Instant;
import java.util.UUID;

/** A bucket of one storage instance. */
public record Bucket(
    UUID id,
    String serviceId,
    String name,
    boolean versioning,
    boolean encryption,
    boolean publicAccess,
    Instant createdAt) {}
