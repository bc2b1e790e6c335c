package dev.cumulus.storage.object.application;

import dev.cumulus.platform.crypto.OpaqueIds;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.bucket.domain.VersioningStatus;
import dev.cumulus.storage.object.domain.StoredObject;

/** Version ids as the object services hand them out and show them. */
final class Versions {

  private Versions() {}

  /** Enabled buckets give every write a fresh version id; the others write version "null". */
  static String newVersionId(Bucket bucket) {
    if (bucket.versioningStatus() != VersioningStatus.ENABLED) {
      return StoredObject.NULL_VERSION;
    }
    return OpaqueIds.random(24);
  }

  /** A version as clients see it: buckets that were never versioned show no version ids. */
  static StoredObject shown(Bucket bucket, StoredObject object) {
    return bucket.versioned() ? object : object.withVersionId(null);
  }
}
