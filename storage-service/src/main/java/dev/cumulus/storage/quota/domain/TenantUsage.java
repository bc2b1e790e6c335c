package dev.cumulus.storage.quota.domain;

/**
 * What a tenant holds across its s3storage instances, counted in the transaction of every change.
 *
 * @param objects current objects (not older versions nor delete markers), as listings count them
 * @param storedBytes bytes of every version, current or not: what takes disk
 * @param parkedBytes bytes of multipart parts whose upload is still open: they take disk too, and
 *     the quota limits {@code storedBytes + parkedBytes}
 */
public record TenantUsage(long buckets, long objects, long storedBytes, long parkedBytes) {

  public static final TenantUsage NONE = new TenantUsage(0, 0, 0, 0);

  /** What the stored-bytes quota counts. */
  public long quotaBytes() {
    return storedBytes + parkedBytes;
  }
}
