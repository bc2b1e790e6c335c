package dev.cumulus.auth.quota.domain;

import java.time.Instant;

/**
 * A tenant's storage at the start of an hour (stored and parked multipart bytes, as quotas count).
 */
public record UsageSample(Instant hour, long storedBytes, long objects, long buckets) {}
