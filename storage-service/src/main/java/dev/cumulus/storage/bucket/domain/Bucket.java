package dev.cumulus.storage.bucket.domain;

import java.time.Instant;
import java.util.UUID;

/** A bucket of one storage instance. */
public record Bucket(
    UUID id,
    String serviceId,
    String name,
    VersioningStatus versioningStatus,
    boolean encryption,
    boolean publicAccess,
    Instant createdAt) {

  /** The seed API's flag: whether versioning is enabled now. */
  public boolean versioning() {
    return versioningStatus == VersioningStatus.ENABLED;
  }

  /** Whether versioning was ever turned on (S3 then reports version ids, "null" included). */
  public boolean versioned() {
    return versioningStatus != VersioningStatus.UNVERSIONED;
  }

  public Bucket withVersioning(VersioningStatus status) {
    return new Bucket(id, serviceId, name, status, encryption, publicAccess, createdAt);
  }

  public Bucket withEncryption(boolean enabled) {
    return new Bucket(id, serviceId, name, versioningStatus, enabled, publicAccess, createdAt);
  }
}
