package dev.cumulus.storage.bucket.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A bucket of one storage instance.
 *
 * @param objectLock whether it has S3 Object Lock (for good; its versioning is then enabled)
 * @param defaultRetention the retention new versions get, null for none (always null without Object
 *     Lock)
 */
public record Bucket(
    UUID id,
    String serviceId,
    String name,
    VersioningStatus versioningStatus,
    boolean encryption,
    boolean publicAccess,
    Instant createdAt,
    boolean objectLock,
    DefaultRetention defaultRetention) {

  /** A bucket without Object Lock. */
  public Bucket(
      UUID id,
      String serviceId,
      String name,
      VersioningStatus versioningStatus,
      boolean encryption,
      boolean publicAccess,
      Instant createdAt) {
    this(id, serviceId, name, versioningStatus, encryption, publicAccess, createdAt, false, null);
  }

  /** The seed API's flag: whether versioning is enabled now. */
  public boolean versioning() {
    return versioningStatus == VersioningStatus.ENABLED;
  }

  /** Whether versioning was ever turned on (S3 then reports version ids, "null" included). */
  public boolean versioned() {
    return versioningStatus != VersioningStatus.UNVERSIONED;
  }

  public Bucket withVersioning(VersioningStatus status) {
    return new Bucket(
        id,
        serviceId,
        name,
        status,
        encryption,
        publicAccess,
        createdAt,
        objectLock,
        defaultRetention);
  }

  public Bucket withEncryption(boolean enabled) {
    return new Bucket(
        id,
        serviceId,
        name,
        versioningStatus,
        enabled,
        publicAccess,
        createdAt,
        objectLock,
        defaultRetention);
  }

  /** With Object Lock on and {@code rule} (null: none) as its default retention. */
  public Bucket withObjectLock(DefaultRetention rule) {
    return new Bucket(
        id, serviceId, name, versioningStatus, encryption, publicAccess, createdAt, true, rule);
  }
}
