package dev.cumulus.storage.quota.domain;

/**
 * What a tenant holds across its s3storage instances, counted in the transaction of every change.
 *
 * @param objects current objects (not older versions nor delete markers), as listings count them
 * @param storedBytes bytes of every version, current or not: what takes disk and what the quota
 *     limits
 */
public record TenantUsage(long buckets, long objects, long storedBytes) {

  public static final TenantUsage NONE = new TenantUsage(0, 0, 0);
}
