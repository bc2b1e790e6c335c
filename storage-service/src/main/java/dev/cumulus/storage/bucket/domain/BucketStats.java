package dev.cumulus.storage.bucket.domain;

/** How much a bucket (or a whole instance) holds. */
public record BucketStats(long bucketCount, long objectCount, long totalBytes) {}
