package dev.cumulus.storage.object.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One version of an object: its metadata, with its bytes at {@code storagePath} in the blob store
 * or, for a small object, {@code inline} in its metadata row.
 *
 * @param versionId S3's version id ({@link #NULL_VERSION} for writes while versioning is off)
 * @param latest whether this is the key's current version
 * @param deleteMarker a delete marker has no bytes (null etag, content type and path)
 * @param encrypted whether its bytes are encrypted at rest (S3's SSE-S3)
 * @param inline the bytes of a small object kept with its metadata (then {@code storagePath} is
 *     null); null when they are in the blob store, for delete markers, and in listings
 * @param tags its S3 object tags (none for a delete marker)
 */
public record StoredObject(
    UUID bucketId,
    String key,
    long size,
    String etag,
    String contentType,
    Map<String, String> userMetadata,
    String storagePath,
    Instant lastModified,
    String versionId,
    boolean latest,
    boolean deleteMarker,
    boolean encrypted,
    byte[] inline,
    Map<String, String> tags) {

  public StoredObject {
    tags = tags == null ? Map.of() : tags;
  }

  /** The version id of objects written while versioning is not enabled. */
  public static final String NULL_VERSION = "null";

  /** This version as shown to clients: {@code versionId} null hides it (unversioned buckets). */
  public StoredObject withVersionId(String shown) {
    return new StoredObject(
        bucketId,
        key,
        size,
        etag,
        contentType,
        userMetadata,
        storagePath,
        lastModified,
        shown,
        latest,
        deleteMarker,
        encrypted,
        inline,
        tags);
  }

  /** A delete marker, the latest version of its key. */
  public static StoredObject deleteMarker(
      UUID bucketId, String key, String versionId, Instant when) {
    return new StoredObject(
        bucketId, key, 0, null, null, Map.of(), null, when, versionId, true, true, false, null,
        Map.of());
  }
}
