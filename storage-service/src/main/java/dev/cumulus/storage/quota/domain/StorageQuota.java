package dev.cumulus.storage.quota.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storage limits of a tenant (auth-service's plan limits with the tenant's overrides,
 * docs/identity.md "Quotas").
 *
 * @param buckets buckets across the tenant's s3storage instances
 * @param storedBytes bytes of every object version across them
 * @param maxObjectBytes the largest single object one PUT (or one completed multipart upload) may
 *     write
 */
public record StorageQuota(long buckets, long storedBytes, long maxObjectBytes) {

  /** S3's own ceiling for one PUT, the default when auth-service names none. */
  public static final long FIVE_GIB = 5L << 30;

  /** From auth-service's limits by their snake-case names; a missing one is unlimited. */
  public static StorageQuota of(Map<String, Long> limits) {
    return new StorageQuota(
        limits.getOrDefault("buckets", Long.MAX_VALUE),
        limits.getOrDefault("stored_bytes", Long.MAX_VALUE),
        limits.getOrDefault("max_object_bytes", FIVE_GIB));
  }

  /** The limits by the names auth-service gives them, as the usage endpoint shows them. */
  public Map<String, Long> byName() {
    Map<String, Long> limits = new LinkedHashMap<>();
    limits.put("buckets", buckets);
    limits.put("stored_bytes", storedBytes);
    limits.put("max_object_bytes", maxObjectBytes);
    return limits;
  }
}
